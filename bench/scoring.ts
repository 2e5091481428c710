import { computeBinaryMetrics, metricRegistry, type MetricId } from '@/scoring/registry';

/** Seeded xorshift so every run scores the same events. */
function makeEvents(n: number, seed = 12345) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const isSignal = next() < 0.3;
    labels[i] = isSignal ? 1 : 0;
    scores[i] = Math.min(1, Math.max(0, (isSignal ? 0.6 : 0.4) + (next() - 0.5) * 0.8));
    weights[i] = isSignal ? 0.002 : 0.5 + next();
  }
  return { labels, scores, weights };
}

function medianMs(repeats: number, run: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/**
 * All binary metrics of the registry on N events against the baseline of sorting the N scores once
 * (Float64Array.prototype.sort), both measured here, median of a few repeats.
 */
export async function runScoringBench(args: string[]) {
  const eventsArg = args.indexOf('--events');
  const n = eventsArg >= 0 ? Number(args[eventsArg + 1]) : 1_000_000;
  if (!Number.isInteger(n) || n < 10) throw new Error(`--events must be an integer ≥ 10, got ${args[eventsArg + 1]}`);
  const input = makeEvents(n);
  const ids = Object.keys(metricRegistry) as MetricId[];
  const repeats = 5;
  const sortMs = medianMs(repeats, () => {
    Float64Array.from(input.scores).sort();
  });
  let values: Record<string, number> = {};
  const metricsMs = medianMs(repeats, () => {
    values = computeBinaryMetrics(input, ids);
  });
  return {
    bench: 'scoring',
    events: n,
    metrics: ids,
    values,
    baseline: { name: 'Float64Array.prototype.sort of the scores', medianMs: Number(sortMs.toFixed(2)) },
    allMetricsMedianMs: Number(metricsMs.toFixed(2)),
    ratioToSort: Number((metricsMs / sortMs).toFixed(3)),
    repeats,
    node: process.version,
  };
}
