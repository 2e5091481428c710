import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('reads a CSV file in batches and holds no descriptor on it once closed', async () => {
    const file = path.join(dir, 'header.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n3,4\n');
    const table = await openFlatTableBatches(file);
    const rows: number[] = [];
    for await (const batch of table.batches()) rows.push(batch.numRows);
    await table.close();
    expect(rows).toEqual([2]);
    expect(openDescriptorsOn(file)).toBe(0);
  });
});
