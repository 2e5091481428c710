import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '@/lib/shared/app-error';
import { randomAccessBytes } from '@/lib/shared/arrow';
import { readParquetRowCount, readParquetRowGroups } from '@/lib/shared/parquet';

/** Rows `rowStart …` of a flat table: numbers (Parquet numeric columns) or text (Parquet strings, every CSV field). */
export type FlatBatch = { rowStart: number; numRows: number; columns: Record<string, Float64Array | string[]> };

export type FlatTableBatches = {
  columnNames: string[];
  /** Total rows (Parquet: from the footer; CSV: lines counted before reading). */
  numRows: number;
  /** Row groups of a Parquet file, blocks of `csvBatchRows` lines of a CSV file; each call reads the file again. */
  batches(): AsyncGenerator<FlatBatch>;
  close(): Promise<void>;
};

/**
 * Opens a flat table for reading in batches, so memory holds one Parquet row group or one block of CSV lines
 * however large the file: Parquet (`.parquet`, random access, any codec) or CSV (anything else: a header of column
 * names, one row per line, fields split on commas as `parseCsvTable` does). Errors name the file and, for CSV, the line.
 */
export async function openFlatTableBatches(filePath: string, options: { csvBatchRows?: number } = {}): Promise<FlatTableBatches> {
  const file = path.basename(filePath);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(filePath, 'r');
  } catch (cause) {
    throw new AppError('NOT_FOUND', `Cannot read ${filePath}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}; check the path.`, { file: filePath }, { cause });
  }
  if (/\.parquet$/i.test(filePath)) {
    let source: ReturnType<typeof randomAccessBytes>;
    let table: Awaited<ReturnType<typeof readParquetRowGroups>>;
    let numRows: number;
    try {
      source = randomAccessBytes(handle, (await handle.stat()).size);
      table = await readParquetRowGroups(source, { file, errorCode: 'INVALID_DATASET' });
      numRows = await readParquetRowCount(source, file);
    } catch (error) {
      // A file that is not valid Parquet: the handle is closed here, not left to the garbage collector.
      await handle.close();
      throw error;
    }
    let first: typeof table | undefined = table;
    return {
      columnNames: table.columnNames,
      numRows,
      async *batches() {
        const reading = first ?? (await readParquetRowGroups(source, { file, errorCode: 'INVALID_DATASET' }));
        first = undefined;
        yield* reading.batches;
      },
      close: () => handle.close(),
    };
  }
  await handle.close();
  return openCsvBatches(filePath, file, options.csvBatchRows ?? 65_536);
}

async function openCsvBatches(filePath: string, file: string, batchRows: number): Promise<FlatTableBatches> {
  const lines = () => readline.createInterface({ input: fs.createReadStream(filePath), crlfDelay: Infinity });
  let header: string[] | undefined;
  let numRows = 0;
  let lineNumber = 0;
  for await (const text of lines()) {
    lineNumber++;
    if (lineNumber === 1) header = text.replace(/^\uFEFF/, '').split(',');
    else if (text !== '') numRows++;
  }
  if (!header || header.some((h) => h.trim() === '')) {
    throw new AppError('INVALID_DATASET', `${file} line 1: the header must name every column (found "${header?.join(',') ?? ''}").`, { file, row: 1 });
  }
  const names = header;
  return {
    columnNames: names,
    numRows,
    async *batches() {
      let rowStart = 0;
      let fields: string[][] = names.map(() => []);
      let count = 0;
      let line = 0;
      const take = (): FlatBatch => {
        const batch = { rowStart, numRows: count, columns: Object.fromEntries(names.map((name, c) => [name, fields[c] as string[]])) };
        rowStart += count;
        fields = names.map(() => []);
        count = 0;
        return batch;
      };
      for await (const text of lines()) {
        line++;
        if (line === 1 || text === '') continue;
        const values = text.split(',');
        if (values.length !== names.length) {
          throw new AppError('INVALID_DATASET', `${file} line ${line}: ${values.length} fields, the header has ${names.length}.`, {
            file, row: line, expected: String(names.length), found: String(values.length),
          });
        }
        for (let c = 0; c < names.length; c++) (fields[c] as string[]).push(values[c] as string);
        count++;
        if (count === batchRows) yield take();
      }
      if (count > 0) yield take();
    },
    close: async () => {},
  };
}

/**
 * A batch column as numbers: Parquet numbers as they are, CSV text parsed like `parseCsvTable` (an empty field is not
 * a number). Throws `AppError('INVALID_DATASET')` naming the file, the 1-based row and the column.
 */
export function numericBatchColumn(batch: FlatBatch, column: string, file: string): Float64Array {
  const values = batch.columns[column];
  if (values === undefined) throw new AppError('INVALID_DATASET', `${file} has no column "${column}".`, { file, column });
  if (!Array.isArray(values)) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const text = values[i] as string;
    const n = text.trim() === '' ? Number.NaN : Number(text);
    if (Number.isNaN(n) && text.trim() !== 'NaN' && text.trim() !== 'nan') {
      const row = batch.rowStart + i + 1;
      throw new AppError('INVALID_DATASET', `${file} column "${column}" row ${row}: expected a number, found "${text}".`, { file, column, row, found: text });
    }
    out[i] = n;
  }
  return out;
}
