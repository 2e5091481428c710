import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { ArrowColumn, DecodedArrowTable } from '@/lib/shared/arrow';
import { readParquetTable } from '@/lib/shared/parquet';

/**
 * Reads a flat table from Parquet (`.parquet`) or CSV (anything else): header = column names, one row per line.
 * CSV columns whose every field is a number become Float64Array, others string[] (fields are split on commas;
 * quoted fields are taken literally). Parquet columns keep their types (float32 stays Float32Array).
 */
export async function readFeatureTable(filePath: string): Promise<DecodedArrowTable> {
  const name = path.basename(filePath);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.promises.readFile(filePath));
  } catch (cause) {
    throw new AppError('NOT_FOUND', `Cannot read ${filePath}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}; check the path.`, { file: filePath }, { cause });
  }
  if (/\.parquet$/i.test(filePath)) return readParquetTable(bytes, { fileName: name });
  return parseCsvTable(new TextDecoder().decode(bytes), name);
}

export function parseCsvTable(text: string, fileName: string): DecodedArrowTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header = (lines[0] ?? '').split(',');
  if (lines.length === 0 || header.some((h) => h.trim() === '')) {
    throw new AppError('INVALID_DATASET', `${fileName} line 1: the header must name every column (found "${lines[0] ?? ''}").`, { file: fileName, row: 1 });
  }
  const rows = lines.length - 1;
  const raw: string[][] = header.map(() => new Array<string>(rows));
  for (let r = 0; r < rows; r++) {
    const fields = (lines[r + 1] as string).split(',');
    if (fields.length !== header.length) {
      throw new AppError('INVALID_DATASET', `${fileName} line ${r + 2}: ${fields.length} fields, the header has ${header.length}.`, {
        file: fileName, row: r + 2, expected: String(header.length), found: String(fields.length),
      });
    }
    for (let c = 0; c < header.length; c++) (raw[c] as string[])[r] = fields[c] as string;
  }
  const columns: Record<string, ArrowColumn> = {};
  header.forEach((columnName, c) => {
    const values = raw[c] as string[];
    const numbers = new Float64Array(rows);
    let isNumeric = true;
    for (let r = 0; r < rows; r++) {
      const v = values[r] as string;
      const n = v.trim() === '' ? Number.NaN : Number(v);
      if (Number.isNaN(n) && v.trim() !== 'NaN' && v.trim() !== 'nan') {
        isNumeric = false;
        break;
      }
      numbers[r] = n;
    }
    columns[columnName] = isNumeric ? numbers : values;
  });
  return { numRows: rows, columnNames: header, columns, metadata: {} };
}

/** The named numeric column, or an AppError naming the file, the column and (for text columns) the first bad row. */
export function numericColumnOrThrow(table: DecodedArrowTable, column: string, fileName: string): ArrayLike<number> {
  const values = table.columns[column];
  if (values === undefined) {
    throw new AppError('INVALID_DATASET', `${fileName} has no column "${column}"; it has ${table.columnNames.join(', ')}.`, { file: fileName, column });
  }
  if (Array.isArray(values)) {
    const bad = values.findIndex((v) => Number.isNaN(Number(v)));
    throw new AppError('INVALID_DATASET', `${fileName} column "${column}" row ${bad + 1}: expected a number, found "${values[bad]}".`, { file: fileName, column, row: bad + 1, found: String(values[bad]) });
  }
  return values as ArrayLike<number>;
}
