import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error';
import type { TableBatch } from '../arrow';
import { readFeaturesCsvBatches } from './read-features-csv';

async function* chunksOf(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(text: string, batchRows: number, chunk = 7): Promise<{ names: string[]; batches: TableBatch[] }> {
  const table = await readFeaturesCsvBatches(chunksOf(text, chunk), { file: 'f.csv', errorCode: 'INVALID_SUBMISSION', batchRows });
  const batches: TableBatch[] = [];
  for await (const batch of table.batches) batches.push(batch);
  return { names: table.columnNames, batches };
}

describe('features CSV', () => {
  it('reads rows in batches of batchRows, whatever the chunk boundaries', async () => {
    const lines = ['id,a,b', ...Array.from({ length: 7 }, (_, i) => `${i},${i / 2},-${i}e-3`)];
    const { names, batches } = await readAll(`${lines.join('\r\n')}\r\n`, 3);
    expect(names).toEqual(['id', 'a', 'b']);
    expect(batches.map((b) => [b.rowStart, b.numRows])).toEqual([[0, 3], [3, 3], [6, 1]]);
    expect(Array.from(batches[1]?.columns.a as Float64Array)).toEqual([1.5, 2, 2.5]);
    expect((batches[2]?.columns.b as Float64Array)[0]).toBeCloseTo(-0.006, 12);
  });

  it.each([
    ['id,a\n1,2\n2,nan\n', /f\.csv line 3, column "a": expected a finite decimal number, found "nan"/],
    ['id,a\n1,2\n2\n', /f\.csv line 3: expected 2 fields/],
    ['id,a\n1,2\n\n3,4\n', /f\.csv line 3: expected 2 comma-separated numbers, found an empty line/],
    ['id,id\n1,2\n', /unique, non-empty column names/],
    ['', /is empty/],
  ])('names the line and column of a bad features file (%#)', async (text, message) => {
    const error = await readAll(text, 4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(message);
  });
});
