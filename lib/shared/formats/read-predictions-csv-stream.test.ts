import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appErrorOf } from '@/tests/support/app-error-of';
import { appErrorOfAsync, binaryTarget, chunksOf, intervalTarget } from '@/tests/fixtures/predictions/prediction-targets';
import type { AlignedPredictions, PredictionTarget } from './prediction-target';
import { parsePredictionsCsv } from './predictions-csv';
import { readPredictionsCsvStream } from './read-predictions-csv-stream';

const corpusDir = new URL('../../../tests/fixtures/bad-inputs/', import.meta.url);
const corpus = JSON.parse(fs.readFileSync(new URL('cases.json', corpusDir), 'utf8')) as {
  expectedIds: number[];
  cases: Array<{ file: string; description: string; row: number | null; messageFragment: string }>;
};

const read = (text: string | Uint8Array, target: PredictionTarget, chunkBytes = 65_536) => readPredictionsCsvStream(chunksOf(text, chunkBytes), target, 'predictions.csv');
const errorOf = (text: string | Uint8Array, target: PredictionTarget, chunkBytes?: number) => appErrorOfAsync(() => read(text, target, chunkBytes));
const scoresOf = (result: AlignedPredictions, table = 'nominal') => (result.task === 'binary-classification' ? Array.from(result.scores.get(table) ?? []) : []);

const ids = [10, 11, 12];
const target = binaryTarget(ids);

describe('readPredictionsCsvStream on the bad-submission corpus', () => {
  it.each(corpus.cases.map((c) => [c.description, c] as const))('rejects %s with the words and line of parsePredictionsCsv', async (_description, c) => {
    const bytes = fs.readFileSync(new URL(c.file, corpusDir));
    const expected = appErrorOf(() => parsePredictionsCsv(bytes.toString('utf8'), corpus.expectedIds, { fileName: c.file }));
    for (const chunkBytes of [1, 5, 65_536]) {
      const error = await appErrorOfAsync(() => readPredictionsCsvStream(chunksOf(bytes, chunkBytes), binaryTarget(corpus.expectedIds), c.file));
      expect(error.code).toBe('INVALID_SUBMISSION');
      expect(error.message).toContain(c.messageFragment);
      // Same sentence; a few messages add a hint at the end (which column is unknown, that quotes are not CSV here).
      expect(error.message.startsWith(expected.message)).toBe(true);
      expect(error.details.row).toBe(expected.details.row);
    }
  });
});

describe('readPredictionsCsvStream', () => {
  it('aligns scores to the truth order, whatever the row order and however the bytes are split', async () => {
    const text = '\uFEFFid,score\r\n12,0.3\r\n10,1e-1\r\n11,.2';
    for (const chunkBytes of [1, 2, 3, 7, 65_536]) {
      const result = await read(text, target, chunkBytes);
      expect(scoresOf(result)).toEqual([0.1, 0.2, 0.3]);
      expect(result.rows).toBe(3);
    }
  });

  it('accepts a "variation" column when every row says "nominal", and names a row that does not', async () => {
    expect(scoresOf(await read('variation,id,score\nnominal,11,0.2\nnominal,10,0.1\nnominal,12,0.3\n', target))).toEqual([0.1, 0.2, 0.3]);
    const error = await errorOf('variation,id,score\nnominal,11,0.2\njes_up,10,0.1\n', target);
    expect(error.message).toBe('predictions.csv line 3, column "variation": expected "nominal", found "jes_up"');
    expect(error.details).toMatchObject({ row: 3, column: 'variation' });
  });

  describe('with systematic variations', () => {
    const withVariations = binaryTarget([1, 2], { jes_up: [1, 3], jes_down: [4] });
    const valid = 'variation,id,score\njes_up,3,0.3\nnominal,2,0.2\njes_down,4,0.4\nnominal,1,0.1\njes_up,1,0.9\n';

    it('aligns each table separately; the same id may appear once per variation', async () => {
      const result = await read(valid, withVariations);
      expect(scoresOf(result, 'nominal')).toEqual([0.1, 0.2]);
      expect(scoresOf(result, 'jes_up')).toEqual([0.9, 0.3]);
      expect(scoresOf(result, 'jes_down')).toEqual([0.4]);
      expect(result.rows).toBe(5);
    });

    it('requires the variation column, naming the header it expects', async () => {
      const error = await errorOf('id,score\n1,0.1\n', withVariations);
      expect(error.message).toBe('predictions.csv line 1: expected the header "variation,id,score", found "id,score"');
    });

    it('rejects an unknown variation, an id of another table and a repeated (variation, id), naming the lines', async () => {
      const unknown = await errorOf('variation,id,score\nnominal,1,0.1\njer_up,2,0.2\n', withVariations);
      expect(unknown.message).toBe('predictions.csv line 3, column "variation": expected "nominal" or a variation of the challenge ("jes_up", "jes_down"), found "jer_up"');
      const otherTable = await errorOf('variation,id,score\njes_down,1,0.1\n', withVariations);
      expect(otherTable.message).toBe('predictions.csv line 2, column "id": expected an id of the test set of variation "jes_down", found "1", which is not in the test set of variation "jes_down"');
      const repeated = await errorOf('variation,id,score\njes_up,1,0.1\nnominal,1,0.1\njes_up,1,0.5\n', withVariations);
      expect(repeated.message).toBe('predictions.csv line 4, column "id": expected each id exactly once per variation, found "1" again (already on line 2)');
      expect(repeated.details).toMatchObject({ row: 4, firstRow: 2, column: 'id' });
    });

    it('names a variation without rows and the missing ids of an incomplete one', async () => {
      const noJesDown = await errorOf('variation,id,score\nnominal,1,0.1\nnominal,2,0.2\njes_up,1,0.1\njes_up,3,0.1\n', withVariations);
      expect(noJesDown.message).toBe('predictions.csv has no rows with variation "jes_down"; expected 1 rows, one per id of the test set of variation "jes_down".');
      const incomplete = await errorOf('variation,id,score\nnominal,1,0.1\nnominal,2,0.2\njes_up,1,0.1\njes_down,4,0.1\n', withVariations);
      expect(incomplete.message).toBe('predictions.csv is missing 1 of the 2 ids of the test set of variation "jes_up" (3); expected exactly one row per id and variation.');
      expect(incomplete.details).toMatchObject({ variation: 'jes_up', missingCount: 1, missingIds: [3] });
    });
  });

  describe('interval estimation', () => {
    const peTarget = intervalTarget([0, 1, 2]);
    const header = 'pe_id,mu_hat,delta_mu_hat,p16,p84\n';

    it('aligns every column to the pseudo-experiment order and allows an inverted interval', async () => {
      const result = await read(`${header}2,1.2,0.3,1.5,0.9\n0,1.0,0.1,0.9,1.1\n1,-0.5,0,-0.6,-0.4\n`, peTarget);
      expect(result).toEqual({
        task: 'interval-estimation',
        muHat: Float64Array.from([1, -0.5, 1.2]),
        deltaMuHat: Float64Array.from([0.1, 0, 0.3]),
        p16: Float64Array.from([0.9, -0.6, 1.5]),
        p84: Float64Array.from([1.1, -0.4, 0.9]),
        rows: 3,
      });
    });

    it('rejects a negative delta_mu_hat and a non-finite value, naming line and column', async () => {
      const negative = await errorOf(`${header}0,1,-0.1,0.9,1.1\n`, peTarget);
      expect(negative.message).toBe('predictions.csv line 2, column "delta_mu_hat": expected a finite number ≥ 0 and at most 1e50, found "-0.1"');
      const infinite = await errorOf(`${header}0,1,0.1,0.9,1.1\n1,1,0.1,0.9,inf\n`, peTarget);
      expect(infinite.message).toBe('predictions.csv line 3, column "p84": expected a finite number between -1e50 and 1e50, found "inf"');
      expect(infinite.details).toMatchObject({ row: 3, column: 'p84', found: 'inf' });
    });

    it('says how many pseudo-experiments are missing and which, and names an unknown one', async () => {
      const missing = await errorOf(`${header}1,1,0.1,0.9,1.1\n`, peTarget);
      expect(missing.message).toBe('predictions.csv is missing 2 of the 3 pseudo-experiments (pe_id 0, 2); expected exactly one row per pseudo-experiment.');
      const unknown = await errorOf(`${header}7,1,0.1,0.9,1.1\n`, peTarget);
      expect(unknown.message).toBe('predictions.csv line 2, column "pe_id": expected an id of the challenge\'s pseudo-experiments, found "7", which is not one of them');
    });

    it('rejects the binary header, naming the one it expects', async () => {
      const error = await errorOf('id,score\n0,0.5\n', peTarget);
      expect(error.message).toBe('predictions.csv line 1: expected the header "pe_id,mu_hat,delta_mu_hat,p16,p84", found "id,score" (unknown columns "id", "score")');
    });
  });

  it('says when the header has the right columns in the wrong order', async () => {
    const error = await errorOf('score,id\n0.5,10\n', target);
    expect(error.message).toBe('predictions.csv line 1: expected the header "id,score", found "score,id" (the columns must be in this order)');
  });

  it('accepts a byte-order mark only at the start of the file, also when a later line starts a new chunk', async () => {
    const bom = '\uFEFF';
    const text = `id,score\n10,0.1\n${bom}11,0.2\n12,0.3\n`;
    const lineStart = new TextEncoder().encode('id,score\n10,0.1\n').length;
    for (const chunkBytes of [lineStart, 65_536]) {
      const error = await errorOf(text, target, chunkBytes);
      expect(error.message).toBe(`predictions.csv line 3, column "id": expected a non-negative integer, found "${bom}11"`);
    }
  });

  it('rejects bytes that are not UTF-8, naming their line', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('id,score\n10,0.1\n11,0.'), 0xff, ...new TextEncoder().encode('2\n12,0.3\n')]);
    for (const chunkBytes of [1, 4, 65_536]) {
      const error = await errorOf(bytes, target, chunkBytes);
      expect(error.message).toBe('predictions.csv line 3: expected UTF-8 text, found bytes that are not valid UTF-8 (save the file as UTF-8 CSV)');
      expect(error.details.row).toBe(3);
    }
  });

  it('rejects a file without line breaks once a line passes 64 KiB, without reading on', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(16_384).fill(0x31);
      }
    }
    const error = await appErrorOfAsync(() => readPredictionsCsvStream(endless(), target, 'predictions.csv'));
    expect(error.message).toBe('predictions.csv line 1: expected a line of at most 65536 bytes, found a longer line (is it a CSV file with one row per line?)');
    expect(pulled).toBeLessThanOrEqual(5);
  });

  it('reads a streamed file of a million rows', async () => {
    const n = 1_000_000;
    const expected = Array.from({ length: n }, (_, k) => 5_000_000 + k);
    async function* generated() {
      yield new TextEncoder().encode('id,score\n');
      for (let start = n - 1; start >= 0; start -= 10_000) {
        const lines: string[] = [];
        for (let k = start; k > start - 10_000 && k >= 0; k--) lines.push(`${5_000_000 + k},${(k % 1000) / 1000}\n`);
        yield new TextEncoder().encode(lines.join(''));
      }
    }
    const result = await readPredictionsCsvStream(generated(), binaryTarget(expected), 'predictions.csv');
    const scores = result.task === 'binary-classification' ? (result.scores.get('nominal') as Float64Array) : new Float64Array(0);
    expect(result.rows).toBe(n);
    expect(scores[999]).toBe(0.999);
    expect(scores[n - 1]).toBe(((n - 1) % 1000) / 1000);
  });
});

describe('readPredictionsCsvStream with RFC 4180 quoting, whatever the chunk boundaries', () => {
  const target = binaryTarget([1, 2, 3]);
  const expected = { rows: 3, scores: { nominal: [0.25, 0.5, 0.75] } };
  const plainScores = (result: Awaited<ReturnType<typeof read>>) =>
    result.task === 'binary-classification' ? { rows: result.rows, scores: Object.fromEntries([...result.scores].map(([t, s]) => [t, Array.from(s)])) } : null;

  it('accepts the quoted header of R write.csv, fully quoted rows and quoted fields with CRLF, in chunks of any size', async () => {
    const files = [
      '"id","score"\n1,0.25\n2,0.5\n3,0.75\n',
      '"id","score"\r\n"1","0.25"\r\n"2","0.5"\r\n"3","0.75"\r\n',
      '\uFEFF"id",score\n"3",0.75\n2,"0.5"\n"1","0.25"',
    ];
    for (const file of files) {
      for (const chunkBytes of [1, 2, 3, 7, 65_536]) expect(plainScores(await read(file, target, chunkBytes)), `${JSON.stringify(file)} in ${chunkBytes}-byte chunks`).toEqual(expected);
    }
  });

  it('names the line of a value that is quoted but still wrong, of a line break inside quotes, and of a quote never closed', async () => {
    expect((await appErrorOfAsync(() => read('"id","score"\n1,"0.25"\n2,"abc"\n3,0.75\n', target, 3))).message).toBe('predictions.csv line 3, column "score": expected a number in [0, 1], found "abc"');
    expect((await appErrorOfAsync(() => read('id,score\n1,"0.\n25"\n2,0.5\n3,0.75\n', target, 2))).message).toBe('predictions.csv line 2, column "score": expected a number in [0, 1], found "0.\\n25"');
    const unclosed = await appErrorOfAsync(() => read('id,score\n1,0.25\n2,"0.5\n3,0.75\n', target, 4));
    expect(unclosed.message).toBe('predictions.csv line 3: expected field 2 quoted as in RFC 4180 ("…", with "" for a quote inside), found a quote that is never closed');
  });

  it('names a file whose lines end with CR alone, small or larger than a line may be', async () => {
    const small = await appErrorOfAsync(() => read('id,score\r1,0.25\r2,0.5\r3,0.75\r', target, 5));
    expect(small.message).toContain('found lines ending with CR alone (classic Mac OS line endings)');
    const rows = Array.from({ length: 20_000 }, (_, k) => `${k},0.5`).join('\r');
    const large = await appErrorOfAsync(() => read(`id,score\r${rows}\r`, target));
    expect(large.message).toContain('found lines ending with CR alone (classic Mac OS line endings)');
  });
});
