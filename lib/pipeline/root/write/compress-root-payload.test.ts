import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createRandomStream } from '../../random/random-stream';
import { decodeLz4Block } from '../lz4-block';
import { decompressRootBuffer } from '../root-compression';
import { compressRootPayload, MAX_CHUNK_BYTES, parseRootCompression, rootCompressionCode } from './compress-root-payload';
import { encodeLz4Block, lz4BlockBound } from './lz4-block-encoder';
import { loadZstdEncoder } from './zstd-encoder';

/** Inputs that stress an LZ4 encoder: empty, tiny, runs, repeats at every distance, random and real-ish floats. */
function samples() {
  const random = createRandomStream(7, 'lz4');
  const noise = Uint8Array.from({ length: 70_000 }, () => random.integer(256));
  const floats = new Uint8Array(Float32Array.from({ length: 30_000 }, (_, i) => Math.round(random.normal(50, 10) * 4) / 4 + (i % 3)).buffer);
  const text = new TextEncoder().encode('AnalysisJetsAuxDyn.pt '.repeat(4000));
  const longRun = new Uint8Array(300_000).fill(42);
  const farRepeat = new Uint8Array(140_000);
  farRepeat.set(noise.subarray(0, 1000), 0);
  farRepeat.set(noise.subarray(0, 1000), 65_000); // just inside the 64 KiB window
  farRepeat.set(noise.subarray(0, 1000), 131_000); // beyond it from the first copy
  return { empty: new Uint8Array(0), one: Uint8Array.of(9), twelve: new Uint8Array(12).fill(1), thirteen: Uint8Array.of(1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 5), noise, floats, text, longRun, farRepeat };
}

describe('LZ4 block encoder', () => {
  it('round-trips through the reader’s LZ4 decoder for every kind of input, within the format’s bound', () => {
    for (const [name, input] of Object.entries(samples())) {
      const block = encodeLz4Block(input);
      expect(block.length, name).toBeLessThanOrEqual(lz4BlockBound(input.length));
      const output = new Uint8Array(input.length);
      expect(decodeLz4Block(block, output), name).toBe(input.length);
      expect(Buffer.compare(output, input), name).toBe(0);
    }
    expect(encodeLz4Block(samples().longRun).length).toBeLessThan(2000);
  });
});

describe('compressRootPayload', () => {
  it('frames ZLIB, LZ4 and ZSTD chunks that the reader’s ROOT decompressor turns back into the payload', async () => {
    const zstd = await loadZstdEncoder();
    const payload = samples().floats;
    for (const text of ['zlib', 'zlib:9', 'lz4', 'zstd', 'zstd:1']) {
      const settings = parseRootCompression(text);
      const stored = compressRootPayload(payload, settings, zstd);
      expect(stored.length, text).toBeLessThan(payload.length);
      expect(String.fromCharCode(stored[0] as number, stored[1] as number), text).toBe({ zlib: 'ZL', lz4: 'L4', zstd: 'ZS' }[settings.algorithm as 'zlib']);
      expect((stored[6] as number) | ((stored[7] as number) << 8) | ((stored[8] as number) << 16), text).toBe(payload.length);
      expect(Buffer.compare(decompressRootBuffer(stored, payload.length, text), payload), text).toBe(0);
    }
    expect([rootCompressionCode({ algorithm: 'zlib' }), rootCompressionCode({ algorithm: 'lz4' }), rootCompressionCode({ algorithm: 'zstd', level: 3 }), rootCompressionCode({ algorithm: 'none' })]).toEqual([101, 404, 503, 0]);
  });

  it('splits payloads above 16 MiB − 1 into several chunks, as ROOT does', async () => {
    const payload = new Uint8Array(MAX_CHUNK_BYTES + 5000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) % 251;
    for (const settings of [{ algorithm: 'zlib' }, { algorithm: 'lz4' }, { algorithm: 'zstd' }] as const) {
      const stored = compressRootPayload(payload, settings, await loadZstdEncoder());
      const firstChunk = 9 + ((stored[3] as number) | ((stored[4] as number) << 8) | ((stored[5] as number) << 16));
      expect((stored[6] as number) | ((stored[7] as number) << 8) | ((stored[8] as number) << 16)).toBe(MAX_CHUNK_BYTES);
      expect((stored[firstChunk + 6] as number) | ((stored[firstChunk + 7] as number) << 8)).toBe(5000);
      expect(Buffer.compare(decompressRootBuffer(stored, payload.length, settings.algorithm), payload)).toBe(0);
    }
  });

  it('stores a payload raw when compression would not shrink it (ROOT then reads fObjlen bytes as they are)', () => {
    const noise = samples().noise;
    expect(compressRootPayload(noise, { algorithm: 'zlib' })).toBe(noise);
    expect(compressRootPayload(noise, { algorithm: 'lz4' })).toBe(noise);
    expect(compressRootPayload(Uint8Array.of(1, 2, 3), { algorithm: 'zlib' })).toHaveLength(3);
  });

  it('puts the XXH64 of the LZ4 block in front of it, as the reference xxhash library computes it', () => {
    const payload = samples().text;
    const stored = compressRootPayload(payload, { algorithm: 'lz4' });
    const block = stored.subarray(17);
    const run = spawnSync('/usr/bin/python3', ['-c', 'import sys, xxhash; print(xxhash.xxh64(sys.stdin.buffer.read(), seed=0).hexdigest())'], { input: block });
    if (run.status !== 0) {
      const message = 'python3-xxhash (the reference XXH64) is needed for this check (apt-get install python3-xxhash)';
      if (process.env.CI) throw new Error(message);
      console.warn(`skipping: ${message}`);
      return;
    }
    expect(Buffer.from(stored.subarray(9, 17)).toString('hex')).toBe(run.stdout.toString().trim());
    expect(stored[2]).toBe(1);
  });

  it('names a bad compression setting', () => {
    expect(() => parseRootCompression('lzma')).toThrow(/compression "lzma" is not one of zlib, lz4, zstd, none/);
    expect(() => parseRootCompression('zlib:0')).toThrow(/level 0 is not valid for zlib/);
  });
});
