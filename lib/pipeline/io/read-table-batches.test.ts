import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeParquetTable } from '@/lib/shared/parquet/write-parquet-table';
import { openFlatTableBatches } from './read-table-batches';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-table-batches-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The descriptors this process holds open on `file` (Linux: /proc/self/fd). */
function openDescriptorsOn(file: string): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(path.join('/proc/self/fd', fd)) === file;
    } catch {
      return false;
    }
  }).length;
}

describe('openFlatTableBatches', () => {
  it('names a file that is not Parquet and closes it, leaving no descriptor for the garbage collector', async () => {
    const file = path.join(dir, 'not-really.parquet');
    fs.writeFileSync(file, 'PAR1 this is text, not a Parquet footer PAR1');
    for (let i = 0; i < 3; i++) {
      await expect(openFlatTableBatches(file)).rejects.toMatchObject({ code: 'INVALID_DATASET', message: expect.stringContaining('not-really.parquet is not a readable Parquet file') });
    }
    expect(openDescriptorsOn(file)).toBe(0);
  });

  it('reads a Parquet file row group by row group and holds no descriptor on it once closed', async () => {
    const file = path.join(dir, 'two-groups.parquet');
    fs.writeFileSync(file, writeParquetTable({ a: new Float64Array([1, 2, 3]), b: new Float64Array([4, 5, 6]) }, {}, { rowGroupSize: 2 }));
    const table = await openFlatTableBatches(file);
    const rows: number[] = [];
    for await (const batch of table.batches()) rows.push(batch.numRows);
    await table.close();
    expect({ columns: table.columnNames, numRows: table.numRows, rows }).toEqual({ columns: ['a', 'b'], numRows: 3, rows: [2, 1] });
    expect(openDescriptorsOn(file)).toBe(0);
  });
});
