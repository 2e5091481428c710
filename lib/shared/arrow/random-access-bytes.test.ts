import { describe, expect, it } from 'vitest';
import { randomAccessBytes, type PositionalReader } from './streamed-table';

/** A reader over `data` that never returns more than `chunk` bytes per call, as a pipe or network file may. */
function shortReader(data: Uint8Array, chunk: number): PositionalReader & { calls: number } {
  const reader = {
    calls: 0,
    async read(buffer: Uint8Array, offset: number, length: number, position: number) {
      reader.calls += 1;
      const n = Math.max(0, Math.min(length, chunk, data.length - position));
      buffer.set(data.subarray(position, position + n), offset);
      return { bytesRead: n };
    },
  };
  return reader;
}

describe('randomAccessBytes', () => {
  const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);

  it('continues short reads until the requested range is filled', async () => {
    const reader = shortReader(data, 13);
    const bytes = await randomAccessBytes(reader, data.length).read(100, 300);
    expect(Array.from(bytes)).toEqual(Array.from(data.subarray(100, 400)));
    expect(reader.calls).toBeGreaterThan(20);
  });

  it('clips a read that runs past the end and returns nothing past it', async () => {
    const source = randomAccessBytes(shortReader(data, 64), data.length);
    expect(Array.from(await source.read(950, 200))).toEqual(Array.from(data.subarray(950)));
    expect((await source.read(2000, 10)).length).toBe(0);
  });

  it('returns the bytes it got when the file is shorter than it claimed', async () => {
    const source = randomAccessBytes(shortReader(data.subarray(0, 500), 64), 1000);
    expect((await source.read(400, 300)).length).toBe(100);
  });
});
