/**
 * The 32-bit Mersenne Twister MT19937 (M. Matsumoto, T. Nishimura, ACM TOMACS 8 (1998) 3), seeded like numpy's
 * legacy `np.random.RandomState(seed)` for an integer seed (`init_genrand`), so that resamplings defined with
 * numpy's legacy generator are reproduced exactly. Deterministic: the same seed gives the same stream anywhere.
 *
 * @example
 * ```ts
 * new Mt19937(5489).nextUint32(); // → 3499211612 (the reference implementation's first output)
 * ```
 */
export class Mt19937 {
  private readonly state = new Uint32Array(624);
  private index = 624;

  /** @throws {RangeError} unless 0 ≤ seed < 2^32 is an integer (numpy's rule). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`An MT19937 seed must be an integer between 0 and 2^32 − 1; found ${seed}.`);
    }
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const previous = mt[i - 1] as number;
      mt[i] = (Math.imul(1812433253, (previous ^ (previous >>> 30)) >>> 0) + i) >>> 0;
    }
  }

  /** The next 32-bit output (tempered), as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.state[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A uniform integer in [0, bound) by numpy's legacy masked rejection (`RandomState.randint(0, bound)`, which
   * `RandomState.choice(n, replace=True)` uses): draw 32 bits, keep the low bits of mask = 2^k − 1 ≥ bound − 1,
   * retry while the value exceeds bound − 1. bound = 1 returns 0 without drawing, as numpy does.
   *
   * @throws {RangeError} unless 1 ≤ bound ≤ 2^32 is an integer.
   */
  nextBelow(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 0x100000000) {
      throw new RangeError(`The bound must be an integer between 1 and 2^32; found ${bound}.`);
    }
    const max = bound - 1;
    if (max === 0) return 0;
    if (max === 0xffffffff) return this.nextUint32();
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  private twist(): void {
    const mt = this.state;
    for (let k = 0; k < 624; k++) {
      const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % 624] as number) & 0x7fffffff);
      mt[k] = ((mt[(k + 397) % 624] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.index = 0;
  }
}
