import 'server-only';
import type { BinaryScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import type { PreparedBinaryInput } from '@/scoring/prepared-binary-input';

const maxRocPoints = 500;
const histogramBins = 50;

/**
 * Plot data of one (split, test set) of a binary submission: the reduced weighted ROC from (0,0) to (1,1), evenly
 * thinned to at most 500 points (first and last kept), and weighted score histograms per class on 50 equal bins
 * of [0, 1] (scores outside [0, 1] counted in the edge bins). Weights as scored (renormalised to the yields).
 */
export function buildBinaryDetail(prepared: PreparedBinaryInput, input: { labels: Uint8Array; scores: Float64Array; weights: Float64Array }): BinaryScoreDetail {
  const roc = prepared.roc();
  const kept = prepared.reducedRocIndices();
  const tpr = [0];
  const fpr = [0];
  for (const k of kept) {
    tpr.push((roc.truePositiveWeight[k] as number) / roc.totalSignalWeight);
    fpr.push((roc.falsePositiveWeight[k] as number) / roc.totalBackgroundWeight);
  }
  const picked = thinEvenly(tpr.length, maxRocPoints);

  const signal = new Array<number>(histogramBins).fill(0);
  const background = new Array<number>(histogramBins).fill(0);
  for (let i = 0; i < input.scores.length; i++) {
    const bin = Math.min(histogramBins - 1, Math.max(0, Math.floor((input.scores[i] as number) * histogramBins)));
    const counts = input.labels[i] === 1 ? signal : background;
    counts[bin] = (counts[bin] as number) + (input.weights[i] as number);
  }
  return {
    kind: 'binary',
    roc: { tpr: picked.map((k) => tpr[k] as number), fpr: picked.map((k) => fpr[k] as number) },
    histogram: { edges: Array.from({ length: histogramBins + 1 }, (_, k) => k / histogramBins), signal, background },
  };
}

/** Indices 0 … m − 1 when m ≤ limit, else `limit` evenly spaced ones including the first and the last. */
function thinEvenly(m: number, limit: number): number[] {
  if (m <= limit) return Array.from({ length: m }, (_, k) => k);
  return Array.from({ length: limit }, (_, j) => Math.round((j * (m - 1)) / (limit - 1)));
}
