/**
 * The ROOT reader: jsroot for the file structure (jsroot-adapter.ts), our own basket decoding (codecs/, the plans of
 * plan-branch.ts and the decoders of decode-entries.ts), Arrow record batches out (read-tree-batches.ts).
 */
export { type ColumnSelection, openRootFile, type ReadBatchesOptions, type RootFile, type RootTree, type RootTreeSummary } from './root-file';
export { type BranchLayout, type BranchPlan, type ColumnPlan } from './plan-branch';
export { type ByteSource, createMemoryByteSource, openByteSource, openHttpByteSource, openLocalByteSource } from './byte-source';
export { closeDecoderPools, defaultJobs } from './decode-pool';
export type { NumberElement, ValueType } from './value-type';
