/** Columnar ROOT reader: jsroot for the file structure (jsroot-adapter.ts), our own basket decoding. */
export { openRootFile, type RootFile, type RootTree, type RootTreeSummary } from './root-file';
export { readBranchColumn, type RootColumn, type ReadBranchOptions } from './read-branch';
export { type ByteSource, createMemoryByteSource, openByteSource, openHttpByteSource, openLocalByteSource } from './byte-source';
export { classifyBranch, type RootBranchInfo, type RootElementType, type RootNumericArray } from './root-types';
export { convertRNTupleToArrow, openRNTuple, writeRNTuple, type RNTuple, type RNTupleColumnPlan } from './rntuple';
