/**
 * The ROOT reader and writer: jsroot for the file structure (jsroot-adapter.ts), our own basket decoding (codecs/, the
 * plans of plan-branch.ts and the decoders of decode-entries.ts) and RNTuple decoding (rntuple/), Arrow record
 * batches out of both (read-tree-batches.ts, rntuple/read-rntuple-batches.ts) through one interface (RootTable).
 */
export { type ColumnSelection, openRootFile, type RootFile, type RootTree, type RootTreeSummary } from './root-file';
export type { ReadBatchesOptions, RootTable, SelectColumnsOptions, TableSelection } from './root-table';
export { type BranchLayout, type BranchPlan, type ColumnPlan } from './plan-branch';
export { type ByteSource, createMemoryByteSource, openByteSource, openHttpByteSource, openLocalByteSource } from './byte-source';
export { closeDecoderPools, defaultJobs } from './decode-pool';
export type { NumberElement, ValueType } from './value-type';
export { openRNTuple, writeRNTuple, type RNTuple, type RNTupleColumnPlan, type RNTupleSelection } from './rntuple';
