import { describe, expect, it } from 'vitest';
import vectors from './testdata/xxh3-vectors.json';
import { loadXxh3 } from './xxhash3';

const input = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7 + 11) % 256);

describe('XXH3-64, the checksum of RNTuple anchors, envelopes and pages', () => {
  it.each(vectors.vectors)('equals the reference xxHash (python3-xxhash) for $length bytes', async ({ length, xxh3_64 }) => {
    const xxh3 = await loadXxh3();
    expect(xxh3(input(length)).toString(16).padStart(16, '0')).toBe(xxh3_64);
  });

  it('hashes views at any offset of a larger buffer the same as a copy', async () => {
    const xxh3 = await loadXxh3();
    const big = input(5000);
    expect(xxh3(big.subarray(17, 3000))).toBe(xxh3(big.slice(17, 3000)));
  });
});
