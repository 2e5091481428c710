import { AppError } from '@/lib/shared/app-error';
import { writeArrowIpcFile } from '../io/write-arrow-ipc-file';
import { PIPELINE_VERSION } from '../pipeline-version';
import { defaultJobs } from './decode-pool';
import { openRootFile } from './root-file';
import type { RootTable } from './root-table';

export type ConvertRootToArrowOptions = {
  /** Local path or http(s) URL. */
  input: string;
  /** Full path of the TTree or RNTuple: `dir/sub/name` (optionally `;cycle`). */
  tree: string;
  /** Comma-separated branch, field or column names and globs (`AnalysisJetsAuxDyn.*,EventInfoAuxDyn.eventNumber`); default every column. */
  branches?: string;
  out: string;
  /** Leave unsupported branches or fields matched by a glob out (each named on progress) instead of failing. */
  skipUnsupported?: boolean;
  /** Worker threads decoding baskets or clusters (default: the number of cores). */
  jobs?: number;
  /** Entries per record batch (default: TTree about 16 MiB of uncompressed data, RNTuple one cluster). */
  batchEntries?: number;
  onProgress?: (message: string) => void;
};

export type ConvertRootToArrowResult = {
  out: string;
  /** What was read: a TTree or an RNTuple. */
  kind: RootTable['kind'];
  rows: number;
  batches: number;
  columns: string[];
  skipped: { name: string; reason: string }[];
  sizeBytes: number;
};

/**
 * Converts a TTree or an RNTuple (dispatching on the class of the key `tree` names) to an Arrow IPC file, batch by
 * batch (memory holds a few batches, whatever the size of the input). TTree: one column per branch, leaf, or member
 * of a split or streamed object, named by its full branch name (`x[n]` → List<T>, `x[N]` → FixedSizeList<T>,
 * `vector<vector<T>>` → List<List<T>>, strings → Utf8, bool → Bool). RNTuple: one column per leaf field, named by its
 * field path with dots (records flattened, collections → List<T>, arrays → FixedSizeList<T>). Field metadata keeps
 * the C++ type (and the branch and layout, or the field path and column encodings); schema metadata the source file,
 * tree or RNTuple and pipeline version. Written to a temporary file and renamed: on any error nothing is left at `out`.
 */
export async function convertRootToArrow(options: ConvertRootToArrowOptions): Promise<ConvertRootToArrowResult> {
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new AppError('BAD_REQUEST', `--jobs must be a whole number ≥ 1, got ${jobs}.`);
  if (options.batchEntries !== undefined && !(Number.isInteger(options.batchEntries) && options.batchEntries >= 1)) {
    throw new AppError('BAD_REQUEST', `--batch-entries must be a whole number ≥ 1, got ${options.batchEntries}.`);
  }
  const file = await openRootFile(options.input);
  try {
    return await convertTable(file.name, await file.getTable(options.tree), { ...options, jobs });
  } finally {
    await file.close();
  }
}

async function convertTable(fileName: string, table: RootTable, options: ConvertRootToArrowOptions & { jobs: number }): Promise<ConvertRootToArrowResult> {
  const progress = options.onProgress ?? (() => {});
  const metadata = { pipeline_version: PIPELINE_VERSION };
  const { skipped, schema, compressedBytes } = table.selectColumns(options.branches, { skipUnsupported: options.skipUnsupported, metadata });
  for (const s of skipped) progress(`skipping ${s.name}: ${s.reason}`);
  const columns = schema.fields.map((f) => f.name);
  const what = table.kind === 'TTree' ? 'tree' : 'RNTuple';
  progress(`${fileName} ${what} ${table.path}: ${table.entries} entries, ${columns.length} columns (${(compressedBytes / 1e6).toFixed(2)} MB compressed), ${options.jobs} decoding thread(s)`);
  const started = performance.now();
  let lastReport = started;
  const result = await writeArrowIpcFile(
    options.out,
    schema,
    table.readBatches({ branches: options.branches, skipUnsupported: options.skipUnsupported, jobs: options.jobs, batchEntries: options.batchEntries }),
    (_batch, rows) => {
      const now = performance.now();
      if (now - lastReport < 1000 && rows < table.entries) return;
      lastReport = now;
      progress(`${rows}/${table.entries} entries (${Math.round(rows / Math.max((now - started) / 1000, 1e-6))} entries/s)`);
    },
  );
  progress(`wrote ${result.out} (${columns.length} columns, ${result.rows} rows in ${result.batches} batches, ${(result.sizeBytes / 1e6).toFixed(2)} MB)`);
  return { out: result.out, kind: table.kind, rows: result.rows, batches: result.batches, columns, skipped, sizeBytes: result.sizeBytes };
}
