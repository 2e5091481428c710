/** RNTuple (ROOT's columnar format, binary format specification 1.0): reader, Arrow conversion and a writer. */
export { openRNTuple, type RNTuple, type RNTupleColumnSummary } from './open-rntuple';
export { convertRNTupleToArrow, type ConvertRNTupleOptions, type ConvertRNTupleResult } from './convert-rntuple-to-arrow';
export type { RNTupleKeyLocation } from './read-rntuple-anchor';
export type { RNTupleColumnPlan, RNTupleUnsupportedField } from './rntuple-schema';
export type { ReadRNTupleBatchesOptions } from './read-rntuple-batches';
