import { type RecordBatch, type Schema, Table } from 'apache-arrow';

/** Options of reading a TTree or an RNTuple as Arrow record batches (the same for both). */
export type ReadBatchesOptions = {
  /** Comma-separated (or listed) branch, field and column names and globs; default: every readable column. */
  branches?: string | readonly string[];
  /** Worker threads decoding baskets or clusters (default: the number of cores); 1 decodes on the calling thread. Output is identical for any value. */
  jobs?: number;
  /**
   * Entries per record batch. TTree default: about 16 MiB of uncompressed data across the selected branches; RNTuple
   * default: one batch per cluster (a smaller value cuts clusters, batches never span two).
   */
  batchEntries?: number;
  entryStart?: number;
  entryStop?: number;
  /** Leave out unsupported branches or fields matched by a glob (listed in `skipped`) instead of failing. Named ones always fail. */
  skipUnsupported?: boolean;
};

export type SelectColumnsOptions = { skipUnsupported?: boolean; metadata?: Record<string, string> };

/** What a selection of patterns resolved to, whatever the kind of object: the Arrow schema of the batches and what was left out. */
export type TableSelection = {
  schema: Schema;
  skipped: { name: string; reason: string }[];
  /** Compressed bytes on disk of the selected columns (for progress messages). */
  compressedBytes: number;
};

/**
 * A TTree or an RNTuple: entries, column selection with the same naming rules (full branch names, field paths with
 * dots; globs `*` and `?`), and batch-wise reading into Arrow with a fixed schema. What `convert` and the dataset
 * builders read, whatever the file holds.
 */
export type RootTable<Selection extends TableSelection = TableSelection> = {
  readonly kind: 'TTree' | 'RNTuple';
  /** Full path in the file (`dir/sub/name`). */
  readonly path: string;
  readonly fileName: string;
  readonly entries: number;
  /**
   * Resolves patterns to columns: a column name selects that column; a branch (or field) name selects all the
   * columns under it; globs match both. Unsupported branches or fields named exactly fail with their reason; matched by
   * a glob, they fail too unless `skipUnsupported`. Names that match nothing fail with the closest names.
   */
  selectColumns(patterns?: string | readonly string[], options?: SelectColumnsOptions): Selection;
  /** The selected columns as Arrow record batches with the schema of `selectColumns`: memory is bounded by the batch size, not by the file. */
  readBatches(options?: ReadBatchesOptions): AsyncIterable<RecordBatch>;
  /** All selected entries as one Arrow table (small inputs and tests). */
  readTable(options?: ReadBatchesOptions): Promise<Table>;
};

/** Class names of the keys that hold a TTree. */
export const TREE_CLASSES: ReadonlySet<string> = new Set(['TTree', 'TNtuple', 'TNtupleD']);
/** Class name of the key that holds an RNTuple's anchor. */
export const RNTUPLE_CLASS = 'ROOT::RNTuple';
/** Class names of directory keys. */
export const DIRECTORY_CLASSES: ReadonlySet<string> = new Set(['TDirectory', 'TDirectoryFile']);

/** Every batch of `batches` in one Arrow table of `schema` (a RootTable's readTable). */
export async function collectTable(schema: Schema, batches: AsyncIterable<RecordBatch>): Promise<Table> {
  const all: RecordBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return new Table(schema, all);
}
