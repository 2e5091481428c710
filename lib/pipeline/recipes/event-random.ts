/**
 * Counter-based random numbers for recipe builds: each draw is a hash of what it belongs to (stream, sample, file,
 * entry, object, draw), not the next number of a sequence. A file can therefore be processed alone, on any thread or
 * machine, in batches of any size, and every event still gets the same smearing as in a single-process build.
 *
 * The hash is MurmurHash3's 32-bit body and finaliser (Austin Appleby, public domain) over the key's words; two
 * hashes with different seeds give the 53 bits of a uniform double, and Box–Muller turns two uniforms into a normal.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function murmur3(words: readonly number[], seed: number): number {
  let h = seed | 0;
  for (const word of words) {
    let k = Math.imul(word | 0, C1);
    k = rotl(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ (words.length * 4));
}

/** FNV-1a (32-bit) of a string: the stream's name becomes one key word. */
export function hashString32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** What a draw belongs to: a named stream (variation and seed), the sample and file, the entry and the object. */
export type DrawKey = { stream: number; sample: number; file: number; entry: number; item: number };

/** Uniform in [0, 1) for `key` and draw number `draw`. */
export function uniformFor(key: DrawKey, draw = 0): number {
  const words = [key.stream, key.sample, key.file, key.entry % 4294967296, Math.floor(key.entry / 4294967296), key.item, draw];
  const high = murmur3(words, 0x9747b28c) >>> 5;
  const low = murmur3(words, 0x5bd1e995) >>> 6;
  return (high * 67108864 + low) / 9007199254740992;
}

/** Standard normal for `key` (Box–Muller over draws 2·draw and 2·draw + 1). */
export function normalFor(key: DrawKey, draw = 0): number {
  const u1 = 1 - uniformFor(key, 2 * draw); // (0, 1]: log stays finite
  const u2 = uniformFor(key, 2 * draw + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
