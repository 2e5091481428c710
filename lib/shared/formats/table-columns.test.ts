import { describe, expect, it } from 'vitest';
import { appErrorOf } from '@/tests/support/app-error-of';
import type { DecodedArrowTable } from '@/lib/shared/arrow';
import { binaryPredictionsFormat, binaryTruthFormat } from './scoring-files';
import { readTableColumns } from './table-columns';

function table(columns: DecodedArrowTable['columns']): DecodedArrowTable {
  const names = Object.keys(columns);
  return { numRows: columns[names[0] as string]?.length ?? 0, columnNames: names, columns, metadata: {} };
}

describe('readTableColumns', () => {
  it('reads numeric columns of any stored type by name', () => {
    const read = readTableColumns(
      table({ weight: Float32Array.of(0.5, 2), label: Int8Array.of(1, 0), id: Int32Array.of(10, 11) }),
      binaryTruthFormat,
      'truth.arrow',
    );
    expect(Array.from(read.columns.weight as Float64Array)).toEqual([0.5, 2]);
    expect(Array.from(read.columns.label as Float64Array)).toEqual([1, 0]);
    expect(read.place(0)).toEqual({ label: 'row 1', row: 1 });
  });

  it('names the row and column of a bad value', () => {
    const error = appErrorOf(() =>
      readTableColumns(table({ id: Int32Array.of(1, 2, 3), score: Float64Array.of(0.1, 0.2, 1.2) }), binaryPredictionsFormat, 'predictions.parquet'),
    );
    expect(error.code).toBe('INVALID_SUBMISSION');
    expect(error.message).toBe('predictions.parquet row 3, column "score": expected a number in [0, 1], found 1.2');
    expect(error.details).toMatchObject({ row: 3, column: 'score' });
    expect(appErrorOf(() => readTableColumns(table({ id: Float64Array.of(1.5), score: Float64Array.of(0.1) }), binaryPredictionsFormat, 'p.arrow')).message).toContain(
      'column "id": expected a non-negative integer, found 1.5',
    );
  });

  it('rejects string columns, missing columns and empty tables', () => {
    expect(appErrorOf(() => readTableColumns(table({ id: ['1'], score: Float64Array.of(0.5) }), binaryPredictionsFormat, 'p.arrow')).message).toContain(
      'found a column of strings',
    );
    expect(appErrorOf(() => readTableColumns(table({ id: Int32Array.of(1) }), binaryPredictionsFormat, 'p.arrow')).message).toContain('no column "score"');
    expect(appErrorOf(() => readTableColumns(table({ id: new Int32Array(0), score: new Float64Array(0) }), binaryPredictionsFormat, 'p.arrow')).message).toContain(
      'has no rows',
    );
  });
});
