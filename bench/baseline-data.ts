import { makeRandom, type LabelledRows } from '@/lib/client/baseline/training-set';

/**
 * Synthetic standardised training data for the baseline benchmark: `events` rows × `features` columns, 30 % signal
 * shifted along a few features. Generated from a seed in each runtime (Node and the browser) so both train on
 * identical numbers without shipping them.
 */
export function makeBenchRows(events: number, features: number, seed: number): LabelledRows {
  const random = makeRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const data = new Float32Array(events * features);
  const labels = new Uint8Array(events);
  const weights = new Float32Array(events);
  for (let i = 0; i < events; i++) {
    const isSignal = random() < 0.3;
    labels[i] = isSignal ? 1 : 0;
    weights[i] = isSignal ? 0.002 : 1;
    for (let c = 0; c < features; c++) data[i * features + c] = gauss() + (isSignal && c % 5 === 0 ? 0.6 : 0);
  }
  return { x: { data, rows: events, cols: features }, labels, weights };
}
