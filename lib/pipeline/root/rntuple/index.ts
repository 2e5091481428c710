/**
 * RNTuple (ROOT's columnar format, binary format specification 1.0): reader (read like a TTree through RootFile and
 * the RootTable interface) and writer.
 */
export { openRNTuple, type RNTuple, type RNTupleColumnSummary, type RNTupleSelection } from './open-rntuple';
export type { RNTupleKeyLocation } from './read-rntuple-anchor';
export type { RNTupleColumnPlan, RNTupleUnsupportedField } from './rntuple-schema';
export { writeRNTuple, type RNTupleClusterInput, type RNTupleFieldSpec, type RNTupleWritableType, type WriteRNTupleOptions, type WriteRNTupleResult } from './write-rntuple';
export { PHYSLITE_SHAPED_FIELDS, physliteShapedClusters } from './physlite-shaped-clusters';
