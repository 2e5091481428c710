import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { createRandomStream } from '@/lib/pipeline/random/random-stream';
import { plainWhereDictionaryLoses } from './parquet-batch-writer';
import { parquetColumnSources } from './write-parquet-table';

type Column = Float32Array | Float64Array | Int32Array;

/** A column of n values: a share `sentinelShare` of −999, the rest drawn from `distinct` values (or continuous). */
function column(kind: 'f32' | 'f64' | 'i32', n: number, distinct: number | 'continuous', sentinelShare: number, seed: number): Column {
  const random = createRandomStream(seed, 'dictionary-pays');
  const out = kind === 'f32' ? new Float32Array(n) : kind === 'f64' ? new Float64Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (random.nextFloat() < sentinelShare) out[i] = -999;
    else if (distinct === 'continuous') out[i] = kind === 'i32' ? Math.floor(random.nextFloat() * 2 ** 31) : random.nextFloat() * 300;
    else out[i] = Math.floor(random.nextFloat() * distinct) * (kind === 'i32' ? 1 : 0.5);
  }
  return out;
}

function bytesOf(columns: Record<string, Column>, decideFirst: boolean): Uint8Array {
  const sources = parquetColumnSources(columns);
  const rows = Object.values(columns)[0]?.length ?? 0;
  return new Uint8Array(parquetWriteBuffer({ columnData: decideFirst ? plainWhereDictionaryLoses(sources) : sources, codec: 'SNAPPY', rowGroupSize: rows }));
}

describe('deciding the Parquet dictionary without building it', () => {
  it('writes the bytes hyparquet-writer writes when it builds the dictionary itself, across cardinalities and sizes', () => {
    let dictionaries = 0;
    let plains = 0;
    let seed = 1;
    for (const kind of ['f32', 'f64', 'i32'] as const) {
      for (const n of [1, 2, 3, 999, 1000, 1001, 4096, 30_000]) {
        for (const distinct of [1, 2, 17, 300, 1500, 2100, 4000, 40_000, 'continuous'] as const) {
          for (const sentinelShare of [0, 0.5, 0.9, 0.995]) {
            const values = column(kind, n, distinct, sentinelShare, seed++);
            const decided = plainWhereDictionaryLoses(parquetColumnSources({ x: values }))[0];
            if (decided?.encoding === 'PLAIN') plains++;
            else dictionaries++;
            expect(Buffer.compare(bytesOf({ x: values }, true), bytesOf({ x: values }, false)), `${kind} n=${n} distinct=${distinct} sentinels=${sentinelShare}`).toBe(0);
          }
        }
      }
    }
    // Both answers were exercised, so the comparison above could have failed either way.
    expect(dictionaries).toBeGreaterThan(50);
    expect(plains).toBeGreaterThan(50);
  });

  it('counts +0 and −0 as one value and every NaN as one, as hyparquet-writer does', () => {
    // 1,667 zeros of both signs, 1,667 NaNs and 40 other values: a dictionary of 42 values, not of 2 + many.
    const n = 5000;
    const withPayloads = new Float32Array(n);
    const bits = new Uint32Array(withPayloads.buffer);
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) withPayloads[i] = i % 2 === 0 ? 0 : -0;
      else if (i % 3 === 1) bits[i] = 0x7fc00000 + (i % 997) + 1;
      else withPayloads[i] = (i % 40) / 4;
    }
    const f64 = Float64Array.from(withPayloads);
    expect(plainWhereDictionaryLoses(parquetColumnSources({ withPayloads, f64 })).map((s) => s.encoding)).toEqual([undefined, undefined]);
    // hyparquet-writer itself does not write NaN payloads reproducibly, so the bytes are compared with one NaN.
    const f32 = withPayloads.map((v) => (Number.isNaN(v) ? Number.NaN : v));
    expect(Buffer.compare(bytesOf({ f32, f64 }, true), bytesOf({ f32, f64 }, false))).toBe(0);
  });

  it('keeps the dictionary exactly up to the size where it stops halving the plain bytes', () => {
    // 2·(4d + ⌈n·⌈log₂ d⌉/8⌉) ≤ 4n: with n = 60,000 and 13-bit indexes, d = 5,625 pays and d = 5,626 does not; with
    // n = 100,000, d = 8,192 pays and d = 8,193 (14-bit indexes) does not. Half the rows are a sentinel, so the sample
    // of 1,000 values passes and the whole column decides.
    for (const [n, d, pays] of [[60_000, 5625, true], [60_000, 5626, false], [100_000, 8192, true], [100_000, 8193, false]] as const) {
      const values = Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -999 : ((i >> 1) * 7919) % (d - 1)));
      expect(new Set(values).size, 'the column has d distinct values').toBe(d);
      expect(plainWhereDictionaryLoses(parquetColumnSources({ x: values }))[0]?.encoding, `n=${n} d=${d}`).toBe(pays ? undefined : 'PLAIN');
      expect(Buffer.compare(bytesOf({ x: values }, true), bytesOf({ x: values }, false)), `n=${n} d=${d}`).toBe(0);
    }
  });
});
