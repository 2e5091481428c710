import { describe, expect, it } from 'vitest';
import { challengeDefinitionSchema } from '@/challenges/schema';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { assignPublicSplit } from '@/scoring/split';
import { systematicRobustness } from '@/scoring/systematic-robustness';
import type { ChallengeTruth } from '../datasets/load-challenge-truth';
import type { Truth } from '../datasets/load-truth';
import { computeSubmissionScores } from './compute-submission-scores';

const pages = { overview: '', evaluation: '', data: '', terms: '' };
const phases = [{ key: 'open', title: 'Open', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 5 }];
const manifest = { dataset: 'unit', version: '1', expectedYields: { signal: 10, background: 1000 }, fixedSplitColumn: null } as DatasetManifest;

function truthOf(ids: number[], labels: number[], weights: number[]): Truth {
  return {
    ids: Float64Array.from(ids),
    labels: Uint8Array.from(labels),
    weights: Float64Array.from(weights),
    fixedPublic: null,
    rowById: new Map(ids.map((id, row) => [id, row])),
  };
}

const n = 400;
const ids = Array.from({ length: n }, (_, i) => 100 + i);
const labels = ids.map((_, i) => (i % 3 === 0 ? 1 : 0));
const noisyScores = Float64Array.from(ids, (id, i) => Math.min(1, Math.max(0, 0.5 + (labels[i] ? 0.15 : -0.15) + (((id * 7919) % 1000) / 1000 - 0.5) * 0.8)));
const nominal = truthOf(ids, labels, ids.map(() => 1));
// The varied truth puts more background weight where this classifier's scores are high.
const varied = truthOf(ids, labels, ids.map((_, i) => (labels[i] === 0 && (noisyScores[i] as number) > 0.5 ? 3 : 1)));
const binaryTruth: ChallengeTruth = { task: 'binary-classification', nominal, variations: new Map([['up', varied], ['down', nominal]]) };
const binaryDefinition = challengeDefinitionSchema.parse({
  slug: 'unit-binary',
  revision: 1,
  title: 'Unit',
  summary: 'Unit',
  task: 'binary-classification',
  dataset: { id: 'unit', version: '1' },
  metrics: [{ id: 'auc', primary: true }, { id: 'rejection_at_0.5' }],
  scoring: { bootstrapReplicas: 30, variations: [{ name: 'up', group: 'g', pairedWith: 'down', label: 'Up' }, { name: 'down', group: 'g', label: 'Down' }] },
  splits: { publicFraction: 0.5, seed: 11 },
  phases,
  pages,
});

describe('computeSubmissionScores (binary with systematic variations)', () => {
  const predictions = { task: 'binary-classification' as const, rows: 2 * n, scores: new Map([['nominal', noisyScores], ['up', noisyScores], ['down', noisyScores]]) };
  const result = computeSubmissionScores(binaryTruth, predictions, binaryDefinition, manifest);

  it('stores every metric on both splits for the nominal set, each variation and the robustness', () => {
    const keys = result.scores.map((r) => `${r.split}/${r.variation}/${r.metric}`).sort();
    const expected = ['public', 'private'].flatMap((split) =>
      ['nominal', 'up', 'down', 'systematics'].flatMap((variation) => ['auc', 'rejection_at_0.5'].map((metric) => `${split}/${variation}/${metric}`)),
    );
    expect(keys).toEqual(expected.sort());
    expect(result.details.map((d) => `${d.split}/${d.variation}`).sort()).toEqual(['private/down', 'private/nominal', 'private/up', 'public/down', 'public/nominal', 'public/up']);
  });

  it('computes the robustness from the stored values with the pair rule, and replicas paired with the nominal ones', () => {
    for (const split of ['public', 'private'] as const) {
      const value = (variation: string) => result.scores.find((r) => r.split === split && r.variation === variation && r.metric === 'auc');
      const expected = systematicRobustness(value('nominal')?.value as number, [
        { name: 'up', value: value('up')?.value as number, group: 'g', pairedWith: 'down' },
        { name: 'down', value: value('down')?.value as number, group: 'g' },
      ]).total;
      expect(value('systematics')?.value).toBe(expected);
      expect(expected).toBeGreaterThan(0);
      expect(value('systematics')?.replicas).toHaveLength(30);
      // The unchanged "down" set is resampled exactly like the nominal one: identical replicas.
      expect(value('down')?.replicas).toEqual(value('nominal')?.replicas);
    }
  });

  it('gives a perfect classifier robustness 0, also for a rejection that is unbounded everywhere', () => {
    const perfect = Float64Array.from(labels);
    const perfectResult = computeSubmissionScores(
      binaryTruth,
      { task: 'binary-classification', rows: 3 * n, scores: new Map([['nominal', perfect], ['up', perfect], ['down', perfect]]) },
      binaryDefinition,
      manifest,
    );
    const robustness = perfectResult.scores.filter((r) => r.variation === 'systematics');
    expect(robustness.map((r) => r.value)).toEqual([0, 0, 0, 0]);
    expect(perfectResult.scores.find((r) => r.variation === 'nominal' && r.metric === 'rejection_at_0.5')?.value).toBe(Infinity);
  });

  it('draws a reduced ROC from (0,0) to (1,1) and histograms holding the scored weights', () => {
    const detail = result.details.find((d) => d.split === 'public' && d.variation === 'nominal')?.data;
    if (detail?.kind !== 'binary') throw new Error('expected a binary detail');
    expect([detail.roc.tpr[0], detail.roc.fpr[0]]).toEqual([0, 0]);
    expect([detail.roc.tpr.at(-1), detail.roc.fpr.at(-1)]).toEqual([1, 1]);
    expect(detail.roc.tpr.length).toBeLessThanOrEqual(500);
    expect(detail.histogram.edges).toHaveLength(51);
    expect(detail.histogram.signal.reduce((a, b) => a + b, 0)).toBeCloseTo(manifest.expectedYields.signal, 9);
    expect(detail.histogram.background.reduce((a, b) => a + b, 0)).toBeCloseTo(manifest.expectedYields.background, 9);
  });

  it('refuses variations whose pairing cannot be combined, naming the challenge', () => {
    const broken = { ...binaryDefinition, scoring: { ...binaryDefinition.scoring, variations: [{ name: 'up', group: 'a', pairedWith: 'down', label: 'Up' }, { name: 'down', group: 'b', label: 'Down' }] } };
    expect(() => computeSubmissionScores(binaryTruth, predictions, broken, manifest)).toThrow(/unit-binary.*cannot be combined/);
  });
});

describe('computeSubmissionScores (interval estimation)', () => {
  const sets = 12;
  const perSet = 8;
  const count = sets * perSet;
  const setIds = Float64Array.from({ length: count }, (_, i) => Math.floor(i / perSet));
  const muTrue = Float64Array.from(setIds, (s) => 0.2 + s * 0.23);
  const peIds = Float64Array.from({ length: count }, (_, i) => i);
  const truth: ChallengeTruth = { task: 'interval-estimation', peIds, setIds, muTrue, rowById: new Map(Array.from(peIds, (id, row) => [id, row])) };
  const muHat = Float64Array.from(muTrue, (mu, i) => mu + (((i * 7919) % 101) / 101 - 0.5) * 0.4);
  const predictions = {
    task: 'interval-estimation' as const,
    rows: count,
    muHat,
    deltaMuHat: new Float64Array(count).fill(0.1),
    p16: Float64Array.from(muHat, (m) => m - 0.13),
    p84: Float64Array.from(muHat, (m) => m + 0.13),
  };
  const definition = challengeDefinitionSchema.parse({
    ...binaryDefinition,
    slug: 'unit-interval',
    task: 'interval-estimation',
    metrics: [{ id: 'quantile_score', primary: true }, { id: 'coverage' }, { id: 'interval_width' }, { id: 'rmse' }, { id: 'mae' }],
    scoring: { bootstrapReplicas: 40 },
  });

  it('keeps every pseudo-experiment of a set on one side and scores both splits with shared, paired resamples', () => {
    const result = computeSubmissionScores(truth, predictions, definition, manifest);
    expect(result.scores).toHaveLength(10);
    const publicSets = assignPublicSplit(Array.from({ length: sets }, (_, s) => s), definition.splits.seed, definition.splits.publicFraction);
    const detail = result.details.find((d) => d.split === 'public')?.data;
    if (detail?.kind !== 'interval') throw new Error('expected an interval detail');
    for (const peId of detail.pe.peId) expect(publicSets[Math.floor(peId / perSet)]).toBe(1);
    expect(detail.coverageByMu.count.reduce((a, b) => a + b, 0)).toBe(detail.pe.peId.length);
    for (const row of result.scores) {
      expect(row.replicas).toHaveLength(40);
      expect(row.ciLow).toBeLessThanOrEqual(row.ciHigh as number);
    }
    // Another submission gets the same set draws: a constant shift of the widths shifts every width replica.
    const wider = computeSubmissionScores(truth, { ...predictions, p84: Float64Array.from(predictions.p84, (v) => v + 0.1) }, definition, manifest);
    const widths = (r: typeof result) => r.scores.find((s) => s.split === 'private' && s.metric === 'interval_width')?.replicas as number[];
    widths(wider).forEach((w, k) => expect(w - (widths(result)[k] as number)).toBeCloseTo(0.1, 12));
  });

  it('refuses a split that would hold no pseudo-experiment', () => {
    const oneSet: ChallengeTruth = { ...truth, setIds: new Float64Array(count) };
    expect(() => computeSubmissionScores(oneSet, predictions, definition, manifest)).toThrow(/no pseudo-experiments on its (public|private) split/);
  });
});
