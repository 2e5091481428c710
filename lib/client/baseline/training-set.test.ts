import { describe, expect, it } from 'vitest';
import { decodeArrowTable, encodeArrowTable } from '@/lib/shared/arrow';
import { balancedClassWeights, buildTrainingSet } from './training-set';

function table(n: number) {
  const a = Float32Array.from({ length: n }, (_, i) => i);
  const b = Float32Array.from({ length: n }, (_, i) => 1000 + i);
  const label = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const weight = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0.001 : 2));
  return decodeArrowTable(encodeArrowTable({ a, b, label, weight }));
}

describe('loading the Arrow training file for the browser baseline', () => {
  it('keeps features, label and weight of one event together through the shuffle', () => {
    const set = buildTrainingSet(table(300), ['a', 'b'], { subsampleFraction: 1, validationFraction: 0.2, seed: 1 });
    for (const part of [set.train, set.validation]) {
      for (let r = 0; r < part.x.rows; r++) {
        const id = part.x.data[r * 2] ?? -1;
        expect(part.x.data[r * 2 + 1]).toBe(1000 + id);
        expect(part.labels[r]).toBe(id % 3 === 0 ? 1 : 0);
        expect(part.weights[r]).toBeCloseTo(id % 3 === 0 ? 0.001 : 2, 6);
      }
    }
  });

  it('holds out a disjoint validation part and honours the subsample size', () => {
    const set = buildTrainingSet(table(1000), ['a', 'b'], { subsampleFraction: 0.5, validationFraction: 0.2, seed: 7 });
    expect(set.validation.x.rows).toBe(100);
    expect(set.train.x.rows).toBe(400);
    const ids = (rows: typeof set.train) => Array.from({ length: rows.x.rows }, (_, r) => rows.x.data[r * 2]);
    const train = new Set(ids(set.train));
    expect(ids(set.validation).some((id) => train.has(id))).toBe(false);
    expect(train.size).toBe(400);
  });

  it('gives the same rows for the same seed and different rows for another', () => {
    const first = buildTrainingSet(table(500), ['a'], { subsampleFraction: 0.3, validationFraction: 0.2, seed: 3 });
    const again = buildTrainingSet(table(500), ['a'], { subsampleFraction: 0.3, validationFraction: 0.2, seed: 3 });
    const other = buildTrainingSet(table(500), ['a'], { subsampleFraction: 0.3, validationFraction: 0.2, seed: 4 });
    expect(Array.from(again.train.x.data)).toEqual(Array.from(first.train.x.data));
    expect(Array.from(other.train.x.data)).not.toEqual(Array.from(first.train.x.data));
  });

  it('names a missing feature column', () => {
    expect(() => buildTrainingSet(table(10), ['a', 'PRI_nope'], { subsampleFraction: 1, validationFraction: 0.2, seed: 1 })).toThrow(/no column "PRI_nope"/);
  });

  it('balances the classes so that each sums to half the rows', () => {
    const labels = Uint8Array.from([1, 0, 0, 0]);
    const w = balancedClassWeights(labels, Float32Array.from([0.001, 1, 2, 1]));
    expect(Array.from(w)).toEqual([2, 0.5, 1, 0.5]);
  });
});

describe('reading the test table for predictions', () => {
  it('keeps each id with its own features, in the requested feature order', async () => {
    const { readTestMatrix } = await import('./training-set');
    const table = decodeArrowTable(
      encodeArrowTable({ id: Int32Array.from([7, 3]), b: Float32Array.from([70, 30]), a: Float32Array.from([0.7, 0.3]) }),
    );
    const { ids, x } = readTestMatrix(table, ['a', 'b']);
    expect(Array.from(ids)).toEqual([7, 3]);
    expect(Array.from(x.data)).toEqual([Math.fround(0.7), 70, Math.fround(0.3), 30]);
    expect(() => readTestMatrix(table, ['a', 'c'])).toThrow(/no column "c"/);
  });
});
