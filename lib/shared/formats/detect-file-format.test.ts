import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeArrowTable } from '@/lib/shared/arrow';
import { writeParquetTable } from '@/lib/shared/parquet';
import { detectFileFormat } from './detect-file-format';

const head = (bytes: Uint8Array) => detectFileFormat(bytes.subarray(0, 8));
const text = (value: string) => new TextEncoder().encode(value);

describe('detectFileFormat', () => {
  it('recognises what the writers produce from the first bytes alone', () => {
    const columns = { id: Int32Array.from([1, 2]), score: Float64Array.from([0.1, 0.2]) };
    expect(head(encodeArrowTable(columns))).toBe('arrow-file');
    expect(head(encodeArrowTable(columns, {}, { ipcFormat: 'stream' }))).toBe('arrow-stream');
    expect(head(writeParquetTable(columns))).toBe('parquet');
    expect(head(gzipSync(text('id,score\n1,0.1\n')))).toBe('gzip');
  });

  it('recognises a pre-1.0 Arrow stream, which starts directly with a small message length', () => {
    expect(detectFileFormat(Uint8Array.from([0xf8, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00]))).toBe('arrow-stream');
  });

  it('treats text, including a byte-order mark, short files and near-misses of the magic numbers, as CSV', () => {
    for (const value of ['id,score\n', '\uFEFFid,score\n', 'PAR', 'ARROW2', 'pe_id,mu_hat', '', '1']) expect(detectFileFormat(text(value)), value).toBe('csv');
  });

  it('names UTF-16 text, with or without a byte-order mark, instead of taking it for an Arrow stream', () => {
    const utf16le = (value: string) => Uint8Array.from([...value].flatMap((c) => [c.charCodeAt(0), 0]));
    const utf16be = (value: string) => Uint8Array.from([...value].flatMap((c) => [0, c.charCodeAt(0)]));
    expect(head(Uint8Array.from([0xff, 0xfe, ...utf16le('id,score')]))).toBe('utf-16');
    expect(head(Uint8Array.from([0xfe, 0xff, ...utf16be('id,score')]))).toBe('utf-16');
    expect(head(utf16le('id,score\n1,0.5'))).toBe('utf-16');
    expect(head(utf16be('pe_id,mu_hat'))).toBe('utf-16');
  });

  it('recognises a zip by its local header, and an empty zip by its end record', () => {
    expect(detectFileFormat(Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0]))).toBe('zip');
    expect(detectFileFormat(Uint8Array.from([0x50, 0x4b, 5, 6, 0, 0, 0, 0]))).toBe('zip');
    expect(detectFileFormat(text('PK,score\n'))).toBe('csv');
  });
});
