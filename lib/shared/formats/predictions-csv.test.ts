import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appErrorOf } from '@/tests/support/app-error-of';
import { parsePredictionsCsv } from './predictions-csv';

const corpusDir = new URL('../../../tests/fixtures/bad-inputs/', import.meta.url);
const corpus = JSON.parse(fs.readFileSync(new URL('cases.json', corpusDir), 'utf8')) as {
  expectedIds: number[];
  cases: Array<{ file: string; description: string; row: number | null; messageFragment: string }>;
};


describe('parsePredictionsCsv on the bad-submission corpus (tests/fixtures/bad-inputs)', () => {
  it('covers every file of the corpus folder', () => {
    const files = fs.readdirSync(corpusDir).filter((name) => name.endsWith('.csv'));
    expect(files.sort()).toEqual(corpus.cases.map((c) => c.file).sort());
  });

  it.each(corpus.cases.map((c) => [c.description, c] as const))('rejects %s, naming the line', (_description, c) => {
    const text = fs.readFileSync(new URL(c.file, corpusDir), 'utf8');
    const error = appErrorOf(() => parsePredictionsCsv(text, corpus.expectedIds, { fileName: c.file }));
    expect(error.code).toBe('INVALID_SUBMISSION');
    expect(error.message.startsWith(`${c.file} `)).toBe(true);
    expect(error.message).toContain(c.messageFragment);
    expect(error.details.file).toBe(c.file);
    expect(error.details.row).toBe(c.row ?? undefined);
  });
});

describe('parsePredictionsCsv', () => {
  const ids = [10, 11, 12];

  it('aligns scores to the expected ids whatever the row order', () => {
    expect(Array.from(parsePredictionsCsv('id,score\n12,0.3\n10,0.1\n11,0.2\n', ids))).toEqual([0.1, 0.2, 0.3]);
  });

  it('accepts a UTF-8 byte-order mark and CRLF line endings', () => {
    expect(Array.from(parsePredictionsCsv('\uFEFFid,score\r\n11,0.2\r\n10,1\r\n12,0\r\n', ids))).toEqual([1, 0.2, 0]);
  });

  it('accepts a missing final newline and exponent notation', () => {
    expect(Array.from(parsePredictionsCsv('id,score\n10,1e-3\n11,2.5E-1\n12,.5', ids))).toEqual([0.001, 0.25, 0.5]);
  });

  it('rejects a second final newline as an empty line, naming it', () => {
    const error = appErrorOf(() => parsePredictionsCsv('id,score\n10,0.1\n11,0.2\n12,0.3\n\n', ids));
    expect(error.details.row).toBe(5);
    expect(error.message).toContain('found an empty line');
  });

  it('gives the full sentence of the house example for an out-of-range score', () => {
    const text = 'id,score\n10,0.1\n11,0.2\n12,0.3\n';
    const error = appErrorOf(() => parsePredictionsCsv(text.replace('0.3', '1.2'), ids));
    expect(error.message).toBe('predictions.csv line 4, column "score": expected a number in [0, 1], found "1.2"');
    expect(error.details).toEqual({ file: 'predictions.csv', row: 4, column: 'score', expected: 'a number in [0, 1]', found: '1.2' });
  });

  it('rejects a duplicated id, naming both lines', () => {
    const error = appErrorOf(() => parsePredictionsCsv('id,score\n10,0.1\n11,0.2\n10,0.3\n12,0.3\n', ids));
    expect(error.details.row).toBe(4);
    expect(error.details.firstRow).toBe(2);
  });

  it('lists only the first few missing ids and says how many are missing', () => {
    const many = Array.from({ length: 100 }, (_, k) => k);
    const error = appErrorOf(() => parsePredictionsCsv('id,score\n3,0.5\n', many));
    expect(error.message).toContain('is missing 99 of the 100 ids of the test set (0, 1, 2, 4, 5, …)');
    expect(error.details.missingCount).toBe(99);
  });

  it('stops at the first error in the file', () => {
    const error = appErrorOf(() => parsePredictionsCsv('id,score\n10,2\n99,0.1\n', ids));
    expect(error.details.row).toBe(2);
  });

  it('rejects spaces around values instead of guessing', () => {
    const error = appErrorOf(() => parsePredictionsCsv('id,score\n10, 0.1\n11,0.2\n12,0.3\n', ids));
    expect(error.message).toContain('found " 0.1"');
  });

  it('works with sparse ids (map index) as with dense ones (table index)', () => {
    const sparse = [5, 2 ** 40, 7_000_000_000];
    expect(Array.from(parsePredictionsCsv('id,score\n7000000000,0.7\n5,0.5\n1099511627776,0.4\n', sparse))).toEqual([0.5, 0.4, 0.7]);
    const error = appErrorOf(() => parsePredictionsCsv('id,score\n6,0.7\n', sparse));
    expect(error.message).toContain('which is not in the test set');
  });

  it('parses a million rows', () => {
    const n = 1_000_000;
    const expected = Float64Array.from({ length: n }, (_, k) => 100_000 + k);
    const parts = ['id,score'];
    for (let k = n - 1; k >= 0; k--) parts.push(`${100_000 + k},${((k % 1000) / 999).toFixed(6)}`);
    const scores = parsePredictionsCsv(parts.join('\n'), expected);
    expect(scores.length).toBe(n);
    expect(scores[999]).toBe(1);
    expect(scores[1999]).toBe(1);
    expect(scores[n - 1]).toBe(1);
    expect(scores[1998]).toBe(Number((998 / 999).toFixed(6)));
    expect(scores[500]).toBe(Number((500 / 999).toFixed(6)));
  });

  it('rejects expected ids that are not distinct as a dataset problem', () => {
    expect(appErrorOf(() => parsePredictionsCsv('id,score\n', [1, 1])).code).toBe('INVALID_DATASET');
  });
});
