import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { readParquetTable } from './read-parquet-table';

describe('readParquetTable', () => {
  it('reads the FAIR-Universe sample column by column with the facts its SOURCE.txt records', async () => {
    if (!hasFixture('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet')) return;
    const table = await readParquetTable(new Uint8Array(fs.readFileSync(fixturePath('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet'))));
    expect(table.numRows).toBe(1000);
    expect(table.columnNames).toHaveLength(31);
    const weights = table.columns.weights as Float32Array;
    expect(weights).toBeInstanceOf(Float32Array);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1051433.03, 0);
    const detailed = table.columns.detailed_labels as string[];
    const counts = detailed.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d]: (acc[d] ?? 0) + 1 }), {});
    expect(counts).toEqual({ ztautau: 634, htautau: 336, ttbar: 26, diboson: 4 });
    expect(Array.from(table.columns.labels as Float32Array).filter((l) => l === 1)).toHaveLength(336);
  });

  it('names the file when the bytes are not Parquet', async () => {
    await expect(readParquetTable(new TextEncoder().encode('id,score\n1,0.5\n'), { fileName: 'preds.parquet' })).rejects.toThrow(/preds\.parquet is not a readable Parquet file/);
  });
});
