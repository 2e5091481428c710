import { describe, expect, it } from 'vitest';
import { createRandomStream, RandomStream, splitMix64 } from './random-stream';

describe('RandomStream', () => {
  it('reproduces the reference xoshiro128** outputs for state {1, 2, 3, 4}', () => {
    const stream = new RandomStream([1, 2, 3, 4]);
    expect([stream.nextUint32(), stream.nextUint32(), stream.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it('reproduces the reference SplitMix64 outputs for seed 0', () => {
    const mixer = splitMix64(0n);
    expect([mixer.next().value, mixer.next().value, mixer.next().value]).toEqual([
      0xe220a8397b1dcdafn,
      0x6e789e6aa1b965f4n,
      0x06c45d188009454fn,
    ]);
  });

  it('gives the same sequence for the same seed and name, and different ones for other seeds or names', () => {
    const draw = (seed: number, name: string) => {
      const s = createRandomStream(seed, name);
      return Array.from({ length: 5 }, () => s.nextUint32());
    };
    expect(draw(42, 'train/htautau')).toEqual(draw(42, 'train/htautau'));
    expect(draw(42, 'train/htautau')).not.toEqual(draw(43, 'train/htautau'));
    expect(draw(42, 'train/htautau')).not.toEqual(draw(42, 'test/htautau'));
  });

  it('draws distributions with the requested moments', () => {
    const s = createRandomStream(7, 'moments');
    const n = 200_000;
    const moments = (draw: () => number) => {
      let sum = 0;
      let sumSquares = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        sum += x;
        sumSquares += x * x;
      }
      const mean = sum / n;
      return { mean, variance: sumSquares / n - mean * mean };
    };
    const uniform = moments(() => s.nextFloat());
    expect(uniform.mean).toBeCloseTo(0.5, 2);
    expect(uniform.variance).toBeCloseTo(1 / 12, 3);
    const normal = moments(() => s.normal(3, 2));
    expect(normal.mean).toBeCloseTo(3, 1);
    expect(normal.variance).toBeCloseTo(4, 1);
    const exponential = moments(() => s.exponential(5));
    expect(exponential.mean).toBeCloseTo(5, 1);
    expect(exponential.variance).toBeCloseTo(25, 0);
    const poisson = moments(() => s.poisson(1.7));
    expect(poisson.mean).toBeCloseTo(1.7, 1);
    expect(poisson.variance).toBeCloseTo(1.7, 1);
  });

  it('draws normal deviates whose CDF matches Φ, tails included', () => {
    const s = createRandomStream(11, 'ziggurat');
    const n = 1_000_000;
    const points = [-4, -3.5, -3, -2, -1, 0, 1, 2, 3, 3.5, 4];
    const phi = [3.167e-5, 2.326e-4, 1.3499e-3, 0.0227501, 0.1586553, 0.5, 0.8413447, 0.9772499, 0.9986501, 0.9997674, 0.9999683];
    const below = new Array<number>(points.length).fill(0);
    for (let i = 0; i < n; i++) {
      const z = s.normal();
      for (let k = 0; k < points.length; k++) if (z < (points[k] as number)) below[k] = (below[k] as number) + 1;
    }
    points.forEach((_, k) => {
      const p = phi[k] as number;
      const tolerance = 5 * Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs((below[k] as number) / n - p), `P(z < ${points[k]})`).toBeLessThan(tolerance);
    });
  });

  it('keeps uniform draws in [0, 1) and integers in [0, n)', () => {
    const s = createRandomStream(1);
    for (let i = 0; i < 10_000; i++) {
      const u = s.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      const k = s.integer(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it('returns a permutation that contains every index once', () => {
    const order = createRandomStream(3).permutation(1000);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(order.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects a negative or fractional seed', () => {
    expect(() => createRandomStream(-1)).toThrow(/non-negative safe integer/);
    expect(() => createRandomStream(1.5)).toThrow(/non-negative safe integer/);
  });
});

describe('RandomStream.poissonExact', () => {
  it.each([3, 12.5, 50, 1582])('has mean and variance equal to the mean (%s) over 40000 draws', (mean) => {
    const rng = createRandomStream(99, `poisson-${mean}`);
    const n = 40000;
    let sum = 0;
    let sumSquares = 0;
    let isInteger = true;
    for (let i = 0; i < n; i++) {
      const k = rng.poissonExact(mean);
      if (!Number.isInteger(k) || k < 0) isInteger = false;
      sum += k;
      sumSquares += k * k;
    }
    const m = sum / n;
    const variance = sumSquares / n - m * m;
    expect(isInteger).toBe(true);
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / n));
    expect(Math.abs(variance / mean - 1)).toBeLessThan(0.05);
  });

  it('matches the Poisson probability of small counts at a large mean (P(k = 20 | 20) ≈ 0.0888)', () => {
    const rng = createRandomStream(5, 'pmf');
    let hits = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) if (rng.poissonExact(20) === 20) hits++;
    expect(Math.abs(hits / n - 0.08883)).toBeLessThan(0.004);
  });
});
