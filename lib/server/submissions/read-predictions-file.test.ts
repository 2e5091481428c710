import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type ArrowColumn, arrowTableToCsv, encodeArrowTable } from '@/lib/shared/arrow';
import type { AlignedPredictions, PredictionTarget } from '@/lib/shared/formats/prediction-target';
import { writeParquetTable } from '@/lib/shared/parquet';
import { appErrorOfAsync, binaryTarget, intervalTarget } from '@/tests/fixtures/predictions/prediction-targets';
import { readPredictionsFile } from './read-predictions-file';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-predictions-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

type Columns = Record<string, ArrowColumn>;

const csvOf = (columns: Columns) => {
  const columnNames = Object.keys(columns);
  const numRows = (columns[columnNames[0] as string] as ArrowColumn).length;
  return new TextEncoder().encode(arrowTableToCsv({ numRows, columnNames, columns, metadata: {} }));
};
const arrowFileOf = (columns: Columns) => encodeArrowTable(columns, {}, { batchRows: 2 });
const arrowStreamOf = (columns: Columns) => encodeArrowTable(columns, {}, { ipcFormat: 'stream', batchRows: 2 });
const parquetOf = (columns: Columns) => writeParquetTable(columns, {}, { rowGroupSize: 2 });

/** Every format a participant may upload, with how its rows are named in messages. */
const formats = [
  { name: 'predictions.csv', encode: csvOf, place: 'line' },
  { name: 'predictions.csv.gz', encode: (c: Columns) => gzipSync(csvOf(c)), place: 'line' },
  { name: 'predictions.arrow', encode: arrowFileOf, place: 'row' },
  { name: 'predictions.arrow.gz', encode: (c: Columns) => gzipSync(arrowFileOf(c)), place: 'row' },
  { name: 'predictions.arrows', encode: arrowStreamOf, place: 'row' },
  { name: 'predictions.arrows.gz', encode: (c: Columns) => gzipSync(arrowStreamOf(c)), place: 'row' },
  { name: 'predictions.parquet', encode: parquetOf, place: 'row' },
  { name: 'predictions.parquet.gz', encode: (c: Columns) => gzipSync(parquetOf(c)), place: 'row' },
] as const;

let fileCount = 0;
/** Writes bytes to a file without extension: the format must come from the bytes. */
function writeUpload(bytes: Uint8Array): string {
  const file = path.join(tmpRoot, `upload-${fileCount++}`);
  fs.writeFileSync(file, bytes);
  return file;
}

function tempDirFor(): string {
  return fs.mkdtempSync(path.join(tmpRoot, 'scratch-'));
}

const read = (bytes: Uint8Array, fileName: string, target: PredictionTarget, options: { maxDecompressedBytes?: number; tempDir?: string } = {}) =>
  readPredictionsFile(writeUpload(bytes), fileName, target, { tempDir: tempDirFor(), ...options });

const plain = (result: AlignedPredictions) =>
  result.task === 'binary-classification'
    ? { rows: result.rows, scores: Object.fromEntries([...result.scores].map(([table, scores]) => [table, Array.from(scores)])) }
    : { rows: result.rows, muHat: Array.from(result.muHat), deltaMuHat: Array.from(result.deltaMuHat), p16: Array.from(result.p16), p84: Array.from(result.p84) };

const binary = binaryTarget([1001, 1002, 1003, 1004, 1005]);
const binaryRows: Columns = { id: Int32Array.from([1003, 1001, 1005, 1002, 1004]), score: Float64Array.from([0.3, 0.1, 0.5, 0.2, 0.4]) };

const withVariations = binaryTarget([1, 2, 3], { jes_up: [2, 3, 4], jes_down: [5] });
const variationRows: Columns = {
  variation: ['jes_up', 'nominal', 'jes_down', 'nominal', 'jes_up', 'nominal', 'jes_up'],
  id: Int32Array.from([4, 3, 5, 1, 2, 2, 3]),
  score: Float64Array.from([0.94, 0.03, 0.5, 0.01, 0.92, 0.02, 0.93]),
};

const interval = intervalTarget([0, 1, 2, 3]);
const intervalRows: Columns = {
  pe_id: Int32Array.from([2, 0, 3, 1]),
  mu_hat: Float64Array.from([1.2, 0.8, -0.25, 1]),
  delta_mu_hat: Float64Array.from([0.3, 0.1, 0, 0.2]),
  p16: Float64Array.from([1.5, 0.7, -0.3, 0.9]),
  p84: Float64Array.from([0.9, 0.9, -0.2, 1.1]),
};

describe.each(formats)('readPredictionsFile: $name', ({ name, encode, place }) => {
  /** How the data row `row` (from 1) is named in this format's messages. */
  const at = (row: number) => `${name} ${place} ${place === 'line' ? row + 1 : row}`;
  const errorOf = (columns: Columns, target: PredictionTarget) => appErrorOfAsync(() => read(encode(columns), name, target));

  it('aligns binary scores to the truth order', async () => {
    expect(plain(await read(encode(binaryRows), name, binary))).toEqual({ rows: 5, scores: { nominal: [0.1, 0.2, 0.3, 0.4, 0.5] } });
  });

  it('aligns binary scores per systematic variation', async () => {
    expect(plain(await read(encode(variationRows), name, withVariations))).toEqual({
      rows: 7,
      scores: { nominal: [0.01, 0.02, 0.03], jes_up: [0.92, 0.93, 0.94], jes_down: [0.5] },
    });
  });

  it('aligns interval estimates to the pseudo-experiment order, inverted intervals included', async () => {
    expect(plain(await read(encode(intervalRows), name, interval))).toEqual({
      rows: 4,
      muHat: [0.8, 1, 1.2, -0.25],
      deltaMuHat: [0.1, 0.2, 0.3, 0],
      p16: [0.7, 0.9, 1.5, -0.3],
      p84: [0.9, 1.1, 0.9, -0.2],
    });
  });

  it('rejects a score outside [0, 1], naming row and column', async () => {
    const error = await errorOf({ ...binaryRows, score: Float64Array.from([0.3, 0.1, 1.7, 0.2, 0.4]) }, binary);
    expect(error.code).toBe('INVALID_SUBMISSION');
    expect(error.message).toBe(`${at(3)}, column "score": expected a number in [0, 1], found "1.7"`);
    expect(error.details).toMatchObject({ file: name, row: place === 'line' ? 4 : 3, column: 'score' });
  });

  it('rejects a repeated id, naming both rows', async () => {
    const error = await errorOf({ ...binaryRows, id: Int32Array.from([1003, 1001, 1005, 1001, 1004]) }, binary);
    expect(error.message).toBe(`${at(4)}, column "id": expected each id exactly once, found "1001" again (already on ${place} ${place === 'line' ? 3 : 2})`);
    expect(error.details.firstRow).toBe(place === 'line' ? 3 : 2);
  });

  it('rejects an id outside the test set, naming the row', async () => {
    const error = await errorOf({ ...binaryRows, id: Int32Array.from([1003, 9999, 1005, 1002, 1004]) }, binary);
    expect(error.message).toBe(`${at(2)}, column "id": expected an id of the test set, found "9999", which is not in the test set`);
  });

  it('says how many ids are missing and which come first', async () => {
    const error = await errorOf({ id: Int32Array.from([1002, 1004]), score: Float64Array.from([0.2, 0.4]) }, binary);
    expect(error.message).toBe(`${name} is missing 3 of the 5 ids of the test set (1001, 1003, 1005); expected exactly one row per id.`);
    expect(error.details).toMatchObject({ file: name, missingCount: 3, missingIds: [1001, 1003, 1005] });
  });

  it('rejects an unknown variation, naming the row', async () => {
    const variation = [...(variationRows.variation as string[])];
    variation[2] = 'jer_up';
    const error = await errorOf({ ...variationRows, variation }, withVariations);
    expect(error.message).toBe(`${at(3)}, column "variation": expected "nominal" or a variation of the challenge ("jes_up", "jes_down"), found "jer_up"`);
  });

  it('rejects a negative delta_mu_hat, naming row and column', async () => {
    const error = await errorOf({ ...intervalRows, delta_mu_hat: Float64Array.from([0.3, -0.1, 0, 0.2]) }, interval);
    expect(error.message).toBe(`${at(2)}, column "delta_mu_hat": expected a finite number ≥ 0 and at most 1e50, found "-0.1"`);
    expect(error.details).toMatchObject({ column: 'delta_mu_hat' });
  });

  it('rejects an extra column, naming it', async () => {
    const error = await errorOf({ ...binaryRows, class: Int32Array.from([1, 0, 1, 0, 1]) }, binary);
    expect(error.code).toBe('INVALID_SUBMISSION');
    expect(error.message).toContain('"class"');
  });
});

describe('readPredictionsFile', () => {
  it('rejects a gzip bomb as it inflates, leaving no temporary file', async () => {
    const tempDir = tempDirFor();
    const bomb = gzipSync(Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(32 * 1024);
    const error = await appErrorOfAsync(() => read(bomb, 'predictions.parquet.gz', binary, { maxDecompressedBytes: 1024 * 1024, tempDir }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('predictions.parquet.gz decompresses to more than 1048576 bytes (1 MiB); the limit applies to the uncompressed content. Upload a smaller file.');
    expect(fs.readdirSync(tempDir)).toEqual([]);
  });

  it('applies the decompressed limit to streamed CSV and Arrow streams too, even when every row is valid', async () => {
    const ids = Array.from({ length: 2000 }, (_, k) => k);
    const columns = { id: Int32Array.from(ids), score: Float64Array.from(ids, (k) => k / 2000) };
    for (const [fileName, bytes] of [['p.csv.gz', gzipSync(csvOf(columns))], ['p.arrows.gz', gzipSync(arrowStreamOf(columns))]] as const) {
      const error = await appErrorOfAsync(() => read(bytes, fileName, binaryTarget(ids), { maxDecompressedBytes: 10_000 }));
      expect(error.code, fileName).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toContain(`${fileName} decompresses to more than 10000 bytes`);
    }
  });

  it('deletes the inflated temporary file after reading compressed Arrow and Parquet files', async () => {
    for (const bytes of [gzipSync(parquetOf(binaryRows)), gzipSync(arrowFileOf(binaryRows))]) {
      const tempDir = tempDirFor();
      await read(bytes, 'predictions.gz', binary, { tempDir });
      expect(fs.readdirSync(tempDir)).toEqual([]);
      await appErrorOfAsync(() => read(bytes, 'predictions.gz', binaryTarget([1]), { tempDir }));
      expect(fs.readdirSync(tempDir)).toEqual([]);
    }
  });

  it('rejects truncated Arrow and Parquet files, compressed or not, as truncated or corrupt', async () => {
    const cases = [
      ['predictions.arrow', arrowFileOf(binaryRows), 'Arrow IPC file'],
      ['predictions.arrows', arrowStreamOf(binaryRows), 'Arrow IPC stream'],
      ['predictions.parquet', parquetOf(binaryRows), 'Parquet file'],
    ] as const;
    for (const [fileName, bytes, kind] of cases) {
      for (const truncated of [bytes.subarray(0, Math.floor(bytes.length / 2)), bytes.subarray(0, bytes.length - 3)]) {
        for (const upload of [truncated, gzipSync(truncated)]) {
          const error = await appErrorOfAsync(() => read(upload, fileName, binary));
          expect(error.code, fileName).toBe('INVALID_SUBMISSION');
          expect(error.message).toBe(`${fileName} is not a readable ${kind}: it is truncated or corrupt. Write it again (e.g. with ${kind === 'Parquet file' ? 'pandas or pyarrow' : 'pyarrow'}) and upload the complete file.`);
        }
      }
    }
  });

  it('rejects a truncated gzip file', async () => {
    const gz = gzipSync(csvOf(binaryRows));
    const error = await appErrorOfAsync(() => read(gz.subarray(0, gz.length - 12), 'predictions.csv.gz', binary));
    expect(error.message).toBe('predictions.csv.gz starts like a gzip file but is truncated or corrupt; compress it again and upload the complete file.');
  });

  it('detects the format from the bytes, whatever the name says', async () => {
    expect(plain(await read(parquetOf(binaryRows), 'predictions.csv', binary)).rows).toBe(5);
  });

  it('refuses an Arrow or Parquet file far larger than the target needs before decoding it', async () => {
    const n = 100_000;
    const columns = { id: Int32Array.from({ length: n }, (_, k) => k), score: new Float64Array(n) };
    for (const [fileName, bytes] of [['predictions.arrow', encodeArrowTable(columns)], ['predictions.arrows', encodeArrowTable(columns, {}, { ipcFormat: 'stream' })]] as const) {
      const error = await appErrorOfAsync(() => read(bytes, fileName, binary));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toMatch(/^predictions\.arrows? is (1\.\d+ MiB|more than 1 MiB), more than a predictions file for this challenge needs \(1 MiB\)/);
    }
  });

  it('rejects a file that is not UTF-8 text nor a known binary format, naming the line', async () => {
    const error = await appErrorOfAsync(() => read(Uint8Array.from([0x69, 0x64, 0x2c, 0x73, 0x63, 0x6f, 0x72, 0x65, 0x0a, 0xc3, 0x28]), 'predictions.xlsx', binary));
    expect(error.message).toBe('predictions.xlsx line 2: expected UTF-8 text, found bytes that are not valid UTF-8 (save the file as UTF-8 CSV)');
  });
});

describe('readPredictionsFile: zips, as Codabench participants upload them, and UTF-16', () => {
  /** A zip written by Python's zipfile (an independent writer): entries as [name, bytes], deflated unless stored. */
  function zipOf(entries: Array<[string, Uint8Array | string]>, options: { stored?: boolean; zip64?: boolean } = {}): Uint8Array {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'zip-'));
    const specs = entries.map(([name, data], k) => {
      const file = path.join(dir, `entry-${k}`);
      fs.writeFileSync(file, data);
      return [name, file];
    });
    const out = path.join(dir, 'out.zip');
    const script = `import json, sys, zipfile
specs = json.loads(sys.argv[1])
method = zipfile.ZIP_STORED if sys.argv[3] == 'stored' else zipfile.ZIP_DEFLATED
with zipfile.ZipFile(sys.argv[2], 'w', compression=method) as z:
    for name, file in specs:
        if name.endswith('/'):
            z.writestr(name, b'')
            continue
        info = zipfile.ZipInfo(name)
        info.compress_type = method
        with open(file, 'rb') as source, z.open(info, 'w', force_zip64=sys.argv[4] == 'zip64') as target:
            target.write(source.read())
`;
    const result = spawnSync('/usr/bin/python3', ['-c', script, JSON.stringify(specs), out, options.stored ? 'stored' : 'deflated', options.zip64 ? 'zip64' : 'plain'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    return new Uint8Array(fs.readFileSync(out));
  }
  const csv = csvOf(binaryRows);
  const expected = { rows: 5, scores: { nominal: [0.1, 0.2, 0.3, 0.4, 0.5] } };

  it('reads the one predictions file of a zip, deflated or stored, CSV or Parquet, ZIP64 too, ignoring folders and macOS extras', async () => {
    expect(plain(await read(zipOf([['predictions.csv', csv]]), 'submission.zip', binary))).toEqual(expected);
    expect(plain(await read(zipOf([['out/predictions.parquet', parquetOf(binaryRows)]], { stored: true }), 'submission.zip', binary))).toEqual(expected);
    expect(plain(await read(zipOf([['predictions.csv', csv]], { zip64: true }), 'submission.zip', binary))).toEqual(expected);
    const withNoise = zipOf([['results/', ''], ['results/predictions.csv', csv], ['__MACOSX/results/._predictions.csv', 'junk'], ['results/.DS_Store', 'junk']]);
    expect(plain(await read(withNoise, 'submission.zip', binary))).toEqual(expected);
  });

  it('names the file inside the zip in a validation message', async () => {
    const bad = new TextEncoder().encode('id,score\n1001,0.1\n1002,2\n1003,0.3\n1004,0.4\n1005,0.5\n');
    const error = await appErrorOfAsync(() => read(zipOf([['preds.csv', bad]]), 'submission.zip', binary));
    expect(error.message).toBe('submission.zip › preds.csv line 3, column "score": expected a number in [0, 1], found "2"');
  });

  it('refuses a zip with no predictions file, or with several, saying what it holds', async () => {
    expect((await appErrorOfAsync(() => read(zipOf([]), 'empty.zip', binary))).message).toContain('empty.zip is a zip without a predictions file (it is empty)');
    expect((await appErrorOfAsync(() => read(zipOf([['folder/', '']]), 'f.zip', binary))).message).toContain('is a zip without a predictions file (it holds only folder/)');
    const several = await appErrorOfAsync(() => read(zipOf([['a.csv', csv], ['b.csv', csv]]), 'two.zip', binary));
    expect(several.message).toBe('two.zip holds 2 files (a.csv, b.csv); a zip upload must hold exactly one predictions file.');
  });

  it('stops a zip bomb as it inflates, and names a truncated or damaged zip', async () => {
    // 4 MB of zeros after an Arrow magic number deflate to a few kB; inflating stops at the limit.
    const bomb = zipOf([['p.arrow', Buffer.concat([Buffer.from('ARROW1'), Buffer.alloc(4_000_000)])]]);
    expect(bomb.length).toBeLessThan(20_000);
    const tooLarge = await appErrorOfAsync(() => read(bomb, 'bomb.zip', binary, { maxDecompressedBytes: 100_000 }));
    expect(tooLarge.code).toBe('PAYLOAD_TOO_LARGE');
    expect(tooLarge.message).toContain('bomb.zip: p.arrow decompresses to more than 100000 bytes');
    const whole = zipOf([['p.csv', csv]], { stored: true });
    expect((await appErrorOfAsync(() => read(whole.subarray(0, whole.length - 30), 'cut.zip', binary))).message).toContain('cut.zip starts like a zip file but');
    const damaged = new Uint8Array(whole);
    // A flipped digit that still reads as a valid score: only the checksum can tell.
    const at = Buffer.from(damaged).lastIndexOf('0.4');
    damaged[at + 2] = '7'.charCodeAt(0);
    expect((await appErrorOfAsync(() => read(damaged, 'crc.zip', binary))).message).toBe(
      'crc.zip starts like a zip file but holds p.csv with the wrong size or checksum (damaged); zip the predictions file again and upload the complete zip.',
    );
  });

  it('says that a UTF-16 file is UTF-16 and should be saved as UTF-8, with or without a byte-order mark, zipped or not', async () => {
    const text = 'id,score\n1001,0.1\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [bytes, name] of [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'bom-le.csv'],
      [le, 'le.csv'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'bom-be.csv'],
    ] as const) {
      const error = await appErrorOfAsync(() => read(new Uint8Array(bytes), name, binary));
      expect([name, error.message]).toEqual([name, `${name} is UTF-16 text; save it as UTF-8 (e.g. "CSV UTF-8" in Excel, or encoding="utf-8" in pandas) and upload it again.`]);
    }
    expect((await appErrorOfAsync(() => read(zipOf([['u.csv', new Uint8Array(le)]]), 'z.zip', binary))).message).toContain('z.zip › u.csv is UTF-16 text');
  });
});
