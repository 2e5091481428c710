import { describe, expect, it } from 'vitest';
import { appErrorOf } from '@/tests/support/app-error-of';
import { readCsvColumns } from './csv-columns';
import { intervalTruthFormat } from './scoring-files';

describe('readCsvColumns', () => {
  it('reads named columns in any order, with an optional column absent or present', () => {
    const read = readCsvColumns('\uFEFFmu_true,pe_id\r\n1.5,7\r\n-2e-1,3\r\n', intervalTruthFormat, 'truth.csv');
    expect(read.rows).toBe(2);
    expect(Array.from(read.columns.pe_id as Float64Array)).toEqual([7, 3]);
    expect(Array.from(read.columns.mu_true as Float64Array)).toEqual([1.5, -0.2]);
    expect(read.columns.set_id).toBeUndefined();
    expect(read.place(1)).toEqual({ label: 'line 3', row: 3 });
    const withSets = readCsvColumns('pe_id,mu_true,set_id\n0,1,4\n', intervalTruthFormat, 'truth.csv');
    expect(Array.from(withSets.columns.set_id as Float64Array)).toEqual([4]);
  });

  it('names the line and column of a bad value, as the house format does', () => {
    const error = appErrorOf(() => readCsvColumns('pe_id,mu_true\n0,1\n1,nan\n', intervalTruthFormat, 'truth.csv'));
    expect(error.code).toBe('INVALID_DATASET');
    expect(error.message).toBe('truth.csv line 3, column "mu_true": expected a finite number between -1e50 and 1e50, found "nan"');
    expect(error.details).toMatchObject({ row: 3, column: 'mu_true' });
    expect(appErrorOf(() => readCsvColumns('pe_id,mu_true\n-1,1\n', intervalTruthFormat, 't.csv')).message).toContain(
      'column "pe_id": expected a non-negative integer, found "-1"',
    );
  });

  it('rejects unknown, repeated and missing columns, naming the expected header', () => {
    expect(appErrorOf(() => readCsvColumns('pe_id,mu\n0,1\n', intervalTruthFormat, 't.csv')).message).toBe(
      't.csv line 1: expected the columns pe_id,mu_true[,set_id] (any order), found an unknown column "mu"',
    );
    expect(appErrorOf(() => readCsvColumns('pe_id,pe_id\n0,1\n', intervalTruthFormat, 't.csv')).message).toContain('column "pe_id" twice');
    expect(appErrorOf(() => readCsvColumns('pe_id\n0\n', intervalTruthFormat, 't.csv')).message).toContain('no column "mu_true"');
  });

  it('rejects an empty file, a header without rows, a short row and an empty line', () => {
    expect(appErrorOf(() => readCsvColumns('', intervalTruthFormat, 't.csv')).message).toContain('t.csv is empty');
    expect(appErrorOf(() => readCsvColumns('pe_id,mu_true\n', intervalTruthFormat, 't.csv')).message).toContain('has a header but no rows');
    expect(appErrorOf(() => readCsvColumns('pe_id,mu_true\n1\n', intervalTruthFormat, 't.csv')).message).toContain('expected 2 fields, found 1 field');
    expect(appErrorOf(() => readCsvColumns('pe_id,mu_true\n1,1\n\n2,2\n', intervalTruthFormat, 't.csv')).details.row).toBe(3);
  });
});
