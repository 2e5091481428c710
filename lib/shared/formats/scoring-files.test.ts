import { describe, expect, it } from 'vitest';
import { appErrorOf } from '@/tests/support/app-error-of';
import { readBinaryPredictions, readBinaryTruth, readIntervalPredictions, readIntervalTruth } from './scoring-files';

const csv = (text: string) => ({ kind: 'csv' as const, text });

describe('binary scoring files', () => {
  it('aligns predictions to the truth ids, with an optional class column', () => {
    const truth = readBinaryTruth(csv('id,label,weight\n5,1,0.5\n9,0,2\n'), 'truth.csv');
    expect(Array.from(truth.ids)).toEqual([5, 9]);
    const plain = readBinaryPredictions(csv('id,score\n9,0.25\n5,1\n'), truth.ids, 'p.csv');
    expect(Array.from(plain.scores)).toEqual([1, 0.25]);
    expect(plain.classes).toBeUndefined();
    const withClass = readBinaryPredictions(csv('id,class,score\n9,0,0.25\n5,1,0.75\n'), truth.ids, 'p.csv');
    expect(Array.from(withClass.classes as Uint8Array)).toEqual([1, 0]);
  });

  it('rejects a class other than 0 or 1, unknown, repeated and missing ids, naming the place', () => {
    const ids = [5, 9, 11];
    expect(appErrorOf(() => readBinaryPredictions(csv('id,score,class\n5,0.1,2\n'), ids, 'p.csv')).message).toBe(
      'p.csv line 2, column "class": expected 0 or 1, found "2"',
    );
    expect(appErrorOf(() => readBinaryPredictions(csv('id,score\n6,0.1\n'), ids, 'p.csv')).message).toContain('line 2, column "id": expected an id of the test set, found "6"');
    const repeated = appErrorOf(() => readBinaryPredictions(csv('id,score\n5,0.1\n9,0.2\n5,0.3\n'), ids, 'p.csv'));
    expect(repeated.message).toContain('line 4, column "id": expected each id exactly once, found "5" again (already on line 2)');
    expect(repeated.details.firstRow).toBe(2);
    expect(appErrorOf(() => readBinaryPredictions(csv('id,score\n5,0.1\n'), ids, 'p.csv')).message).toContain('is missing 2 of the 3 ids of the test set (9, 11)');
  });

  it('rejects a repeated truth id as a dataset problem, naming both lines', () => {
    const error = appErrorOf(() => readBinaryTruth(csv('id,label,weight\n1,1,1\n2,0,1\n1,0,1\n'), 'truth.csv'));
    expect(error.code).toBe('INVALID_DATASET');
    expect(error.message).toContain('truth.csv line 4, column "id": expected each id exactly once, found "1" again (already on line 2)');
  });
});

describe('interval scoring files', () => {
  it('reads truth with optional sets and aligns predictions by pe_id', () => {
    const truth = readIntervalTruth(csv('pe_id,mu_true,set_id\n1,1.0,0\n0,2.0,1\n'), 'truth.csv');
    expect(Array.from(truth.setIds as Float64Array)).toEqual([0, 1]);
    const predictions = readIntervalPredictions(
      csv('pe_id,mu_hat,delta_mu_hat,p16,p84\n0,2.1,0.1,2.0,2.2\n1,0.9,0.2,0.7,1.1\n'),
      truth.peIds,
      'p.csv',
    );
    expect(Array.from(predictions.muHat)).toEqual([0.9, 2.1]);
    expect(Array.from(predictions.p84)).toEqual([1.1, 2.2]);
  });

  it('rejects a negative delta_mu_hat and a missing column, naming the place', () => {
    const ids = [0];
    expect(appErrorOf(() => readIntervalPredictions(csv('pe_id,mu_hat,delta_mu_hat,p16,p84\n0,1,-0.1,0.9,1.1\n'), ids, 'p.csv')).message).toBe(
      'p.csv line 2, column "delta_mu_hat": expected a finite number ≥ 0 and at most 1e50, found "-0.1"',
    );
    expect(appErrorOf(() => readIntervalPredictions(csv('pe_id,mu_hat,p16,p84\n0,1,0.9,1.1\n'), ids, 'p.csv')).message).toContain('no column "delta_mu_hat"');
  });
});
