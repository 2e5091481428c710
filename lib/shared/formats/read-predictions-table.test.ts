import { Bool, Field, Float64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type AnyArrowColumn, encodeArrowTable, readArrowStreamBatches } from '@/lib/shared/arrow';
import { appErrorOfAsync, binaryTarget, chunksOf, intervalTarget } from '@/tests/fixtures/predictions/prediction-targets';
import type { PredictionTarget } from './prediction-target';
import { readPredictionsTable } from './read-predictions-table';

const file = 'predictions.arrow';

async function readBytes(bytes: Uint8Array, target: PredictionTarget) {
  return readPredictionsTable(await readArrowStreamBatches(chunksOf(bytes), { file, errorCode: 'INVALID_SUBMISSION' }), target, file);
}
const readColumns = (columns: Record<string, AnyArrowColumn>, target: PredictionTarget, batchRows = 2) =>
  readBytes(encodeArrowTable(columns, {}, { ipcFormat: 'stream', batchRows }), target);
const errorOf = (columns: Record<string, AnyArrowColumn>, target: PredictionTarget, batchRows = 2) => appErrorOfAsync(() => readColumns(columns, target, batchRows));

const target = binaryTarget([10, 11, 12]);

describe('readPredictionsTable', () => {
  it('finds columns by name in any order and accepts ids and scores of any integer or float type', async () => {
    for (const id of [Int32Array.from([12, 10, 11]), BigInt64Array.from([12n, 10n, 11n]), Uint32Array.from([12, 10, 11]), Float64Array.from([12, 10, 11])]) {
      const result = await readColumns({ score: Float32Array.from([0.75, 0.25, 0.5]), id }, target);
      expect(result).toEqual({ task: 'binary-classification', scores: new Map([['nominal', Float64Array.from([0.25, 0.5, 0.75])]]), rows: 3 });
    }
  });

  it('names the row across record batches and the column of a bad value', async () => {
    const error = await errorOf({ id: Int32Array.from([10, 11, 12]), score: Float64Array.from([0.1, 0.2, 1.7]) }, target);
    expect(error.message).toBe('predictions.arrow row 3, column "score": expected a number in [0, 1], found "1.7"');
    expect(error.details).toEqual({ file, row: 3, column: 'score', expected: 'a number in [0, 1]', found: '1.7' });
  });

  it('rejects a fractional or negative id and names both rows of a repeated one', async () => {
    expect((await errorOf({ id: Float64Array.from([10, 11.5, 12]), score: new Float64Array(3) }, target)).message).toBe(
      'predictions.arrow row 2, column "id": expected a non-negative integer, found "11.5"',
    );
    const repeated = await errorOf({ id: Int32Array.from([10, 11, 10]), score: new Float64Array(3) }, target);
    expect(repeated.message).toBe('predictions.arrow row 3, column "id": expected each id exactly once, found "10" again (already on row 1)');
    expect(repeated.details).toMatchObject({ row: 3, firstRow: 1 });
  });

  it('names every extra column, a repeated one and a missing one', async () => {
    const extra = await errorOf({ id: Int32Array.from([10]), score: Float64Array.from([0.1]), class: Int8Array.from([1]), note: ['x'] }, target);
    expect(extra.message).toBe('predictions.arrow header: expected the columns id,score (any order), found the unknown columns "class", "note".');
    expect(extra.details.column).toBe('class');
    const missing = await errorOf({ id: Int32Array.from([10]) }, target);
    expect(missing.message).toBe('predictions.arrow header: expected the columns id,score (any order), found no column "score".');
    const fields = ['id', 'id', 'score'].map((name) => new Field(name, new Float64(), false));
    const children = [10, 10, 0.5].map((value) => makeData({ type: new Float64(), length: 1, data: Float64Array.of(value) }));
    const schema = new Schema(fields);
    const twice = new RecordBatch(schema, makeData({ type: new Struct(fields), length: 1, children }));
    const error = await appErrorOfAsync(() => readBytes(tableToIPC(new Table(schema, [twice]), 'stream'), target));
    expect(error.message).toBe('predictions.arrow header: expected the columns id,score (any order), found column "id" twice.');
  });

  it('requires numeric id and score columns and a string variation column, naming the column and its type', async () => {
    const strings = await errorOf({ id: Int32Array.from([10]), score: ['0.5'] }, target);
    expect(strings.message).toBe('predictions.arrow column "score": expected numbers (a number in [0, 1]), found a column of strings.');
    const booleans = tableToIPC(new Table({ id: vectorFromArray(Float64Array.from([10])), score: vectorFromArray([true], new Bool()) }), 'stream');
    expect((await appErrorOfAsync(() => readBytes(booleans, target))).message).toBe('predictions.arrow column "score": expected numbers (a number in [0, 1]), found a column of type Bool.');
    const withVariations = binaryTarget([10], { jes_up: [10] });
    const numeric = await errorOf({ variation: Int32Array.from([0]), id: Int32Array.from([10]), score: Float64Array.from([0.5]) }, withVariations);
    expect(numeric.message).toContain('column "variation": expected strings ("nominal" or a variation of the challenge ("jes_up")), found a column of numbers.');
  });

  it('reads variations from a dictionary-encoded column over several batches', async () => {
    const withVariations = binaryTarget([1, 2], { jes_up: [2] });
    const result = await readColumns({ variation: ['jes_up', 'nominal', 'nominal'], id: Int32Array.from([2, 2, 1]), score: Float64Array.from([0.9, 0.2, 0.1]) }, withVariations, 1);
    expect(result.task === 'binary-classification' && Object.fromEntries([...result.scores].map(([k, v]) => [k, Array.from(v)]))).toEqual({ nominal: [0.1, 0.2], jes_up: [0.9] });
  });

  it('rejects NaN in an interval column and a null anywhere, naming row and column', async () => {
    const peTarget = intervalTarget([0, 1]);
    const columns = { pe_id: Int32Array.from([1, 0]), mu_hat: Float64Array.from([1, Number.NaN]), delta_mu_hat: Float64Array.from([0.1, 0.1]), p16: new Float64Array(2), p84: new Float64Array(2) };
    expect((await errorOf(columns, peTarget)).message).toBe('predictions.arrow row 2, column "mu_hat": expected a finite number between -1e50 and 1e50, found "NaN"');
    const withNull = new Table({ id: vectorFromArray(Float64Array.from([10, 11, 12])), score: vectorFromArray([0.1, null, 0.3], new Float64()) });
    const error = await appErrorOfAsync(() => readBytes(tableToIPC(withNull, 'stream'), target));
    expect(error.details).toMatchObject({ row: 2, column: 'score', found: 'null' });
  });

  it('rejects a table without rows, saying how many it needs', async () => {
    const error = await errorOf({ id: new Int32Array(0), score: new Float64Array(0) }, target);
    expect(error.message).toBe('predictions.arrow has no rows; expected 3 rows, one per id of the test set.');
  });
});
