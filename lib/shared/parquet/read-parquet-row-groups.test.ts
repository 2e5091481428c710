import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { RandomAccessBytes, StreamedTable, TableBatch } from '@/lib/shared/arrow';
import { appErrorOfAsync } from '@/tests/fixtures/predictions/prediction-targets';
import { readParquetRowGroups, writeParquetTable } from './index';

const options = { file: 'predictions.parquet', errorCode: 'INVALID_SUBMISSION' } as const;

/** A byte source that records the length of every read, to show row groups are read one at a time. */
function inMemory(bytes: Uint8Array): RandomAccessBytes & { readLengths: number[] } {
  const readLengths: number[] = [];
  return {
    byteLength: bytes.length,
    readLengths,
    read: async (position: number, length: number) => {
      readLengths.push(length);
      return bytes.slice(position, position + length);
    },
  };
}

async function collect(table: StreamedTable): Promise<TableBatch[]> {
  const batches: TableBatch[] = [];
  for await (const batch of table.batches) batches.push(batch);
  return batches;
}

describe('readParquetRowGroups', () => {
  it('yields one batch per row group, numbers as Float64Array and strings as they are', async () => {
    const n = 10;
    const bytes = writeParquetTable(
      {
        variation: Array.from({ length: n }, (_, k) => (k % 2 === 0 ? 'nominal' : 'jes_up')),
        id: Int32Array.from({ length: n }, (_, k) => 100 + k),
        score: Float32Array.from({ length: n }, (_, k) => k / 16),
      },
      {},
      { rowGroupSize: 4 },
    );
    const table = await readParquetRowGroups(inMemory(bytes), options);
    expect(table.columnNames).toEqual(['variation', 'id', 'score']);
    expect(table.columnTypes).toEqual({ variation: { kind: 'string' }, id: { kind: 'number' }, score: { kind: 'number' } });
    const batches = await collect(table);
    expect(batches.map((b) => [b.rowStart, b.numRows])).toEqual([[0, 4], [4, 4], [8, 2]]);
    expect(batches.flatMap((b) => Array.from(b.columns.id as Float64Array))).toEqual(Array.from({ length: n }, (_, k) => 100 + k));
    expect(batches.flatMap((b) => Array.from(b.columns.score as Float64Array))).toEqual(Array.from({ length: n }, (_, k) => k / 16));
    expect(batches[2]?.columns.variation).toEqual(['nominal', 'jes_up']);
  });

  it('reads a large file a row group at a time, never the whole file at once', async () => {
    const n = 200_000;
    const bytes = writeParquetTable({ id: Int32Array.from({ length: n }, (_, k) => k), score: Float64Array.from({ length: n }, (_, k) => (k % 997) / 997) }, {}, { rowGroupSize: 20_000 });
    const source = inMemory(bytes);
    let rows = 0;
    for await (const batch of (await readParquetRowGroups(source, options)).batches) rows += batch.numRows;
    expect(rows).toBe(n);
    // The first read is hyparquet's footer fetch (the last 512 KiB at most); each later one is a single row group.
    const [, ...rowGroupReads] = source.readLengths;
    expect(rowGroupReads.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...rowGroupReads)).toBeLessThan(bytes.length / 5);
  });

  it('widens INT64 and describes booleans and timestamps as other types, leaving them out', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: BigInt64Array.from([1n, 9007199254740991n]), type: 'INT64', nullable: false },
        { name: 'flag', data: [true, false], type: 'BOOLEAN', nullable: false },
        { name: 'at', data: [new Date(0), new Date(1)], type: 'TIMESTAMP', nullable: false },
      ],
    });
    const table = await readParquetRowGroups(inMemory(new Uint8Array(buffer)), options);
    expect(table.columnTypes.id).toEqual({ kind: 'number' });
    expect(table.columnTypes.flag).toEqual({ kind: 'other', description: 'BOOLEAN' });
    expect(table.columnTypes.at?.kind).toBe('other');
    const [batch] = await collect(table);
    expect(Object.keys(batch?.columns ?? {})).toEqual(['id']);
    expect(Array.from(batch?.columns.id as Float64Array)).toEqual([1, 9007199254740991]);
  });

  it('rejects a null value, naming the row and the column', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [{ name: 'score', data: [0.1, 0.2, null, 0.4], type: 'DOUBLE', nullable: true }],
      rowGroupSize: 2,
    });
    const table = await readParquetRowGroups(inMemory(new Uint8Array(buffer)), options);
    const error = await appErrorOfAsync(() => collect(table));
    expect(error.message).toBe('predictions.parquet row 3, column "score": expected a value, found null (missing values are not allowed).');
    expect(error.details).toMatchObject({ row: 3, column: 'score' });
  });

  it('rejects a file cut anywhere as truncated or corrupt, never with a raw error', async () => {
    const bytes = writeParquetTable({ id: Int32Array.from([1, 2, 3, 4, 5]), score: Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]) }, {}, { rowGroupSize: 2 });
    for (let cut = 0; cut < bytes.length; cut += 23) {
      const error = await appErrorOfAsync(async () => collect(await readParquetRowGroups(inMemory(bytes.subarray(0, cut)), options)));
      expect(error.code, `cut at ${cut}`).toBe('INVALID_SUBMISSION');
      expect(error.message, `cut at ${cut}`).toContain('predictions.parquet is not a readable Parquet file: it is truncated or corrupt');
    }
  });

  it('rejects a row group whose pages were damaged as corrupt', async () => {
    const bytes = writeParquetTable({ id: Int32Array.from({ length: 1000 }, (_, k) => k) }, {}, { rowGroupSize: 500 });
    const damaged = bytes.slice();
    damaged.fill(0xee, 10, 200);
    const error = await appErrorOfAsync(async () => collect(await readParquetRowGroups(inMemory(damaged), options)));
    expect(error.message).toContain('truncated or corrupt');
  });
});
