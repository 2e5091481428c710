import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { type AnyArrowColumn, encodeArrowTable } from '@/lib/shared/arrow';
import { PIPELINE_VERSION } from '../pipeline-version';
import { openRootFile } from './root-file';
import { convertRNTupleToArrow } from './rntuple';

export type ConvertRootToArrowOptions = {
  /** Local path or http(s) URL. */
  input: string;
  tree: string;
  /** Comma-separated branch names or globs (`AnalysisJetsAuxDyn.*,EventInfoAuxDyn.eventNumber`). */
  branches: string;
  out: string;
  /** Leave unsupported branches matched by a glob out (each named on progress) instead of failing. */
  skipUnsupported?: boolean;
  /** Worker threads that decode (RNTuple clusters); default 1. */
  jobs?: number;
  onProgress?: (message: string) => void;
};

export type ConvertRootToArrowResult = { out: string; rows: number; columns: string[]; skipped: { name: string; reason: string }[]; sizeBytes: number };

/**
 * Converts branches of a TTree (or columns of an RNTuple of that name: see convertRNTupleToArrow) to an Arrow IPC file: one column per branch, named exactly as the branch; flat
 * branches become primitive columns, `vector<T>` branches `List<T>`. Field metadata `root.type` keeps the C++
 * type, schema metadata the source file, tree and pipeline version. Written to a temporary file and renamed.
 * A name that is not a branch fails with the closest names; an unsupported branch fails with its reason
 * (or is skipped and reported with `skipUnsupported`, for globs).
 */
export async function convertRootToArrow(options: ConvertRootToArrowOptions): Promise<ConvertRootToArrowResult> {
  const progress = options.onProgress ?? (() => {});
  const file = await openRootFile(options.input);
  try {
    if (!file.trees.some((t) => t.name === options.tree) && file.rntuples.some((t) => t.name === options.tree)) {
      return await convertRNTupleToArrow(await file.getRNTuple(options.tree), options);
    }
    const tree = await file.getTree(options.tree);
    const selected = tree.selectBranches(options.branches);
    const unsupported = selected.filter((b) => b.layout === 'unsupported');
    if (unsupported.length > 0 && !options.skipUnsupported) {
      const list = unsupported.map((b) => `"${b.name}" (${b.unsupportedReason})`).join('; ');
      throw new AppError('BAD_REQUEST', `${unsupported.length} selected branch(es) cannot be converted: ${list}. Narrow --branches or pass --skip-unsupported.`, {
        column: unsupported.map((b) => b.name).join(', '),
      });
    }
    for (const b of unsupported) progress(`skipping unsupported branch ${b.name}: ${b.unsupportedReason}`);
    const readable = selected.filter((b) => b.layout !== 'unsupported');
    if (readable.length === 0) throw new AppError('BAD_REQUEST', `none of the branches selected by "${options.branches}" can be converted.`);
    const columns: Record<string, AnyArrowColumn> = {};
    const fieldMetadata: Record<string, Record<string, string>> = {};
    const started = performance.now();
    let compressed = 0;
    for (const [i, branch] of readable.entries()) {
      const column = await tree.readBranch(branch.name);
      columns[branch.name] = column.layout === 'vector' ? { kind: 'list', values: column.values, offsets: column.offsets } : column.values;
      fieldMetadata[branch.name] = { 'root.type': branch.typeName, 'root.layout': branch.layout };
      compressed += branch.compressedBytes;
      const seconds = (performance.now() - started) / 1000;
      progress(`[${i + 1}/${readable.length}] ${branch.name} (${branch.typeName}): ${tree.entries} entries, ${(compressed / 1e6).toFixed(2)} MB compressed read, ${Math.round(tree.entries * (i + 1) / Math.max(seconds, 1e-6))} branch-entries/s`);
    }
    const metadata = {
      source_file: file.name,
      source_size_bytes: String(file.sizeBytes),
      tree: tree.name,
      entries: String(tree.entries),
      pipeline_version: PIPELINE_VERSION,
      skipped_branches: JSON.stringify(unsupported.map((b) => ({ name: b.name, reason: b.unsupportedReason }))),
    };
    const bytes = encodeArrowTable(columns, metadata, { fieldMetadata });
    const out = path.resolve(options.out);
    await fs.promises.mkdir(path.dirname(out), { recursive: true });
    const tmp = `${out}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await fs.promises.writeFile(tmp, bytes);
      await fs.promises.rename(tmp, out);
    } catch (error) {
      await fs.promises.rm(tmp, { force: true });
      throw error;
    }
    progress(`wrote ${out} (${readable.length} columns, ${tree.entries} rows, ${(bytes.length / 1e6).toFixed(2)} MB)`);
    return {
      out,
      rows: tree.entries,
      columns: readable.map((b) => b.name),
      skipped: unsupported.map((b) => ({ name: b.name, reason: b.unsupportedReason ?? '' })),
      sizeBytes: bytes.length,
    };
  } finally {
    await file.close();
  }
}
