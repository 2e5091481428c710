import { Float64, Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/shared/app-error';
import { appErrorOfAsync, chunksOf } from '@/tests/fixtures/predictions/prediction-targets';
import { encodeArrowTable, readArrowFileBatches, readArrowStreamBatches, type RandomAccessBytes, type StreamedTable, type TableBatch } from './index';

const options = { file: 'predictions.arrow', errorCode: 'INVALID_SUBMISSION' } as const;

function inMemory(bytes: Uint8Array): RandomAccessBytes {
  return { byteLength: bytes.length, read: async (position, length) => bytes.slice(position, position + length) };
}

async function collect(table: StreamedTable): Promise<TableBatch[]> {
  const batches: TableBatch[] = [];
  for await (const batch of table.batches) batches.push(batch);
  return batches;
}

const columns = {
  variation: ['nominal', 'nominal', 'jes_up', 'jes_up', 'nominal'],
  id: BigInt64Array.from([5n, 7n, 5n, 9007199254740991n, 11n]),
  score: Float32Array.from([0.5, 0.25, 1, 0, 0.125]),
  flag: Uint8Array.from([1, 0, 1, 0, 1]),
};

describe('readArrowStreamBatches / readArrowFileBatches', () => {
  it('yields every record batch in order with numbers widened to Float64Array and dictionary strings decoded', async () => {
    for (const ipcFormat of ['stream', 'file'] as const) {
      const bytes = encodeArrowTable(columns, {}, { ipcFormat, batchRows: 2, stringEncoding: 'dictionary' });
      const table = ipcFormat === 'stream' ? await readArrowStreamBatches(chunksOf(bytes, 7), options) : await readArrowFileBatches(inMemory(bytes), options);
      expect(table.columnNames).toEqual(['variation', 'id', 'score', 'flag']);
      expect(table.columnTypes).toEqual({ variation: { kind: 'string' }, id: { kind: 'number' }, score: { kind: 'number' }, flag: { kind: 'number' } });
      const batches = await collect(table);
      expect(batches.map((b) => [b.rowStart, b.numRows])).toEqual([[0, 2], [2, 2], [4, 1]]);
      expect(batches.flatMap((b) => b.columns.variation as string[])).toEqual(columns.variation);
      expect(batches.flatMap((b) => Array.from(b.columns.id as Float64Array))).toEqual([5, 7, 5, 9007199254740991, 11]);
      expect(batches.flatMap((b) => Array.from(b.columns.score as Float64Array))).toEqual([0.5, 0.25, 1, 0, 0.125]);
      expect(batches[0]?.columns.score).toBeInstanceOf(Float64Array);
    }
  });

  it('describes columns of other types and leaves them out of the batches', async () => {
    const bytes = encodeArrowTable({ pt: { kind: 'list', values: Float32Array.from([1, 2]), offsets: Int32Array.from([0, 1, 2]) }, id: Int32Array.from([1, 2]) });
    const table = await readArrowFileBatches(inMemory(bytes), options);
    expect(table.columnTypes.pt).toEqual({ kind: 'other', description: 'List<Float32>' });
    const [batch] = await collect(table);
    expect(Object.keys(batch?.columns ?? {})).toEqual(['id']);
  });

  it('rejects a null value, naming the row across batches and the column', async () => {
    const first = new Table({ score: vectorFromArray([0.1, 0.2], new Float64()) });
    const second = new Table({ score: vectorFromArray([0.3, null], new Float64()) });
    const bytes = tableToIPC(first.concat(second), 'stream');
    const table = await readArrowStreamBatches(chunksOf(bytes), options);
    const error = await appErrorOfAsync(() => collect(table));
    expect(error.message).toBe('predictions.arrow row 4, column "score": expected a value, found null (missing values are not allowed).');
    expect(error.details).toMatchObject({ file: 'predictions.arrow', row: 4, column: 'score' });
  });

  it('rejects a stream cut anywhere as truncated or corrupt, never with a raw error', async () => {
    const bytes = encodeArrowTable(columns, {}, { ipcFormat: 'stream', batchRows: 2 });
    for (let cut = 1; cut < bytes.length; cut += 37) {
      const error = await appErrorOfAsync(async () => collect(await readArrowStreamBatches(chunksOf(bytes.subarray(0, cut), 64), options)));
      expect(error.code, `cut at ${cut}`).toBe('INVALID_SUBMISSION');
      expect(error.message, `cut at ${cut}`).toContain('predictions.arrow is not a readable Arrow IPC stream: it is truncated or corrupt');
    }
  });

  it('rejects a file cut anywhere or with a damaged footer length as truncated or corrupt', async () => {
    const bytes = encodeArrowTable(columns, {}, { batchRows: 2 });
    for (let cut = 0; cut < bytes.length; cut += 29) {
      const error = await appErrorOfAsync(async () => collect(await readArrowFileBatches(inMemory(bytes.subarray(0, cut)), options)));
      expect(error.message, `cut at ${cut}`).toContain('predictions.arrow is not a readable Arrow IPC file: it is truncated or corrupt');
    }
    const damaged = bytes.slice();
    new DataView(damaged.buffer).setInt32(damaged.length - 10, 0x7fff_fff0, true);
    const error = await appErrorOfAsync(async () => collect(await readArrowFileBatches(inMemory(damaged), options)));
    expect(error.details).toMatchObject({ file: 'predictions.arrow', found: 'truncated or corrupt data' });
  });

  it('passes an AppError of the byte source through unchanged', async () => {
    const bytes = encodeArrowTable(columns, {}, { ipcFormat: 'stream', batchRows: 1 });
    async function* failing() {
      yield bytes.subarray(0, 300);
      throw new AppError('PAYLOAD_TOO_LARGE', 'predictions.arrow decompresses to more than 300 bytes.');
    }
    const error = await appErrorOfAsync(async () => collect(await readArrowStreamBatches(failing(), options)));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
