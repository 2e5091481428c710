import { createRandomStream } from '../../random/random-stream';
import type { RNTupleClusterInput, RNTupleFieldSpec } from './write-rntuple';

/** Objects of the PHYSLITE-shaped data, with their mean multiplicity per event and kinematic fields. */
const OBJECTS = [
  { container: 'AnalysisElectronsAuxDyn', mean: 1, members: ['pt', 'eta', 'phi', 'm', 'charge'], mass: 0.511 },
  { container: 'AnalysisMuonsAuxDyn', mean: 1, members: ['pt', 'eta', 'phi', 'charge'], mass: 105.66 },
  { container: 'AnalysisTauJetsAuxDyn', mean: 1.5, members: ['pt', 'eta', 'phi', 'm', 'charge'], mass: 0 },
  { container: 'AnalysisJetsAuxDyn', mean: 6, members: ['pt', 'eta', 'phi', 'm'], mass: 0 },
  { container: 'AnalysisPhotonsAuxDyn', mean: 1.5, members: ['pt', 'eta', 'phi'], mass: 0 },
  { container: 'MET_Core_AnalysisMETAuxDyn', mean: 2, members: ['mpx', 'mpy', 'sumet'], mass: 0 },
] as const;
const WEIGHTS_PER_EVENT = 4;

/**
 * The 30 lep-had fields of the PHYSLITE RNTuple fixture (`EventData`), as ATLAS names them in RNTuple
 * ("Container:member", since field names may not hold a dot) with their types: vectors of float for the objects,
 * MET terms and generator weights, integers and floats for event information.
 */
export const PHYSLITE_SHAPED_FIELDS: readonly RNTupleFieldSpec[] = [
  ...OBJECTS.flatMap((o) => o.members.map((m): RNTupleFieldSpec => ({ name: `${o.container}:${m}`, type: 'std::vector<float>' }))),
  { name: 'EventInfoAuxDyn:eventNumber', type: 'std::uint64_t' },
  { name: 'EventInfoAuxDyn:runNumber', type: 'std::uint32_t' },
  { name: 'EventInfoAuxDyn:mcChannelNumber', type: 'std::uint32_t' },
  { name: 'EventInfoAuxDyn:mcEventWeights', type: 'std::vector<float>' },
  { name: 'EventInfoAuxDyn:averageInteractionsPerCrossing', type: 'float' },
  { name: 'EventInfoAuxDyn:actualInteractionsPerCrossing', type: 'float' },
];

/**
 * Seeded clusters of PHYSLITE-shaped events for {@link writeRNTuple}: Poisson multiplicities, exponential pT in MeV,
 * uniform η and φ, ±1 charges, two MET terms, sequential event numbers. The same seed gives the same events
 * whatever the cluster size; memory holds one cluster.
 */
export function* physliteShapedClusters(options: { events: number; clusterEntries: number; seed?: number }): Generator<RNTupleClusterInput> {
  const random = createRandomStream(options.seed ?? 1, 'physlite-shaped-rntuple');
  for (let first = 0; first < options.events; first += options.clusterEntries) {
    const n = Math.min(options.clusterEntries, options.events - first);
    const columns: RNTupleClusterInput['columns'] = {};
    for (const object of OBJECTS) {
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i] as number) + random.poisson(object.mean);
      const count = offsets[n] as number;
      const values = Object.fromEntries(object.members.map((m) => [m, new Float32Array(count)]));
      for (let k = 0; k < count; k++) {
        const pt = 5000 + random.exponential(25000);
        for (const m of object.members) {
          const column = values[m] as Float32Array;
          if (m === 'pt') column[k] = pt;
          else if (m === 'eta') column[k] = random.uniform(-2.5, 2.5);
          else if (m === 'phi') column[k] = random.uniform(-Math.PI, Math.PI);
          else if (m === 'm') column[k] = object.mass || random.exponential(8000);
          else if (m === 'charge') column[k] = random.nextFloat() < 0.5 ? -1 : 1;
          else if (m === 'sumet') column[k] = 100000 + random.exponential(200000);
          else column[k] = random.normal(0, 20000);
        }
      }
      for (const m of object.members) columns[`${object.container}:${m}`] = { offsets, values: values[m] as Float32Array };
    }
    const weightOffsets = Int32Array.from({ length: n + 1 }, (_, i) => i * WEIGHTS_PER_EVENT);
    const weights = new Float32Array(n * WEIGHTS_PER_EVENT);
    for (let k = 0; k < weights.length; k++) weights[k] = random.normal(1, 0.1);
    columns['EventInfoAuxDyn:mcEventWeights'] = { offsets: weightOffsets, values: weights };
    columns['EventInfoAuxDyn:eventNumber'] = BigUint64Array.from({ length: n }, (_, i) => BigInt(100_000_000 + first + i));
    columns['EventInfoAuxDyn:runNumber'] = new Uint32Array(n).fill(410_000);
    columns['EventInfoAuxDyn:mcChannelNumber'] = new Uint32Array(n).fill(346_343);
    const average = new Float32Array(n);
    const actual = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      average[i] = 20 + 40 * random.nextFloat();
      actual[i] = Math.max(0, Math.round(random.normal(average[i] as number, 5)));
    }
    columns['EventInfoAuxDyn:averageInteractionsPerCrossing'] = average;
    columns['EventInfoAuxDyn:actualInteractionsPerCrossing'] = actual;
    yield { entries: n, columns };
  }
}
