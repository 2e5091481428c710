import type { ArrowColumn } from '@/lib/shared/arrow';
import type { DatasetColumnSpec } from '../datasets/write-dataset-version';
import { DER_COLUMN_NAMES, DER_COLUMNS, PRI_COLUMN_NAMES, PRI_COLUMNS } from '../features/der-features';
import type { PseudoExperiment, PseudoExperimentSettings } from './pseudo-experiments';

/** Nuisance columns of truth_pe: column name → settings field. */
export const TRUTH_PE_NUISANCE_COLUMNS = [
  ['tes', 'tes'],
  ['jes', 'jes'],
  ['soft_met', 'softMet'],
  ['ttbar_scale', 'ttbarScale'],
  ['diboson_scale', 'dibosonScale'],
  ['bkg_scale', 'bkgScale'],
] as const satisfies readonly (readonly [string, keyof PseudoExperimentSettings])[];

/** Unit and description of every column of pseudo_experiments and truth_pe. */
export const PSEUDO_EXPERIMENT_COLUMN_SPECS: readonly DatasetColumnSpec[] = [
  { name: 'pe_id', unit: '', description: 'Pseudo-experiment id (set_id · experiments per set + experiment); one interval per pe_id.' },
  ...PRI_COLUMNS,
  ...DER_COLUMNS,
  { name: 'set_id', unit: '', description: 'Set of the pseudo-experiment; all experiments of a set share mu_true.' },
  { name: 'mu_true', unit: 'dimensionless', description: 'True signal strength μ of the set, uniform in [0.1, 3].' },
  { name: 'tes', unit: 'dimensionless', description: 'Tau energy scale, N(1, 0.01) clipped to [0.9, 1.1].' },
  { name: 'jes', unit: 'dimensionless', description: 'Jet energy scale, N(1, 0.01) clipped to [0.9, 1.1].' },
  { name: 'soft_met', unit: 'GeV', description: 'Soft-MET smearing, LogNormal(0, 1) clipped to [0, 5].' },
  { name: 'ttbar_scale', unit: 'dimensionless', description: 'tt̄ normalisation, N(1, 0.02) clipped to [0.8, 1.2].' },
  { name: 'diboson_scale', unit: 'dimensionless', description: 'Diboson normalisation, N(1, 0.25) clipped to [0, 2].' },
  { name: 'bkg_scale', unit: 'dimensionless', description: 'Overall background normalisation, N(1, 0.001) clipped to [0.99, 1.01].' },
  { name: 'n_events', unit: 'events', description: 'Number of events of the pseudo-experiment after the post-selection.' },
];

export type PseudoExperimentTables = {
  /** pe_id, then 16 PRI and 12 DER float32 columns: every event of every pseudo-experiment, in pe_id order. */
  events: Record<string, ArrowColumn>;
  eventRows: number;
  /** pe_id, set_id, mu_true, the nuisances, n_events: one row per pseudo-experiment (server-only). */
  truth: Record<string, ArrowColumn>;
};

/**
 * Lays out generated pseudo-experiments as the `pseudo_experiments` and `truth_pe` tables, both in ascending pe_id.
 * pe_id of experiment i = `peIds[i]` (a permutation of 0…n−1, e.g. to hide which experiments share a set), by
 * default i (= set · experimentsPerSet + experiment for {@link drawPseudoExperimentSettings}).
 */
export function buildPseudoExperimentTables(
  settings: readonly PseudoExperimentSettings[],
  experiments: readonly PseudoExperiment[],
  peIds?: Int32Array,
): PseudoExperimentTables {
  const n = settings.length;
  if (experiments.length !== n || (peIds !== undefined && peIds.length !== n)) {
    throw new RangeError(`buildPseudoExperimentTables: ${n} settings, ${experiments.length} experiments and ${peIds?.length ?? n} pe_ids must agree.`);
  }
  // byPeId[pe_id] = index of the experiment with that id.
  const byPeId = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const id = peIds === undefined ? i : (peIds[i] as number);
    if (!(id >= 0 && id < n) || byPeId[id] !== -1) throw new RangeError(`buildPseudoExperimentTables: pe_ids must be a permutation of 0…${n - 1}.`);
    byPeId[id] = i;
  }
  const ordered = Array.from(byPeId, (i) => experiments[i] as PseudoExperiment);
  const orderedSettings = Array.from(byPeId, (i) => settings[i] as PseudoExperimentSettings);

  const eventRows = ordered.reduce((sum, pe) => sum + pe.sourceRows.length, 0);
  const events: Record<string, ArrowColumn> = { pe_id: new Int32Array(eventRows) };
  for (const name of [...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES]) events[name] = new Float32Array(eventRows);
  let offset = 0;
  ordered.forEach((pe, peId) => {
    const rows = pe.sourceRows.length;
    (events.pe_id as Int32Array).fill(peId, offset, offset + rows);
    for (const name of PRI_COLUMN_NAMES) (events[name] as Float32Array).set(pe.pri[name], offset);
    for (const name of DER_COLUMN_NAMES) (events[name] as Float32Array).set(pe.der[name], offset);
    offset += rows;
  });

  const truth: Record<string, ArrowColumn> = {
    pe_id: Int32Array.from(orderedSettings, (_, peId) => peId),
    set_id: Int32Array.from(orderedSettings, (s) => s.set),
    mu_true: Float64Array.from(orderedSettings, (s) => s.mu),
  };
  for (const [column, field] of TRUTH_PE_NUISANCE_COLUMNS) truth[column] = Float64Array.from(orderedSettings, (s) => s[field] as number);
  truth.n_events = Int32Array.from(ordered, (pe) => pe.sourceRows.length);
  return { events, eventRows, truth };
}
