/**
 * Seeded pseudo-random numbers for the data pipeline: xoshiro128** (D. Blackman, S. Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 2021; https://prng.di.unimi.it/xoshiro128starstar.c) with its
 * 128-bit state filled by SplitMix64 (Steele, Lea, Flood 2014), the seeding the xoshiro authors recommend.
 *
 * Streams are named: `createRandomStream(seed, 'train/htautau')` hashes the name (FNV-1a 64) into the seed, so
 * adding or resizing one stream never shifts the numbers of another. Everything is integer arithmetic on 32-bit
 * words plus IEEE-754 operations, so a given seed gives the same sequence on every platform; distributions
 * that call Math.log/Math.exp may differ in the last bit between JavaScript engines.
 */

const MASK_64 = (1n << 64n) - 1n;

/** SplitMix64: a 64-bit state advanced by the golden-ratio increment, output through a variant-13 mixer. */
export function* splitMix64(seed: bigint): Generator<bigint, never, void> {
  let state = seed & MASK_64;
  for (;;) {
    state = (state + 0x9e3779b97f4a7c15n) & MASK_64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    yield z ^ (z >> 31n);
  }
}

/** FNV-1a 64-bit hash of a string's UTF-16 code units, used to turn a stream name into a seed offset. */
export function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & MASK_64;
  }
  return hash;
}

export class RandomStream {
  // xoshiro128** state as int32 words: a typed array keeps V8 from boxing values above 2³¹.
  private readonly state = new Int32Array(4);

  /** Use {@link createRandomStream}; the four words must not all be zero. */
  constructor(words: readonly [number, number, number, number]) {
    this.state.set(words.map((w) => w | 0));
    if (this.state.every((w) => w === 0)) throw new RangeError('xoshiro128** state must not be all zero.');
  }

  /** Next 32-bit output of xoshiro128**, as an unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = (s[2] as number) ^ s0;
    const s3 = (s[3] as number) ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits (two outputs). */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.nextFloat();
  }

  /** Uniform integer in [0, n) without modulo bias (n ≤ 2³²). */
  integer(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) throw new RangeError(`integer(n) needs an integer n in [1, 2^32], got ${n}.`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /**
   * Normal deviate by the ziggurat method of Marsaglia & Tsang (J. Stat. Softw. 5(8), 2000) in Doornik's
   * ZIGNOR form (2005): 128 strips, the strip index from its own random word so that it is independent of
   * the value (the correlation Doornik found in the original). About five times faster than Box–Muller here.
   */
  normal(mean = 0, sd = 1): number {
    for (;;) {
      const u = 2 * this.nextFloat() - 1;
      const i = this.nextUint32() & 127;
      if (Math.abs(u) < (ZIGGURAT_RATIO[i] as number)) return mean + sd * u * (ZIGGURAT_X[i] as number);
      if (i === 0) return mean + sd * this.normalTail(u < 0);
      const x = u * (ZIGGURAT_X[i] as number);
      const f0 = Math.exp(-0.5 * ((ZIGGURAT_X[i] as number) ** 2 - x * x));
      const f1 = Math.exp(-0.5 * ((ZIGGURAT_X[i + 1] as number) ** 2 - x * x));
      if (f1 + this.nextFloat() * (f0 - f1) < 1) return mean + sd * x;
    }
  }

  /** Marsaglia's tail algorithm for |z| > R. */
  private normalTail(isNegative: boolean): number {
    let x: number;
    let y: number;
    do {
      x = Math.log(1 - this.nextFloat()) / ZIGGURAT_R;
      y = Math.log(1 - this.nextFloat());
    } while (-2 * y < x * x);
    return isNegative ? x - ZIGGURAT_R : ZIGGURAT_R - x;
  }

  /** Exponential deviate with the given mean, by inversion. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.nextFloat());
  }

  /**
   * Poisson deviate. Knuth's multiplication method for mean < 30 (exact); above that a rounded normal
   * approximation, which is adequate for the toy's jet counts and documented as such.
   */
  poisson(mean: number): number {
    if (!(mean >= 0)) throw new RangeError(`poisson(mean) needs mean ≥ 0, got ${mean}.`);
    if (mean >= 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    return this.knuthPoisson(mean);
  }

  /** Knuth's multiplication method: exact, with a cost that grows with the mean, so for small means only. */
  private knuthPoisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.nextFloat();
    while (product > limit) {
      k++;
      product *= this.nextFloat();
    }
    return k;
  }

  /**
   * Exact Poisson deviate for any mean: Knuth's multiplication below 10, above that Hörmann's transformed
   * rejection with squeeze, PTRS ("The transformed rejection method for generating Poisson random variables",
   * Insurance: Mathematics and Economics 12, 1993), the algorithm numpy uses. For pseudo-experiments, where
   * means reach thousands and a normal approximation would distort the tails.
   */
  poissonExact(mean: number): number {
    if (!(mean >= 0 && Number.isFinite(mean))) throw new RangeError(`poissonExact(mean) needs a finite mean ≥ 0, got ${mean}.`);
    if (mean < 10) return this.knuthPoisson(mean);
    const logMean = Math.log(mean);
    const b = 0.931 + 2.53 * Math.sqrt(mean);
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.nextFloat() - 0.5;
      const v = this.nextFloat();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logGamma(k + 1)) return k;
    }
  }

  /** Cauchy (non-relativistic Breit–Wigner) deviate with peak `mass` and full width `width`, by inversion. */
  breitWigner(mass: number, width: number): number {
    return mass + (width / 2) * Math.tan(Math.PI * (this.nextFloat() - 0.5));
  }

  /** Fisher–Yates shuffle of a permutation 0…n−1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = order[i] as number;
      order[i] = order[j] as number;
      order[j] = tmp;
    }
    return order;
  }
}

// Ziggurat tables (Doornik 2005, ZIGNOR): strip edges x[i] and ratios x[i+1]/x[i] for the standard normal.
const ZIGGURAT_R = 3.442619855899;
const ZIGGURAT_V = 9.91256303526217e-3;
const ZIGGURAT_X = new Float64Array(129);
const ZIGGURAT_RATIO = new Float64Array(128);
{
  const f = (x: number) => Math.exp(-0.5 * x * x);
  ZIGGURAT_X[0] = ZIGGURAT_V / f(ZIGGURAT_R);
  ZIGGURAT_X[1] = ZIGGURAT_R;
  ZIGGURAT_X[128] = 0;
  for (let i = 2; i < 128; i++) {
    const previous = ZIGGURAT_X[i - 1] as number;
    ZIGGURAT_X[i] = Math.sqrt(-2 * Math.log(ZIGGURAT_V / previous + f(previous)));
  }
  for (let i = 0; i < 128; i++) ZIGGURAT_RATIO[i] = (ZIGGURAT_X[i + 1] as number) / (ZIGGURAT_X[i] as number);
}

/** ln Γ(x) for x ≥ 1 (Lanczos, g = 7, 9 terms; relative error below 1e-13). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A stream for `seed` (a non-negative safe integer or bigint) and an optional stream name. The 128-bit
 * xoshiro state is two SplitMix64 outputs seeded with seed ⊕ FNV-1a(name).
 */
export function createRandomStream(seed: number | bigint, name = ''): RandomStream {
  if (typeof seed === 'number' && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}.`);
  }
  const mixer = splitMix64(BigInt(seed) ^ fnv1a64(name));
  const a = mixer.next().value;
  const b = mixer.next().value;
  return new RandomStream([
    Number(a & 0xffffffffn),
    Number(a >> 32n),
    Number(b & 0xffffffffn),
    Number(b >> 32n),
  ]);
}
