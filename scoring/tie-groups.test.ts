import { describe, expect, it } from 'vitest';
import { percentile } from './percentile';
import { pairedTieGroups, percentileSign } from './tie-groups';

/** Replica values: a shared fluctuation per replica (pairing) plus the entry's offset and a little own noise. */
function replicas(offset: number, ownNoise: number, seed: number, count = 200): Float64Array {
  const values = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    const shared = Math.sin(r * 12.9898) * 0.05; // common to every entry: cancels in paired differences
    const own = Math.sin((r + 1) * (seed + 1) * 78.233) * ownNoise;
    values[r] = offset + shared + own;
  }
  return values;
}

describe('pairedTieGroups', () => {
  it('separates entries whose paired differences exclude 0, even when their own spreads overlap', () => {
    // Offsets 0.002 apart with a common ±0.05 fluctuation: unpaired intervals overlap, paired ones do not.
    const ranks = pairedTieGroups(
      [
        { key: 'b', value: 0.8, replicaValues: replicas(0.8, 0.0001, 2) },
        { key: 'a', value: 0.802, replicaValues: replicas(0.802, 0.0001, 1) },
      ],
      'maximize',
    );
    expect(ranks).toEqual([
      { key: 'a', rank: 1, group: 1, rankInterval: [1, 1] },
      { key: 'b', rank: 2, group: 2, rankInterval: [2, 2] },
    ]);
  });

  it('ties entries whose paired differences straddle 0', () => {
    const ranks = pairedTieGroups(
      [
        { key: 'a', value: 0.8001, replicaValues: replicas(0.8001, 0.01, 1) },
        { key: 'b', value: 0.8, replicaValues: replicas(0.8, 0.01, 2) },
      ],
      'maximize',
    );
    expect(ranks.map((r) => [r.key, r.group, r.rankInterval])).toEqual([
      ['a', 1, [1, 2]],
      ['b', 1, [1, 2]],
    ]);
  });

  it("starts a new group at the first entry not tied with the group's leader (no long chains)", () => {
    // a ~ b and b ~ c, but a beats c: leader rule gives groups {a, b}, {c}.
    const shared = replicas(0, 0, 0);
    const a = shared.map((x) => 1 + x);
    const b = shared.map((x, r) => 0.999 + x + (r % 2 === 0 ? 0.003 : -0.003));
    const c = shared.map((x) => 0.998 + x);
    const ranks = pairedTieGroups(
      [
        { key: 'a', value: 1.0, replicaValues: a },
        { key: 'b', value: 0.999, replicaValues: b },
        { key: 'c', value: 0.998, replicaValues: c },
      ],
      'maximize',
    );
    const byKey = Object.fromEntries(ranks.map((r) => [r.key, r]));
    expect(byKey.a?.group).toBe(1);
    expect(byKey.b?.group).toBe(1);
    expect(byKey.c?.group).toBe(2);
    // Rank intervals: the only sure comparison is a above c.
    expect(byKey.a?.rankInterval).toEqual([1, 2]);
    expect(byKey.b?.rankInterval).toEqual([1, 3]);
    expect(byKey.c?.rankInterval).toEqual([2, 3]);
  });

  it('sorts ascending for minimize, and identical entries are tied', () => {
    const same = replicas(0.3, 0.01, 5);
    const ranks = pairedTieGroups(
      [
        { key: 'worse', value: 0.5, replicaValues: replicas(0.5, 0.001, 4) },
        { key: 'x', value: 0.3, replicaValues: same },
        { key: 'y', value: 0.3, replicaValues: Float64Array.from(same) },
      ],
      'minimize',
    );
    expect(ranks.map((r) => [r.key, r.rank, r.group])).toEqual([
      ['x', 1, 1],
      ['y', 2, 1],
      ['worse', 3, 2],
    ]);
  });

  it('handles unbounded (Infinity) values without NaN', () => {
    const inf = new Float64Array(50).fill(Infinity);
    const ranks = pairedTieGroups(
      [
        { key: 'finite', value: 100, replicaValues: new Float64Array(50).fill(100) },
        { key: 'inf1', value: Infinity, replicaValues: inf },
        { key: 'inf2', value: Infinity, replicaValues: Float64Array.from(inf) },
      ],
      'maximize',
    );
    expect(ranks.map((r) => [r.key, r.group])).toEqual([
      ['inf1', 1],
      ['inf2', 1],
      ['finite', 2],
    ]);
  });

  it('returns [] for no entries and rejects NaN or unequal replica counts', () => {
    expect(pairedTieGroups([], 'maximize')).toEqual([]);
    expect(() => pairedTieGroups([{ key: 'a', value: Number.NaN, replicaValues: Float64Array.of(1) }], 'maximize')).toThrow(RangeError);
    expect(() =>
      pairedTieGroups(
        [
          { key: 'a', value: 1, replicaValues: Float64Array.of(1, 2) },
          { key: 'b', value: 1, replicaValues: Float64Array.of(1) },
        ],
        'maximize',
      ),
    ).toThrow(/expected 2 replica values for "b", found 1/);
    expect(() => pairedTieGroups([{ key: 'a', value: 1, replicaValues: new Float64Array(0) }], 'maximize')).toThrow(RangeError);
  });
});

describe('percentileSign', () => {
  it('gives the sign of the sorted-array percentile exactly, on values with zeros, ties and infinities', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pool = [0, 0, -0, 1e-300, -1e-300, Infinity, -Infinity, 0.5, -0.5];
    for (let trial = 0; trial < 5000; trial++) {
      const m = 1 + Math.floor(random() * 40);
      const values = Float64Array.from({ length: m }, () => (random() < 0.3 ? (pool[Math.floor(random() * pool.length)] as number) : random() * 2 - 1 + (random() < 0.5 ? 0.3 : -0.3)));
      for (const p of [0, 2.5, 50, 97.5, 100]) {
        const expected = percentile(Float64Array.from(values).sort(), p);
        expect(percentileSign(values, p), `p=${p} values=${Array.from(values).join(',')}`).toBe(expected > 0 ? 1 : expected < 0 ? -1 : 0);
      }
    }
  });
});
