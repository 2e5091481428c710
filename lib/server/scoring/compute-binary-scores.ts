import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { bootstrapBinaryMetrics, type BinaryBootstrapResult } from '@/scoring/bootstrap-binary';
import { isScoringError } from '@/scoring/errors';
import { percentiles } from '@/scoring/percentile';
import { PreparedBinaryInput } from '@/scoring/prepared-binary-input';
import type { MetricId } from '@/scoring/registry';
import { systematicRobustnessTotal } from '@/scoring/systematic-robustness-total';
import type { Truth } from '../datasets/load-truth';
import { buildBinaryDetail } from './build-binary-detail';
import { splitBinaryTable } from './split-binary-table';
import { ROBUSTNESS_VARIATION, type ScoreSplit, type SubmissionScores } from './submission-scores';

const splits = ['public', 'private'] as const satisfies readonly ScoreSplit[];

/**
 * Scores a binary submission: every metric of the definition with bootstrap CIs on the public and the private
 * split of the nominal test set and of every systematic variation test set; then, per split and metric, the
 * systematic robustness (ATLAS top-tagging recipe, see `systematicRobustnessTotal`) as variation "systematics",
 * its CI from the per-replica robustness (replica k of every test set uses the same resampling key, so a
 * parametrised variation, which reuses the nominal ids in the nominal order, is resampled exactly like the nominal
 * set). Plot data per (split, test set). Pure: no database, no files.
 */
export function computeBinaryScores(
  truth: { nominal: Truth; variations: Map<string, Truth> },
  scoresByTable: Map<string, Float64Array>,
  definition: ChallengeDefinition,
  manifest: DatasetManifest,
): SubmissionScores {
  const metricIds = definition.metrics.map((m) => m.id) as MetricId[];
  const variations = definition.scoring.variations;
  assertVariationsCombine(definition);
  const tables = [{ name: 'nominal', truth: truth.nominal }];
  for (const variation of variations) {
    const table = truth.variations.get(variation.name);
    if (!table) throw new AppError('INTERNAL', `The truth of variation "${variation.name}" of challenge "${definition.slug}" was not loaded.`);
    tables.push({ name: variation.name, truth: table });
  }

  const result: SubmissionScores = { scores: [], details: [] };
  const bootstraps = new Map<string, BinaryBootstrapResult<MetricId>>();
  for (const table of tables) {
    const scores = scoresByTable.get(table.name);
    if (!scores) {
      throw new AppError('INVALID_SUBMISSION', `The predictions have no rows for the "${table.name}" test set; every test set of the challenge needs one score per id.`);
    }
    const inputs = splitBinaryTable({ ...table, scores }, definition, manifest);
    for (const split of splits) {
      const input = inputs[split];
      const prepared = PreparedBinaryInput.prepare(input);
      const bootstrap = bootstrapBinaryMetrics(prepared, metricIds, {
        seed: definition.splits.seed,
        splitKey: split,
        replicas: definition.scoring.bootstrapReplicas,
        params: { threshold: definition.scoring.threshold, backgroundRelativeUncertainty: definition.scoring.backgroundRelativeUncertainty },
      });
      bootstraps.set(`${split}/${table.name}`, bootstrap);
      for (const id of metricIds) {
        const [ciLow, ciHigh] = bootstrap.intervals[id];
        result.scores.push({ split, variation: table.name, metric: id, value: bootstrap.values[id], ciLow, ciHigh, replicas: Array.from(bootstrap.replicaValues[id]) });
      }
      result.details.push({ split, variation: table.name, data: buildBinaryDetail(prepared, input) });
    }
  }

  if (variations.length === 0) return result;
  for (const split of splits) {
    const nominal = bootstraps.get(`${split}/nominal`) as BinaryBootstrapResult<MetricId>;
    const varied = variations.map((v) => ({ ...v, bootstrap: bootstraps.get(`${split}/${v.name}`) as BinaryBootstrapResult<MetricId> }));
    for (const id of metricIds) {
      const robustnessOf = (nominalValue: number, valueOf: (b: BinaryBootstrapResult<MetricId>) => number) =>
        systematicRobustnessTotal(
          nominalValue,
          varied.map((v) => ({ name: v.name, group: v.group, pairedWith: v.pairedWith, value: valueOf(v.bootstrap) })),
        );
      const value = robustnessOf(nominal.values[id], (b) => b.values[id]);
      const replicas = Array.from(nominal.replicaValues[id], (nominalReplica, k) => robustnessOf(nominalReplica, (b) => b.replicaValues[id][k] as number));
      // A replica where the nominal rejection is unbounded (or a shift is) has no finite robustness: the interval
      // is taken over the others; the replicas are stored whole so replica k stays paired across submissions.
      const finite = replicas.filter((r) => Number.isFinite(r));
      // The robustness adds absolute shifts, so bootstrap noise inflates every replica and the 16th–84th percentile
      // band can lie wholly above the measured value. The interval reported is that band's half-width, centred on the
      // value (not below 0): the statistical precision of the robustness, not a biased shift of it.
      const [q16, q84] = finite.length > 0 ? percentiles(finite, [16, 84]) : [undefined, undefined];
      const halfWidth = q16 !== undefined && q84 !== undefined && Number.isFinite(value) ? (q84 - q16) / 2 : null;
      const ciLow = halfWidth === null ? null : Math.max(0, value - halfWidth);
      const ciHigh = halfWidth === null ? null : value + halfWidth;
      result.scores.push({ split, variation: ROBUSTNESS_VARIATION, metric: id, value, ciLow, ciHigh, replicas });
    }
  }
  return result;
}

/** Pairs and groups of the definition's variations must combine (the schema checks names, not pairings). */
function assertVariationsCombine(definition: ChallengeDefinition): void {
  const variations = definition.scoring.variations;
  if (variations.length === 0) return;
  try {
    systematicRobustnessTotal(1, variations.map((v) => ({ name: v.name, group: v.group, pairedWith: v.pairedWith, value: 1 })));
  } catch (error) {
    if (!isScoringError(error)) throw error;
    throw new AppError('INVALID_CHALLENGE', `Challenge "${definition.slug}" lists systematic variations that cannot be combined: ${error.message}`, {}, { cause: error });
  }
}
