import { describe, expect, it } from 'vitest';
import { resolveBinaryParams } from './binary-params';
import { createReplicaBuffers, PreparedBinaryInput } from './prepared-binary-input';
import { binaryMetricIds, computeBinaryMetricsOfPrepared } from './registry';

const input = {
  labels: Uint8Array.of(1, 0, 1, 0, 1, 0, 0, 1, 0, 1),
  scores: Float64Array.of(0.9, 0.8, 0.8, 0.3, 0.3, 0.1, 0.6, 0.55, 0.55, 0.2),
  weights: Float64Array.of(2, 1, 0.5, 4, 1, 3, 1.5, 2, 0, 1),
};
const params = resolveBinaryParams({ threshold: 0.5, classes: Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0, 0, 1) }, 10);

describe('PreparedBinaryInput', () => {
  it('sorts once and builds the ROC once, shared by every metric', () => {
    const prepared = PreparedBinaryInput.prepare(input);
    const roc = prepared.roc();
    computeBinaryMetricsOfPrepared(prepared, binaryMetricIds, params);
    expect(prepared.roc()).toBe(roc);
    expect(prepared.reducedRocIndices()).toBe(prepared.reducedRocIndices());
  });

  it('gives the same metrics on its sorted view as on the rows (up to summation order)', () => {
    const prepared = PreparedBinaryInput.prepare(input);
    const rows = computeBinaryMetricsOfPrepared(prepared, binaryMetricIds, params);
    const sorted = computeBinaryMetricsOfPrepared(prepared.sortedSpace(), binaryMetricIds, params);
    for (const id of binaryMetricIds) expect(sorted[id]).toBeCloseTo(rows[id], 12);
    expect(Array.from(prepared.sortedSpace().scores)).toEqual([0.9, 0.8, 0.8, 0.6, 0.55, 0.55, 0.3, 0.3, 0.2, 0.1]);
  });

  it('makes the same replica from row-order counts and from the same counts in sorted order', () => {
    const prepared = PreparedBinaryInput.prepare(input);
    const counts = Uint16Array.of(2, 0, 1, 1, 3, 0, 1, 2, 0, 0);
    const rowReplica = prepared.withCounts(counts, createReplicaBuffers(10));
    const space = prepared.sortedSpace();
    const sortedCounts = new Uint16Array(10);
    const positions = space.rowPositions();
    counts.forEach((c, row) => (sortedCounts[positions[row] as number] = c));
    const sortedReplica = space.withCounts(sortedCounts, createReplicaBuffers(10));
    if (!rowReplica || !sortedReplica) throw new Error('both classes are present in this replica');
    const a = computeBinaryMetricsOfPrepared(rowReplica, binaryMetricIds, params);
    const b = computeBinaryMetricsOfPrepared(sortedReplica, binaryMetricIds, params);
    for (const id of binaryMetricIds) expect(b[id]).toBeCloseTo(a[id], 12);
  });

  it('returns no replica when the counts leave a class without weight', () => {
    const prepared = PreparedBinaryInput.prepare(input);
    const onlyBackground = Uint16Array.of(0, 3, 0, 1, 0, 2, 1, 0, 0, 0);
    expect(prepared.withCounts(onlyBackground, createReplicaBuffers(10))).toBeUndefined();
    expect(prepared.sortedSpace().withCounts(Uint16Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1).fill(0), createReplicaBuffers(10))).toBeUndefined();
    expect(() => prepared.withCounts(new Uint16Array(3), createReplicaBuffers(10))).toThrow(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
  });
});
