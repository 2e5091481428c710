import { describe, expect, it } from 'vitest';
import { appErrorOf } from '@/tests/support/app-error-of';
import { parseTruthCsv } from './truth-csv';


describe('parseTruthCsv', () => {
  it('returns ids, labels and weights in file order', () => {
    const truth = parseTruthCsv('id,label,weight\n10,1,0.5\n7,0,2\n');
    expect(Array.from(truth.ids)).toEqual([10, 7]);
    expect(Array.from(truth.labels)).toEqual([1, 0]);
    expect(Array.from(truth.weights)).toEqual([0.5, 2]);
  });

  it('finds the columns by header name in any order, with BOM and CRLF', () => {
    const truth = parseTruthCsv('\uFEFFweight,id,label\r\n0.25,3,1\r\n1e2,4,0');
    expect(Array.from(truth.ids)).toEqual([3, 4]);
    expect(Array.from(truth.labels)).toEqual([1, 0]);
    expect(Array.from(truth.weights)).toEqual([0.25, 100]);
  });

  it('rejects a label other than 0 or 1, naming line and column', () => {
    const error = appErrorOf(() => parseTruthCsv('id,label,weight\n1,1,1\n2,s,1\n', { fileName: 'truth.csv' }));
    expect(error.code).toBe('INVALID_DATASET');
    expect(error.message).toBe('truth.csv line 3, column "label": expected 0 or 1, found "s"');
  });

  it('rejects a negative or non-finite weight', () => {
    expect(appErrorOf(() => parseTruthCsv('id,label,weight\n1,1,-2\n')).message).toContain('column "weight": expected a finite number ≥ 0, found "-2"');
    expect(appErrorOf(() => parseTruthCsv('id,label,weight\n1,1,1\n2,0,Infinity\n')).details.row).toBe(3);
  });

  it('rejects a header that misses or repeats a column, or adds one', () => {
    expect(appErrorOf(() => parseTruthCsv('id,label\n1,1\n')).message).toContain('missing column "weight"');
    expect(appErrorOf(() => parseTruthCsv('id,label,label\n1,1,1\n')).message).toContain('column "label" appears twice');
    expect(appErrorOf(() => parseTruthCsv('id,label,weight,x\n1,1,1,1\n')).message).toContain('unknown column "x"');
  });

  it('rejects a repeated id, naming both lines', () => {
    const error = appErrorOf(() => parseTruthCsv('id,label,weight\n5,1,1\n6,0,1\n5,0,1\n'));
    expect(error.details).toMatchObject({ row: 4, column: 'id', firstRow: 2 });
    expect(error.message).toContain('already on line 2');
  });

  it('rejects an empty file, a header without rows and a short row', () => {
    expect(appErrorOf(() => parseTruthCsv('')).message).toContain('truth.csv is empty');
    expect(appErrorOf(() => parseTruthCsv('id,label,weight\n')).message).toContain('has a header but no rows');
    expect(appErrorOf(() => parseTruthCsv('id,label,weight\n1,1\n')).message).toContain('expected 3 fields, found 2 fields');
  });
});
