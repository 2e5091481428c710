import { AppError, type AppErrorCode } from '@/lib/shared/app-error';
import { MAX_INTERVAL_MAGNITUDE } from '@/scoring/interval-input';

/**
 * What a column of a scoring file may hold:
 * - `id`: a non-negative integer ≤ 2^53 − 1 (in CSV written with digits only);
 * - `number`: a finite number;
 * - `non-negative`: a finite number ≥ 0;
 * - `unit-interval`: a number in [0, 1];
 * - `binary`: 0 or 1;
 * - `interval-value`: a finite number of magnitude at most 1e50, the bound the interval scorer enforces;
 * - `interval-width`: the same, and ≥ 0.
 */
export type ColumnKind = 'id' | 'number' | 'non-negative' | 'unit-interval' | 'binary' | 'interval-value' | 'interval-width';

/** One column of a file format: its header name, kind, and whether the file must have it. */
export type ColumnSpec = { name: string; kind: ColumnKind; required: boolean };

/** The file format: its columns, the error code of its problems, and a name for messages ("truth", …). */
export type TableFormat = {
  columns: readonly ColumnSpec[];
  /** `INVALID_DATASET` for organiser files (truth), `INVALID_SUBMISSION` for participant files. */
  errorCode: Extract<AppErrorCode, 'INVALID_DATASET' | 'INVALID_SUBMISSION'>;
  /** Example header for messages, e.g. "pe_id,mu_true[,set_id]". */
  header: string;
};

/** Columns read from a CSV or Arrow/Parquet file, each a Float64Array of `rows` values in file order. */
export type ReadColumns = {
  file: string;
  rows: number;
  columns: Record<string, Float64Array>;
  /** Where row k (0-based) is, for messages: "line k + 2" in CSV (header = line 1), "row k + 1" in tables. */
  place: (k: number) => { label: string; row: number };
};

/** 1e50 as people write it (toExponential gives "1e+50"). */
function formatBound(value: number): string {
  return value.toExponential().replace('e+', 'e');
}

/** The phrase "expected …" of each kind, as used in messages. */
export const EXPECTED_BY_KIND: Record<ColumnKind, string> = {
  id: 'a non-negative integer',
  number: 'a finite number',
  'non-negative': 'a finite number ≥ 0',
  'unit-interval': 'a number in [0, 1]',
  binary: '0 or 1',
  'interval-value': `a finite number between -${formatBound(MAX_INTERVAL_MAGNITUDE)} and ${formatBound(MAX_INTERVAL_MAGNITUDE)}`,
  'interval-width': `a finite number ≥ 0 and at most ${formatBound(MAX_INTERVAL_MAGNITUDE)}`,
};

/** Whether a parsed number is acceptable for a kind (NaN never is). */
export function isValidValue(kind: ColumnKind, value: number): boolean {
  switch (kind) {
    case 'id':
      return Number.isSafeInteger(value) && value >= 0;
    case 'number':
      return Number.isFinite(value);
    case 'non-negative':
      return Number.isFinite(value) && value >= 0;
    case 'unit-interval':
      return value >= 0 && value <= 1;
    case 'binary':
      return value === 0 || value === 1;
    case 'interval-value':
      return Number.isFinite(value) && Math.abs(value) <= MAX_INTERVAL_MAGNITUDE;
    case 'interval-width':
      return Number.isFinite(value) && value >= 0 && value <= MAX_INTERVAL_MAGNITUDE;
  }
}

/**
 * Checks a header (list of column names) against a format: no unknown or repeated columns, every required
 * column present. Returns the position of each known column (-1 when an optional column is absent).
 *
 * @throws {AppError} with the format's error code, naming the problem and the expected header.
 */
export function matchHeader(names: readonly string[], format: TableFormat, file: string, where: string): Record<string, number> {
  const index: Record<string, number> = {};
  for (const spec of format.columns) index[spec.name] = -1;
  const problem = (what: string) =>
    new AppError(format.errorCode, `${file} ${where}: expected the columns ${format.header} (any order), found ${what}`, {
      file,
      ...(where.startsWith('line') ? { row: 1 } : {}),
      expected: `columns ${format.header}`,
      found: names.join(','),
    });
  names.forEach((name, k) => {
    if (!(name in index)) throw problem(`an unknown column ${JSON.stringify(name)}`);
    if (index[name] !== -1) throw problem(`column ${JSON.stringify(name)} twice`);
    index[name] = k;
  });
  const missing = format.columns.filter((spec) => spec.required && index[spec.name] === -1).map((spec) => `"${spec.name}"`);
  if (missing.length > 0) throw problem(`no column ${missing.join(', ')}`);
  return index;
}
