import type { DecodedArrowTable } from '@/lib/shared/arrow';
import type { Matrix } from './standardise';

export type LabelledRows = { x: Matrix; labels: Uint8Array; weights: Float32Array };
export type TrainingSet = { train: LabelledRows; validation: LabelledRows; featureNames: string[] };

export type TrainingSetOptions = {
  /** Use at most this fraction (0, 1] of the training file, chosen at random with `seed`. */
  subsampleFraction: number;
  /** Fraction of the used rows held out for validation (0, 0.9]. */
  validationFraction: number;
  seed: number;
};

/** Small seeded generator (mulberry32): the same seed gives the same subsample and hold-out in every browser. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function numericColumn(table: DecodedArrowTable, name: string): ArrayLike<number> {
  const column = table.columns[name];
  if (!column) throw new Error(`The training file has no column "${name}" (it has ${table.columnNames.join(', ')}).`);
  if (Array.isArray(column)) throw new Error(`Column "${name}" of the training file holds text, expected numbers.`);
  return column;
}

/**
 * Turns the decoded training table into row-major feature matrices with labels and weights, after a seeded
 * subsample and a seeded train/validation split (a shuffled permutation, so the two parts never share a row).
 */
export function buildTrainingSet(table: DecodedArrowTable, featureNames: string[], options: TrainingSetOptions): TrainingSet {
  if (!(options.subsampleFraction > 0 && options.subsampleFraction <= 1)) throw new Error('The subsample must be a fraction in (0, 1].');
  if (!(options.validationFraction > 0 && options.validationFraction <= 0.9)) throw new Error('The validation part must be a fraction in (0, 0.9].');
  const features = featureNames.map((name) => numericColumn(table, name));
  const labels = numericColumn(table, 'label');
  const weights = numericColumn(table, 'weight');
  const random = makeRandom(options.seed);
  const order = new Uint32Array(table.numRows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
  const used = Math.max(2, Math.round(table.numRows * options.subsampleFraction));
  const validationRows = Math.max(1, Math.round(used * options.validationFraction));
  const take = (from: number, to: number): LabelledRows => {
    const rows = to - from;
    const cols = features.length;
    const data = new Float32Array(rows * cols);
    const y = new Uint8Array(rows);
    const w = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const source = order[from + r] ?? 0;
      for (let c = 0; c < cols; c++) data[r * cols + c] = features[c]?.[source] ?? 0;
      y[r] = labels[source] === 1 ? 1 : 0;
      w[r] = weights[source] ?? 0;
    }
    return { x: { data, rows, cols }, labels: y, weights: w };
  };
  return { featureNames, validation: take(0, validationRows), train: take(validationRows, used) };
}

/** The test table's ids and its features as a row-major matrix in `featureNames` order. */
export function readTestMatrix(table: DecodedArrowTable, featureNames: string[]): { ids: ArrayLike<number>; x: Matrix } {
  const ids = numericColumn(table, 'id');
  const cols = featureNames.length;
  const data = new Float32Array(table.numRows * cols);
  featureNames.forEach((name, c) => {
    const column = numericColumn(table, name);
    for (let r = 0; r < table.numRows; r++) data[r * cols + c] = column[r] ?? 0;
  });
  return { ids, x: { data, rows: table.numRows, cols } };
}

/**
 * Per-event training weights with the two classes balanced: each class sums to half the number of rows, keeping
 * the physics weights' shape within a class (signal weights are tiny in absolute terms, which would starve it).
 */
export function balancedClassWeights(labels: Uint8Array, weights: Float32Array): Float32Array {
  const sums = [0, 0];
  for (let i = 0; i < labels.length; i++) sums[labels[i] ?? 0] = (sums[labels[i] ?? 0] ?? 0) + (weights[i] ?? 0);
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const s = sums[labels[i] ?? 0] ?? 0;
    out[i] = s > 0 ? ((weights[i] ?? 0) / s) * (labels.length / 2) : 0;
  }
  return out;
}

/** Downloads a file, reporting bytes received (total is null when the server gives no length). */
export async function fetchWithProgress(url: string, onProgress: (received: number, total: number | null) => void, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, { signal, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`Downloading ${url} failed with HTTP ${response.status}.`);
  const total = Number(response.headers.get('content-length')) || null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.byteLength;
    onProgress(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}
