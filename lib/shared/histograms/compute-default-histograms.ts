import type { ArrowColumn } from '../arrow';
import { chooseDefaultBinning } from './choose-default-binning';
import { fillHistogram1d, type RowGroups } from './fill-histogram-1d';
import { groupTrainingRows } from './group-training-rows';
import { sumGroupsByClass } from './sum-groups-by-class';
import type { GroupYieldDto, HistogramCacheDto, TrainingSummaryDto } from './histogram-types';

export type TrainingColumns = {
  numRows: number;
  columns: Record<string, ArrowColumn>;
};

/** Numeric column of a training table, or an Error naming it (the table is the pipeline's own output). */
export function numericColumn(table: TrainingColumns, name: string): ArrayLike<number> {
  const column = table.columns[name];
  if (!column) throw new Error(`the training table has no column "${name}"`);
  if (Array.isArray(column)) throw new Error(`training column "${name}" holds text, not numbers`);
  return column as ArrayLike<number>;
}

/** The process and class groups of a training table (process = detailed_label when present). */
export function trainingGroups(table: TrainingColumns): { processes: RowGroups; classes: RowGroups; processColumn: string | null } {
  const processColumn = Array.isArray(table.columns.detailed_label) ? 'detailed_label' : null;
  const groups = groupTrainingRows(numericColumn(table, 'label'), processColumn ? (table.columns.detailed_label as string[]) : null);
  return { ...groups, processColumn };
}

/** Rows and Σ weights per group, in one pass over the table. */
function yields(groups: RowGroups, weights: ArrayLike<number>): GroupYieldDto[] {
  const sum = new Float64Array(groups.names.length);
  const rows = new Float64Array(groups.names.length);
  for (let row = 0; row < weights.length; row++) {
    const g = groups.index[row] as number;
    sum[g] = (sum[g] as number) + (weights[row] as number);
    rows[g] = (rows[g] as number) + 1;
  }
  return groups.names.map((name, g) => ({ name, label: groups.labels[g] ?? null, rows: rows[g] as number, sumOfWeights: sum[g] as number }));
}

/**
 * Every feature's default histogram (weighted, per process and per class) and the per-process yields of a training
 * table: what the explorer draws first and the catalogue lists, computed in one go so that a version's first page
 * needs no pass over the data.
 */
export function computeDefaultHistograms(
  table: TrainingColumns,
  meta: { dataset: string; version: string; trainSha256: string; missingValue: number; featureColumns: readonly string[] },
): HistogramCacheDto {
  const { processes, classes, processColumn } = trainingGroups(table);
  const weights = numericColumn(table, 'weight');
  const summary: TrainingSummaryDto = { rows: table.numRows, processColumn, processes: yields(processes, weights), classes: yields(classes, weights) };
  const features: HistogramCacheDto['features'] = {};
  for (const name of meta.featureColumns) {
    const values = numericColumn(table, name);
    const binning = chooseDefaultBinning(values, meta.missingValue);
    const byProcess = fillHistogram1d(values, weights, processes, binning, meta.missingValue);
    features[name] = {
      binning,
      processes: byProcess,
      classes: processColumn ? (sumGroupsByClass(byProcess) ?? fillHistogram1d(values, weights, classes, binning, meta.missingValue)) : [],
    };
  }
  return { format: 1, dataset: meta.dataset, version: meta.version, trainSha256: meta.trainSha256, missingValue: meta.missingValue, summary, features };
}
