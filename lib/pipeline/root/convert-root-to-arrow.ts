import { AppError } from '@/lib/shared/app-error';
import { writeArrowIpcFile } from '../io/write-arrow-ipc-file';
import { PIPELINE_VERSION } from '../pipeline-version';
import { defaultJobs } from './decode-pool';
import { openRootFile, type RootFile } from './root-file';

export type ConvertRootToArrowOptions = {
  /** Local path or http(s) URL. */
  input: string;
  /** Full path of the tree: `dir/sub/tree` (optionally `;cycle`). */
  tree: string;
  /** Comma-separated branch or column names and globs (`AnalysisJetsAuxDyn.*,EventInfoAuxDyn.eventNumber`); default every column. */
  branches?: string;
  out: string;
  /** Leave unsupported branches matched by a glob out (each named on progress) instead of failing. */
  skipUnsupported?: boolean;
  /** Worker threads decoding baskets (default: the number of cores). */
  jobs?: number;
  /** Entries per record batch (default: about 16 MiB of uncompressed data per batch). */
  batchEntries?: number;
  onProgress?: (message: string) => void;
};

export type ConvertRootToArrowResult = {
  out: string;
  rows: number;
  batches: number;
  columns: string[];
  skipped: { name: string; reason: string }[];
  sizeBytes: number;
};

/**
 * Converts branches of a TTree to an Arrow IPC file, batch by batch (memory holds a few batches, whatever the size
 * of the tree): one column per branch, leaf, or member of a split or streamed object, named by its full branch name
 * (`x[n]` → List<T>, `x[N]` → FixedSizeList<T>, `vector<vector<T>>` → List<List<T>>, strings → Utf8, bool → Bool).
 * Field metadata keeps the ROOT branch, C++ type and layout; schema metadata the source file, tree and pipeline
 * version. Written to a temporary file and renamed: on any error nothing is left at `out`.
 */
export async function convertRootToArrow(options: ConvertRootToArrowOptions): Promise<ConvertRootToArrowResult> {
  const file = await openRootFile(options.input);
  try {
    // Dispatch on the class of the key the name points at: TTrees here; other readers (RNTuple) add their case.
    const [path] = options.tree.split(';') as [string];
    const key = file.keys.find((k) => k.path === path);
    if (key && !TREE_CLASSES.has(key.className) && key.className !== 'TDirectory' && key.className !== 'TDirectoryFile') {
      throw new AppError('BAD_REQUEST', `"${options.tree}" in ${file.name} is a ${key.className}; convert reads TTrees (${file.trees.map((t) => t.path).join(', ') || 'this file has none'}).`, {
        file: file.name,
        found: key.className,
      });
    }
    return await convertTree(file, options);
  } finally {
    await file.close();
  }
}

const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);

async function convertTree(file: RootFile, options: ConvertRootToArrowOptions): Promise<ConvertRootToArrowResult> {
  const progress = options.onProgress ?? (() => {});
  const tree = await file.getTree(options.tree);
  const metadata = { pipeline_version: PIPELINE_VERSION };
  const { selection, skipped, schema } = tree.selectColumns(options.branches, { skipUnsupported: options.skipUnsupported, metadata });
  for (const s of skipped) progress(`skipping ${s.name}: ${s.reason}`);
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new AppError('BAD_REQUEST', `--jobs must be a whole number ≥ 1, got ${jobs}.`);
  const columns = schema.fields.map((f) => f.name);
  const compressed = selection.reduce((s, { plan }) => s + plan.compressedBytes, 0);
  progress(`${file.name} ${tree.path}: ${tree.entries} entries, ${columns.length} columns from ${selection.length} branches (${(compressed / 1e6).toFixed(2)} MB compressed), ${jobs} decoding thread(s)`);
  const started = performance.now();
  let lastReport = started;
  const result = await writeArrowIpcFile(
    options.out,
    schema,
    tree.readBatches({ branches: options.branches, skipUnsupported: options.skipUnsupported, jobs, batchEntries: options.batchEntries }),
    (_batch, rows) => {
      const now = performance.now();
      if (now - lastReport < 1000 && rows < tree.entries) return;
      lastReport = now;
      progress(`${rows}/${tree.entries} entries (${Math.round(rows / Math.max((now - started) / 1000, 1e-6))} entries/s)`);
    },
  );
  progress(`wrote ${result.out} (${columns.length} columns, ${result.rows} rows in ${result.batches} batches, ${(result.sizeBytes / 1e6).toFixed(2)} MB)`);
  return { out: result.out, rows: result.rows, batches: result.batches, columns, skipped, sizeBytes: result.sizeBytes };
}
