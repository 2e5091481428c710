import xxhashWasm from 'xxhash-wasm';

/**
 * XXH64 (Y. Collet, xxHash, https://github.com/Cyan4973/xxHash, doc/xxhash_spec.md), the checksum ROOT stores
 * in front of every LZ4-compressed chunk (of the compressed bytes, seed 0, big-endian). Two implementations: this
 * synchronous one in BigInt arithmetic mod 2⁶⁴ (clear, about 20 MB/s), and {@link loadXxhash64}, xxhash-wasm's
 * WebAssembly build (the one module that imports it; GB/s), which the reader uses for every LZ4 basket.
 */
const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function round(acc: bigint, input: bigint): bigint {
  return (rotl((acc + input * P2) & MASK, 31n) * P1) & MASK;
}

function mergeRound(acc: bigint, value: bigint): bigint {
  return (((acc ^ round(0n, value)) * P1) + P4) & MASK;
}

export function xxhash64(bytes: Uint8Array, seed = 0n): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let offset = 0;
  let h: bigint;
  if (length >= 32) {
    let v1 = (seed + P1 + P2) & MASK;
    let v2 = (seed + P2) & MASK;
    let v3 = seed & MASK;
    let v4 = (seed - P1) & MASK;
    for (; offset + 32 <= length; offset += 32) {
      v1 = round(v1, view.getBigUint64(offset, true));
      v2 = round(v2, view.getBigUint64(offset + 8, true));
      v3 = round(v3, view.getBigUint64(offset + 16, true));
      v4 = round(v4, view.getBigUint64(offset + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = (seed + P5) & MASK;
  }
  h = (h + BigInt(length)) & MASK;
  for (; offset + 8 <= length; offset += 8) {
    h ^= round(0n, view.getBigUint64(offset, true));
    h = ((rotl(h, 27n) * P1) + P4) & MASK;
  }
  if (offset + 4 <= length) {
    h ^= (BigInt(view.getUint32(offset, true)) * P1) & MASK;
    h = ((rotl(h, 23n) * P2) + P3) & MASK;
    offset += 4;
  }
  for (; offset < length; offset++) {
    h ^= (BigInt(bytes[offset] as number) * P5) & MASK;
    h = (rotl(h, 11n) * P1) & MASK;
  }
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}

let fast: Promise<(bytes: Uint8Array) => bigint> | null = null;

/** XXH64 (seed 0) compiled to WebAssembly by xxhash-wasm, loaded once per thread; same values as {@link xxhash64}. */
export function loadXxhash64(): Promise<(bytes: Uint8Array) => bigint> {
  fast ??= xxhashWasm().then(({ h64Raw }) => (bytes: Uint8Array) => h64Raw(bytes));
  return fast;
}
