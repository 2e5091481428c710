import { describe, expect, it } from 'vitest';
import { loadXxhash64, xxhash64 } from './xxhash64';

const text = (s: string) => new TextEncoder().encode(s);

describe('xxhash64', () => {
  it('matches the reference vectors of the xxHash specification (seed 0), short and multi-stripe inputs', () => {
    expect(xxhash64(new Uint8Array(0))).toBe(0xef46db3751d8e999n);
    expect(xxhash64(text('a'))).toBe(0xd24ec4f1a98c6e5bn);
    expect(xxhash64(text('abc'))).toBe(0x44bc2cf5ad770999n);
    expect(xxhash64(text('Nobody inspects the spammish repetition'))).toBe(0xfbcea83c8a378bf1n);
  });

  it('hashes a view at an offset the same as a copy', () => {
    const bytes = text('xxNobody inspects the spammish repetition');
    expect(xxhash64(bytes.subarray(2))).toBe(0xfbcea83c8a378bf1n);
  });

  it('gives the same values from the WebAssembly build the reader uses, for every length up to a few stripes and at an offset', async () => {
    const fast = await loadXxhash64();
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 255);
    for (let length = 0; length <= 100; length++) expect(fast(bytes.subarray(3, 3 + length)), String(length)).toBe(xxhash64(bytes.subarray(3, 3 + length)));
    expect(fast(text('Nobody inspects the spammish repetition'))).toBe(0xfbcea83c8a378bf1n);
  });
});
