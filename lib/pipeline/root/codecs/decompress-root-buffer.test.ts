import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rootChunk, type RootAlgorithm } from '@/tests/support/reference-compressors';
import { CorruptCompressedDataError, decompressRootBuffer, rootCompressionOf } from './decompress-root-buffer';

/** A compressible payload: a little structure, a little noise, like basket data. */
function payloadOf(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 4 === 0 ? (x >>> 24) & 15 : (i * 7) & 255;
  }
  return out;
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('decompressRootBuffer', () => {
  it.each<RootAlgorithm>(['zlib', 'lzma', 'zstd', 'lz4'])('decodes a %s chunk made by the reference encoder', async (algorithm) => {
    const payload = payloadOf(50_000, 3);
    const chunk = rootChunk(algorithm, payload);
    if (!chunk || chunk === 'incompressible') return;
    expect(rootCompressionOf(chunk)).toBe(algorithm);
    expect(new Uint8Array(await decompressRootBuffer(chunk, payload.length))).toEqual(payload);
  });

  it('decodes a buffer of several chunks of different algorithms, in order', async () => {
    const parts = [payloadOf(20_000, 1), payloadOf(7_000, 2), payloadOf(33_000, 3), payloadOf(1_000, 4)];
    const chunks = (['lzma', 'zlib', 'zstd', 'lz4'] as const).map((a, i) => rootChunk(a, parts[i] as Uint8Array));
    if (chunks.some((c) => !(c instanceof Uint8Array))) return;
    expect(await decompressRootBuffer(concat(...(chunks as Uint8Array[])), 61_000)).toEqual(concat(...parts));
  });

  it('refuses an LZMA chunk whose stream is damaged, naming the chunk', async () => {
    const payload = payloadOf(40_000, 5);
    const chunk = rootChunk('lzma', payload);
    if (!(chunk instanceof Uint8Array)) return;
    const damaged = chunk.slice();
    damaged[damaged.length - 30] = (damaged[damaged.length - 30] as number) ^ 0x55;
    await expect(decompressRootBuffer(damaged, payload.length)).rejects.toThrow(/^lzma chunk at byte 0: does not decompress/);
    await expect(decompressRootBuffer(damaged, payload.length)).rejects.toBeInstanceOf(CorruptCompressedDataError);
  });

  it('refuses an LZ4 chunk whose xxhash64 does not match, saying both values', async () => {
    const chunk = rootChunk('lz4', payloadOf(30_000, 6));
    if (!(chunk instanceof Uint8Array)) return;
    const damaged = chunk.slice();
    damaged[damaged.length - 3] = (damaged[damaged.length - 3] as number) ^ 1;
    await expect(decompressRootBuffer(damaged, 30_000)).rejects.toThrow(/^lz4 chunk at byte 0: checksum mismatch \(stored xxhash64 [0-9a-f]+, computed [0-9a-f]+\)/);
  });

  it('refuses a truncated buffer, a wrong size, an unknown header and the pre-2012 "CS" algorithm with the byte offset', async () => {
    const payload = payloadOf(10_000, 7);
    const two = concat(rootChunk('zlib', payload) as Uint8Array, rootChunk('zlib', payload) as Uint8Array);
    await expect(decompressRootBuffer(two.subarray(0, two.length - 100), 20_000)).rejects.toThrow(/chunk at byte \d+ claims \d+ compressed .* beyond the buffer/);
    await expect(decompressRootBuffer(two.subarray(0, two.length / 2), 20_000)).rejects.toThrow(/compressed data ends at byte \d+ after 10000 of 20000 bytes/);
    const garbage = Uint8Array.from([0x51, 0x51, 1, 5, 0, 0, 5, 0, 0, 1, 2, 3, 4, 5]);
    await expect(decompressRootBuffer(garbage, 5)).rejects.toThrow(/unknown chunk at byte 0: has an unknown compression header/);
    const old = Uint8Array.from([0x43, 0x53, 8, 5, 0, 0, 5, 0, 0, 1, 2, 3, 4, 5]);
    await expect(decompressRootBuffer(old, 5)).rejects.toThrow(/the pre-2012 "CS" compression is not supported; recompress the file/);
    const bad = (rootChunk('zlib', payload) as Uint8Array).slice();
    bad[20] = (bad[20] as number) ^ 0xff;
    await expect(decompressRootBuffer(bad, 10_000)).rejects.toThrow(/zlib chunk at byte 0 does not decompress/);
  });

  it('stops a zlib chunk that inflates beyond its announced size one byte past it, alone or among chunks (no inflation bomb)', async () => {
    // 64 MiB of zeros deflate to ~64 KiB; the header announces 1,000 bytes.
    const bomb = zlib.deflateSync(new Uint8Array(64 << 20));
    const header = (compressed: number, size: number) => Uint8Array.from([0x5a, 0x4c, 8, compressed & 255, (compressed >> 8) & 255, compressed >> 16, size & 255, (size >> 8) & 255, size >> 16]);
    const chunk = concat(header(bomb.length, 1000), bomb);
    const started = process.memoryUsage().arrayBuffers;
    await expect(decompressRootBuffer(chunk, 1000)).rejects.toThrow(/^zlib chunk at byte 0 does not decompress/);
    const small = rootChunk('zlib', payloadOf(2000, 9)) as Uint8Array;
    await expect(decompressRootBuffer(concat(small, chunk), 3000)).rejects.toThrow(/^zlib chunk at byte \d+: (does not decompress|inflates to)/);
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(32 << 20);
  });
});
