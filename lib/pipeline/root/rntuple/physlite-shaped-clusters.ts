import { AppError } from '@/lib/shared/app-error';
import type { RootElementType } from '../root-types';
import type { BranchColumn } from '../write/branch-writers';
import { PHYSLITE_SHAPED_BRANCHES, physliteShapedBatches } from '../write/write-physlite-shaped-file';
import type { WritableElements } from './encode-page';
import type { RNTupleClusterInput, RNTupleFieldSpec, RNTupleWritableType } from './write-rntuple';

const CPP_TYPES: Partial<Record<RootElementType, RNTupleWritableType>> = { float32: 'float', float64: 'double', int32: 'std::int32_t', uint32: 'std::uint32_t', int64: 'std::int64_t', uint64: 'std::uint64_t' };

/** ATLAS's RNTuple name of a PHYSLITE branch: the dot after the container becomes a colon (dots are not allowed). */
function fieldName(branch: string): string {
  return branch.replace('.', ':');
}

/**
 * The 30 lep-had fields of PHYSLITE as ATLAS writes them in RNTuple (`AnalysisJetsAuxDyn:pt`, …): the branches of
 * the PHYSLITE-shaped TTree generator, with their C++ types (`std::vector<float>`, `std::uint64_t`, …).
 */
export const PHYSLITE_SHAPED_FIELDS: readonly RNTupleFieldSpec[] = PHYSLITE_SHAPED_BRANCHES.map((branch) => {
  const type = branch.kind === 'string' ? undefined : CPP_TYPES[branch.type];
  if (!type) throw new AppError('INTERNAL', `PHYSLITE-shaped branch ${branch.name} (${branch.kind}) has no RNTuple writer type here.`);
  return { name: fieldName(branch.name), type: branch.kind === 'vector' ? `std::vector<${type}>` : type };
});

function toClusterColumn(column: BranchColumn): RNTupleClusterInput['columns'][string] {
  if (ArrayBuffer.isView(column)) return column as WritableElements;
  if (typeof column === 'object' && column !== null && 'offsets' in column) {
    return { offsets: column.offsets instanceof Int32Array ? column.offsets : Int32Array.from(column.offsets), values: column.values as WritableElements };
  }
  throw new AppError('INTERNAL', 'the PHYSLITE-shaped generator gave a column that is neither a typed array nor values with offsets.');
}

/**
 * The same seeded events as the PHYSLITE-shaped TTree generator (`pipeline generate-physlite`), as RNTuple clusters of
 * `clusterEntries` events for {@link writeRNTuple}: an RNTuple version of the same data, generated one cluster at a
 * time.
 */
export function* physliteShapedClusters(options: { events: number; clusterEntries: number; seed?: number; dsid?: number }): Generator<RNTupleClusterInput> {
  for (const batch of physliteShapedBatches({ events: options.events, seed: options.seed ?? 1, dsid: options.dsid, batchEvents: options.clusterEntries })) {
    const columns = Object.fromEntries(Object.entries(batch).map(([name, column]) => [fieldName(name), toClusterColumn(column)]));
    const entries = (batch['EventInfoAuxDyn.eventNumber'] as ArrayLike<unknown>).length;
    yield { entries, columns };
  }
}
