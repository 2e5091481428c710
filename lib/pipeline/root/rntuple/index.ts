/** RNTuple (ROOT's columnar format, binary format specification 1.0): reader, Arrow conversion and a writer. */
export { openRNTuple, type RNTuple, type RNTupleColumnSummary } from './open-rntuple';
export { convertRNTupleToArrow, type ConvertRNTupleOptions, type ConvertRNTupleResult } from './convert-rntuple-to-arrow';
export type { RNTupleKeyLocation } from './read-rntuple-anchor';
export type { RNTupleColumnPlan, RNTupleUnsupportedField } from './rntuple-schema';
export type { ReadRNTupleBatchesOptions } from './read-rntuple-batches';
export { writeRNTuple, type RNTupleClusterInput, type RNTupleFieldSpec, type RNTupleWritableType, type WriteRNTupleOptions, type WriteRNTupleResult } from './write-rntuple';
export { PHYSLITE_SHAPED_FIELDS, physliteShapedClusters } from './physlite-shaped-clusters';
export { readRNTupleNumberColumns, type RNTupleNumberColumn } from './read-rntuple-columns';
