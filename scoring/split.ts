/**
 * Public/private split of a challenge's test events.
 *
 * The rule, reproducible in any language with unsigned 64-bit integers (all arithmetic mod 2^64):
 *
 *   x = id XOR seed                      (both as 64-bit two's complement integers)
 *   z = x + 0x9E3779B97F4A7C15
 *   z = (z XOR (z >> 30)) * 0xBF58476D1CE4E5B9
 *   z = (z XOR (z >> 27)) * 0x94D049BB133111EB
 *   z = z XOR (z >> 31)                  (">>" is the logical right shift)
 *   u = (z >> 11) / 2^53                 (top 53 bits → a double in [0, 1), exact)
 *   public  ⇔  u < publicFraction
 *
 * This is the SplitMix64 output function (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; Vigna's `splitmix64.c`): splitMix64(0) = 0xE220A8397B1DCDAF. Python:
 *
 *   M = 2**64 - 1
 *   def u(id, seed):
 *       z = ((id ^ seed) + 0x9E3779B97F4A7C15) & M
 *       z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
 *       z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
 *       return ((z ^ (z >> 31)) >> 11) / 2**53
 *
 * The split depends only on (id, seed), never on row order or on the other ids, so server, pipeline and
 * tests agree, and a dataset can be re-split without the others.
 */

const MASK_64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;
const TWO_POW_21 = 2097152;
const TWO_POW_53 = 9007199254740992;

/**
 * The SplitMix64 finaliser of a 64-bit unsigned integer (see the module comment for the formula).
 *
 * @example
 * ```ts
 * splitMix64(0n); // → 0xE220A8397B1DCDAFn
 * ```
 */
export function splitMix64(x: bigint): bigint {
  let z = (BigInt.asUintN(64, x) + 0x9e3779b97f4a7c15n) & MASK_64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return z ^ (z >> 31n);
}

/**
 * The split variate u(id, seed) ∈ [0, 1): top 53 bits of splitMix64(BigInt(id) ^ BigInt(seed)) / 2^53,
 * computed with BigInt exactly as the rule is written. Same result as {@link splitUniform}, slower.
 *
 * @throws {RangeError} when id or seed is not a safe integer.
 * @example
 * ```ts
 * splitUniformBigInt(0, 0); // → 0.8833108082136426
 * ```
 */
export function splitUniformBigInt(id: number, seed: number): number {
  assertSafeInteger('id', id);
  assertSafeInteger('seed', seed);
  return Number(splitMix64(BigInt(id) ^ BigInt(seed)) >> 11n) / TWO_POW_53;
}

/**
 * The split variate u(id, seed) ∈ [0, 1) of the module rule, computed on two 32-bit halves (no BigInt).
 *
 * Edge cases: negative ids or seeds are taken as 64-bit two's complement, as BigInt XOR does;
 * a non-integer or unsafe (|x| > 2^53 − 1) id or seed → `RangeError`.
 *
 * @throws {RangeError} when id or seed is not a safe integer.
 * @example
 * ```ts
 * splitUniform(0, 0); // → 0.8833108082136426
 * ```
 */
export function splitUniform(id: number, seed: number): number {
  assertSafeInteger('id', id);
  assertSafeInteger('seed', seed);
  return splitUniformOfHalves(highWord(id) ^ highWord(seed), (id ^ seed) >>> 0);
}

/**
 * Whether event `id` belongs to the public split: u(id, seed) < publicFraction.
 *
 * Edge cases: publicFraction 0 → never public, 1 → always public; publicFraction outside [0, 1] or
 * a non-integer id/seed → `RangeError`.
 *
 * @example
 * ```ts
 * isPublicEvent(0, 0, 0.9); // → true (u = 0.8833…)
 * ```
 */
export function isPublicEvent(id: number, seed: number, publicFraction: number): boolean {
  assertFraction(publicFraction);
  return splitUniform(id, seed) < publicFraction;
}

/**
 * {@link isPublicEvent} for many ids at once: element i is 1 when ids[i] is public, 0 when private.
 * Linear time, no BigInt (tens of milliseconds per million ids); identical to {@link splitUniformBigInt}.
 *
 * @throws {RangeError} when publicFraction is outside [0, 1] or an id is not a safe integer (naming its row).
 * @example
 * ```ts
 * assignPublicSplit([0, 1, 2], 0, 0.5); // → Uint8Array [0, …] (u(0, 0) = 0.883… ≥ 0.5)
 * ```
 */
export function assignPublicSplit(ids: ArrayLike<number>, seed: number, publicFraction: number): Uint8Array {
  assertSafeInteger('seed', seed);
  assertFraction(publicFraction);
  const seedHigh = highWord(seed);
  const n = ids.length;
  const isPublic = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i] as number;
    if (!Number.isSafeInteger(id)) {
      throw new RangeError(`Event ids must be safe integers; found ${id} at row ${i}.`);
    }
    isPublic[i] = splitUniformOfHalves(highWord(id) ^ seedHigh, (id ^ seed) >>> 0) < publicFraction ? 1 : 0;
  }
  return isPublic;
}

/** High 32 bits of a safe integer's 64-bit two's complement (ToUint32 already gives the low bits). */
function highWord(value: number): number {
  return Math.floor(value / TWO_POW_32) >>> 0;
}

// Scratch result of multiply64, to avoid allocating a pair per call.
let productHigh = 0;
let productLow = 0;

/** (aHigh·2^32 + aLow) · (bHigh·2^32 + bLow) mod 2^64 into productHigh/productLow; inputs are uint32. */
function multiply64(aHigh: number, aLow: number, bHigh: number, bLow: number): void {
  // aLow·bLow needs all 64 bits, so it is built from 16-bit limbs whose products are exact doubles.
  const a0 = aLow & 0xffff;
  const a1 = aLow >>> 16;
  const b0 = bLow & 0xffff;
  const b1 = bLow >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const middle = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  productLow = (((middle & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const lowProductHigh = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(middle / 65536);
  productHigh = (lowProductHigh + Math.imul(aHigh, bLow) + Math.imul(aLow, bHigh)) >>> 0;
}

/** u of the module rule for x = xHigh·2^32 + xLow (both uint32). */
function splitUniformOfHalves(xHigh: number, xLow: number): number {
  let low = xLow + 0x7f4a7c15;
  let high = xHigh + 0x9e3779b9;
  if (low >= TWO_POW_32) {
    low -= TWO_POW_32;
    high += 1;
  }
  high >>>= 0;

  low = (low ^ ((low >>> 30) | (high << 2))) >>> 0;
  high = (high ^ (high >>> 30)) >>> 0;
  multiply64(high, low, 0xbf58476d, 0x1ce4e5b9);
  high = productHigh;
  low = productLow;

  low = (low ^ ((low >>> 27) | (high << 5))) >>> 0;
  high = (high ^ (high >>> 27)) >>> 0;
  multiply64(high, low, 0x94d049bb, 0x133111eb);
  high = productHigh;
  low = productLow;

  low = (low ^ ((low >>> 31) | (high << 1))) >>> 0;
  high = (high ^ (high >>> 31)) >>> 0;
  return (high * TWO_POW_21 + (low >>> 11)) / TWO_POW_53;
}

function assertSafeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`The split ${name} must be an integer between -(2^53 - 1) and 2^53 - 1; found ${value}.`);
  }
}

function assertFraction(publicFraction: number): void {
  if (!(publicFraction >= 0 && publicFraction <= 1)) {
    throw new RangeError(`publicFraction must be a number in [0, 1]; found ${publicFraction}.`);
  }
}
