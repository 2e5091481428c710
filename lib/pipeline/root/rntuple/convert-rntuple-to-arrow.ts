import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { createArrowFileEncoder } from '@/lib/shared/arrow';
import { PIPELINE_VERSION } from '../../pipeline-version';
import { globToRegExp } from '../../text/closest-names';
import type { ConvertRootToArrowOptions, ConvertRootToArrowResult } from '../convert-root-to-arrow';
import type { RNTuple } from './open-rntuple';

/** As converting a TTree: `branches` are column names or globs (`AnalysisJetsAuxDyn.*`), `jobs` decode workers. */
export type ConvertRNTupleOptions = Omit<ConvertRootToArrowOptions, 'input' | 'tree'>;

export type ConvertRNTupleResult = ConvertRootToArrowResult;

/**
 * Writes the selected columns of an RNTuple to an Arrow IPC file, one record batch per cluster as it is decoded (the
 * file is never held in memory), to a temporary file renamed at the end: nothing is left behind on failure.
 * Field metadata `root.type` / `root.field` keep the C++ type and field path; schema metadata the source.
 */
export async function convertRNTupleToArrow(ntuple: RNTuple, options: ConvertRNTupleOptions): Promise<ConvertRNTupleResult> {
  const progress = options.onProgress ?? (() => {});
  const patterns = options.branches.split(',').map((p) => p.trim()).filter(Boolean);
  const unsupported = ntuple.unsupported.filter((u) => patterns.some((p) => globToRegExp(p).test(u.name)));
  if (unsupported.length > 0 && !options.skipUnsupported) {
    const list = unsupported.map((u) => `"${u.name}" (${u.reason})`).join('; ');
    throw new AppError('BAD_REQUEST', `${unsupported.length} selected field(s) cannot be converted: ${list}. Narrow --branches or pass --skip-unsupported.`, {
      column: unsupported.map((u) => u.name).join(', '),
    });
  }
  for (const u of unsupported) progress(`skipping unsupported field ${u.name}: ${u.reason}`);
  const readable = patterns.filter((p) => !unsupported.some((u) => u.name === p));
  if (readable.length === 0) throw new AppError('BAD_REQUEST', `none of the fields selected by "${options.branches}" can be converted.`, { column: options.branches });
  const selected = ntuple.selectColumns(readable);
  const metadata = {
    source_file: ntuple.fileName,
    rntuple: ntuple.name,
    rntuple_format: ntuple.descriptor.anchor.version.join('.'),
    entries: String(ntuple.entries),
    pipeline_version: PIPELINE_VERSION,
    skipped_branches: JSON.stringify(unsupported.map((u) => ({ name: u.name, reason: u.reason }))),
  };
  const out = path.resolve(options.out);
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${randomBytes(6).toString('hex')}`;
  const handle = await fs.promises.open(tmp, 'w');
  let sizeBytes = 0;
  const started = performance.now();
  try {
    const encoder = createArrowFileEncoder();
    const write = async (chunks: Uint8Array[]) => {
      for (const chunk of chunks) {
        await handle.write(chunk);
        sizeBytes += chunk.length;
      }
    };
    let batches = 0;
    for await (const batch of ntuple.readBatches(selected, {
      jobs: options.jobs,
      metadata,
      onCluster: ({ clustersDone, clusters, entriesDone }) => {
        const seconds = (performance.now() - started) / 1000;
        progress(`cluster ${clustersDone}/${clusters}: ${entriesDone}/${ntuple.entries} entries, ${selected.length} columns, ${Math.round(entriesDone / Math.max(seconds, 1e-6))} entries/s`);
      },
    })) {
      await write(encoder.write(batch));
      batches++;
    }
    if (batches === 0) throw new AppError('INVALID_DATASET', `RNTuple "${ntuple.name}" in ${ntuple.fileName} has no clusters (0 entries); nothing to convert.`, { file: ntuple.fileName });
    await write(encoder.finish());
    await handle.close();
    await fs.promises.rename(tmp, out);
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.promises.rm(tmp, { force: true });
    throw error;
  }
  progress(`wrote ${out} (${selected.length} columns, ${ntuple.entries} rows, ${(sizeBytes / 1e6).toFixed(2)} MB)`);
  return { out, rows: ntuple.entries, columns: selected.map((c) => c.name), skipped: unsupported.map((u) => ({ name: u.name, reason: u.reason })), sizeBytes };
}
