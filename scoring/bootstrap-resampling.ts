/**
 * Bootstrap resampling shared by every submission of a challenge.
 *
 * The resampling of replica r depends only on (challenge seed, split key, r) and the number n of events of the
 * split (rows in the split's truth order), never on a submission, so per-replica differences between two
 * submissions form a paired bootstrap. The rule, reproducible in any language with 64-bit unsigned integers
 * (arithmetic mod 2^64, `mix` = the SplitMix64 finaliser `splitMix64` of split.ts, γ = 0x9E3779B97F4A7C15):
 *
 *   h  = FNV-1a-64 of the UTF-8 bytes of splitKey (offset 0xCBF29CE484222325, prime 0x100000001B3)
 *   x  = mix(mix(mix(seed) XOR h) XOR r)          seed as 64-bit two's complement, r ≥ 0
 *   o1 = mix(x), o2 = mix(x + γ)                  (the first two outputs of a SplitMix64 generator at state x)
 *   xoshiro128** state (s0, s1, s2, s3) = (low32(o1), high32(o1), low32(o2), high32(o2))   (all zero → s0 = 1)
 *   for each of the n draws, an exactly uniform row in [0, n) by Lemire's multiply-shift with rejection
 *   (D. Lemire, ACM TOMACS 29 (2019) 3): x = next() (xoshiro128**, Blackman & Vigna 2018), m = x·n (64-bit);
 *       if low32(m) < n: t = (2^32 − n) mod n; while low32(m) < t: x = next(), m = x·n
 *       row = m >> 32,  count[row] += 1
 *
 * Conditioning: a binary replica whose resampled events leave a class with zero total weight cannot be scored;
 * it is redrawn by drawing another n rows from the same generator (counts reset), until both classes weigh
 * something (see `bootstrapBinaryReplicas`, at most 1000 draws). This depends only on the truth, so it is shared
 * too. The multiplicities are exact multinomial(n; 1/n, …, 1/n) draws: the bootstrap "n events resampled with
 * replacement". tests/fixtures/scoring/make_reference.py implements the same rule in Python (cross-checked).
 */
import { ScoringError } from './errors';
import { splitMix64 } from './split';

const GAMMA = 0x9e3779b97f4a7c15n;
const MASK_64 = (1n << 64n) - 1n;
const TWO_POW_16 = 65536;
const TWO_POW_32 = 4294967296;
/** Up to 2^21 rows, x·n < 2^53 for every 32-bit x. */
const EXACT_PRODUCT_MAX_ROWS = 2097152;

/**
 * FNV-1a 64-bit hash of the UTF-8 bytes of `text`.
 *
 * @example
 * ```ts
 * fnv1a64(''); // → 0xCBF29CE484222325n
 * ```
 */
export function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK_64;
  }
  return hash;
}

/**
 * The key mix(mix(mix(seed) XOR h(splitKey)) XOR replica) of the module rule, before seeding the generator.
 * Split it as `splitHash` (once per split) + {@link replicaGenerator}.
 *
 * @throws {ScoringError} `INVALID_PARAMETER` for a seed that is not a safe integer.
 */
export function splitStreamKey(seed: number, splitKey: string): bigint {
  if (!Number.isSafeInteger(seed)) {
    throw new ScoringError('INVALID_PARAMETER', `The bootstrap seed must be an integer between -(2^53 - 1) and 2^53 - 1; found ${seed}.`);
  }
  return splitMix64(splitMix64(BigInt.asUintN(64, BigInt(seed))) ^ fnv1a64(splitKey));
}

/**
 * xoshiro128** (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021): 128-bit
 * state, 32-bit outputs, 32-bit operations only. Fast and deterministic; not for cryptography.
 */
export class Xoshiro128StarStar {
  /** The state words s0…s3 (uint32), exposed so hot loops can run the generator inline ({@link drawResampleCounts}). */
  readonly state: Uint32Array;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.state = Uint32Array.of(s0, s1, s2, s3);
    if ((s0 | s1 | s2 | s3) === 0) this.state[0] = 1;
  }

  /** The next output as an unsigned 32-bit integer. */
  next(): number {
    const state = this.state;
    const s0 = state[0] as number;
    const s1 = state[1] as number;
    const s2 = (state[2] as number) ^ s0;
    const s3 = (state[3] as number) ^ s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    state[1] = s1 ^ s2;
    state[0] = s0 ^ s3;
    state[2] = s2 ^ (s1 << 9);
    state[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }
}

/**
 * The generator of replica `replica` for a split whose {@link splitStreamKey} is `streamKey`.
 *
 * @throws {ScoringError} `INVALID_PARAMETER` for a replica number that is not a non-negative safe integer.
 * @example
 * ```ts
 * const generator = replicaGenerator(splitStreamKey(1, 'public'), 0);
 * ```
 */
export function replicaGenerator(streamKey: bigint, replica: number): Xoshiro128StarStar {
  if (!Number.isSafeInteger(replica) || replica < 0) {
    throw new ScoringError('INVALID_PARAMETER', `Replica numbers must be non-negative integers; found ${replica}.`);
  }
  const x = splitMix64(streamKey ^ BigInt(replica));
  const o1 = splitMix64(x);
  const o2 = splitMix64((x + GAMMA) & MASK_64);
  return new Xoshiro128StarStar(
    Number(o1 & 0xffffffffn),
    Number(o1 >> 32n),
    Number(o2 & 0xffffffffn),
    Number(o2 >> 32n),
  );
}

/**
 * Draws n rows with replacement from `generator` (the module rule) into `counts` (reset first): counts[i] = how
 * often row i was drawn, or with `positions`, counts[positions[i]] (the same multiplicities stored in another row
 * order, e.g. sorted); the counts sum to n (1 ≤ n < 2^31).
 *
 * @throws {ScoringError} `INVALID_PARAMETER` if a row is drawn more than 65 535 times (impossible below 65 536
 *   rows, and with probability below 10^-300000 above).
 */
export function drawResampleCounts(generator: Xoshiro128StarStar, counts: Uint16Array, positions?: Uint32Array): Uint16Array {
  const n = counts.length;
  counts.fill(0);
  const rejectBelow = (TWO_POW_32 - n) % n;
  const exactProduct = n <= EXACT_PRODUCT_MAX_ROWS;
  // xoshiro128** inlined on local state words (identical to generator.next()).
  const state = generator.state;
  let s0 = state[0] as number;
  let s1 = state[1] as number;
  let s2 = state[2] as number;
  let s3 = state[3] as number;
  for (let k = 0; k < n; k++) {
    let x: number;
    let low: number;
    do {
      const product = Math.imul(s1, 5);
      x = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      low = Math.imul(x, n) >>> 0;
    } while (low < rejectBelow);
    const row = exactProduct ? Math.floor((x * n) / TWO_POW_32) : highWordOfProduct(x, n);
    const slot = positions === undefined ? row : (positions[row] as number);
    const count = (counts[slot] as number) + 1;
    if (count > 0xffff) {
      throw new ScoringError('INVALID_PARAMETER', `Row ${row} was drawn more than 65535 times in one replica.`, row);
    }
    counts[slot] = count;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  return counts;
}

/**
 * ⌊x·n / 2^32⌋ exactly, for 32-bit unsigned x and 0 ≤ n < 2^31, without BigInt: x = xh·2^16 + xl gives
 * x·n = a·2^16 + b with a, b < 2^47 exact doubles, and with a = ah·2^16 + al the result is
 * ah + ⌊(al·2^16 + b) / 2^32⌋ (every intermediate below 2^53). Up to 2^21 rows x·n itself is exact, which
 * {@link drawResampleCounts} uses directly.
 *
 * @example
 * ```ts
 * highWordOfProduct(0xffffffff, 0x7fffffff); // → 0x7ffffffe
 * ```
 */
export function highWordOfProduct(x: number, n: number): number {
  const a = (x >>> 16) * n;
  const b = (x & 0xffff) * n;
  const ah = Math.floor(a / TWO_POW_16);
  return ah + Math.floor(((a - ah * TWO_POW_16) * TWO_POW_16 + b) / TWO_POW_32);
}
