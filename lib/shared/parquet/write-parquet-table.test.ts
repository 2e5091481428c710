import { describe, expect, it } from 'vitest';
import { readParquetTable } from './read-parquet-table';
import { writeParquetTable } from './write-parquet-table';

describe('writeParquetTable', () => {
  it('round-trips float32, float64, integer and string columns with their values, order and key/value metadata', async () => {
    const columns = {
      id: Int32Array.from([0, 1, 2, -7]),
      PRI_had_pt: Float32Array.from([32.117, -25, 1e-30, 3.4e38]),
      weight: Float64Array.from([0.1, 1582.3646240234375, 0, 1e300]),
      label: Uint8Array.from([1, 0, 0, 1]),
      detailed_label: ['htautau', 'ztautau', 'ττ, "quoted"', ''],
    };
    const bytes = writeParquetTable(columns, { dataset: 'fair-universe-higgsml', licence: 'CC0-1.0' });
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    const table = await readParquetTable(bytes);
    expect(table.numRows).toBe(4);
    expect(table.columnNames).toEqual(Object.keys(columns));
    expect(table.metadata).toMatchObject({ dataset: 'fair-universe-higgsml', licence: 'CC0-1.0' });
    expect(table.columns.PRI_had_pt).toEqual(columns.PRI_had_pt);
    expect(table.columns.weight).toEqual(columns.weight);
    expect(Array.from(table.columns.id as Int32Array)).toEqual([0, 1, 2, -7]);
    expect(Array.from(table.columns.label as Int32Array)).toEqual([1, 0, 0, 1]);
    expect(table.columns.detailed_label).toEqual(columns.detailed_label);
  });

  it('rejects columns of different lengths, naming the column', () => {
    expect(() => writeParquetTable({ a: new Float32Array(2), b: new Float32Array(3) })).toThrow(/Column "b" has 3 rows but column "a" has 2/);
  });
});
