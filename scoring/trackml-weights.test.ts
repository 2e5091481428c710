import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeTrackmlHitWeights, trackmlOrderWeight, trackmlPtWeight } from './trackml-weights';

type GeneratedEvent = { particle: number[]; tz: number[]; vz: number[]; pt: number[]; weight: number[] };
const reference = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../tests/fixtures/trackml/reference.json'), 'utf8')) as { weights: GeneratedEvent[] };

describe('TrackML hit weights', () => {
  it.each(reference.weights.map((event, k) => [k, event] as const))('match the pandas reference on generated event %i', (_k, event) => {
    const weights = computeTrackmlHitWeights({ particleOfHit: Int32Array.from(event.particle), hitTz: event.tz, particleVz: event.vz, particlePt: event.pt });
    expect(weights.length).toBe(event.weight.length);
    event.weight.forEach((w, i) => expect(weights[i]).toBeCloseTo(w, 14));
  });

  it('weighs the first and last hits of a track most, each row summing to 1, short particles and long tails 0', () => {
    const first = trackmlOrderWeight(0, 10);
    expect(first).toBeGreaterThan(trackmlOrderWeight(5, 10));
    expect(trackmlOrderWeight(9, 10)).toBeGreaterThan(trackmlOrderWeight(5, 10));
    for (const nhits of [4, 7, 13, 20]) {
      let sum = 0;
      for (let i = 0; i < nhits; i++) sum += trackmlOrderWeight(i, nhits);
      expect(sum).toBeCloseTo(1, 14);
    }
    // 4 hits: the proposal 10, 8, 6, 5, 3, 3, 3, 5, 6 read at 0, 1, 2, 3 over supports k·3/8 → 10, 16/3, 3, 6.
    expect(trackmlOrderWeight(0, 4)).toBeCloseTo(10 / (10 + 16 / 3 + 3 + 6), 15);
    expect(trackmlOrderWeight(2, 3)).toBe(0);
    expect(trackmlOrderWeight(3, 25)).toBe(trackmlOrderWeight(3, 20));
    expect(trackmlOrderWeight(21, 25)).toBe(0);
    expect(() => trackmlOrderWeight(4, 4)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });

  it('weighs low-pT particles 0.2, rising to 1 at 3 GeV, and nothing below 50 MeV', () => {
    expect(trackmlPtWeight(0.01)).toBe(0);
    expect(trackmlPtWeight(0.05)).toBe(0.2);
    expect(trackmlPtWeight(0.4)).toBe(0.2);
    expect(trackmlPtWeight(1.75)).toBeCloseTo(0.6, 15);
    expect(trackmlPtWeight(3)).toBe(1);
    expect(trackmlPtWeight(50)).toBe(1);
    expect(() => trackmlPtWeight(Number.NaN)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
  });

  it('gives noise 0, orders hits by distance from the vertex, and refuses an event without weight', () => {
    const w = computeTrackmlHitWeights({ particleOfHit: Int32Array.of(0, -1, 0, 0, 0), hitTz: [40, 3, -10, 25, 5], particleVz: [0], particlePt: [5] });
    expect(w[1]).toBe(0);
    // Order by |tz − vz|: hit 4 (5), hit 2 (10), hit 3 (25), hit 0 (40).
    expect([w[4], w[2], w[3], w[0]].map((x) => (x as number).toFixed(12))).toEqual([0, 1, 2, 3].map((i) => trackmlOrderWeight(i, 4).toFixed(12)));
    expect(() => computeTrackmlHitWeights({ particleOfHit: Int32Array.of(0, 0, 0), hitTz: [1, 2, 3], particleVz: [0], particlePt: [5] })).toThrow(expect.objectContaining({ code: 'ZERO_WEIGHT' }));
    expect(() => computeTrackmlHitWeights({ particleOfHit: Int32Array.of(2), hitTz: [1], particleVz: [0], particlePt: [5] })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', row: 0 }));
  });
});
