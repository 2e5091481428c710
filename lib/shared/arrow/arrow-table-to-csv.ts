import { AppError } from '../app-error';
import type { ArrowColumn, DecodedArrowTable } from './arrow-column';
import { decodeArrowTable } from './decode-arrow-table';

export type ArrowTableToCsvOptions = {
  /** Columns to write, in this order; default: every column in table order. */
  columns?: string[];
  /** Line terminator; default "\n". */
  newline?: string;
};

/**
 * Writes a table as RFC 4180 CSV with a header of column names. Numbers are written so that they read back
 * exactly: Float32 values as the shortest decimal that parses to the same float32 (see {@link formatFloat32}),
 * Float64 values as JavaScript's shortest round-trip form, integers plainly. Sentinels such as −25 or −999 are
 * ordinary numbers here. Non-finite values become `NaN`, `inf`, `-inf` (what pandas and polars parse).
 */
export function arrowTableToCsv(tableOrBytes: DecodedArrowTable | Uint8Array, options: ArrowTableToCsvOptions = {}): string {
  const table = tableOrBytes instanceof Uint8Array ? decodeArrowTable(tableOrBytes) : tableOrBytes;
  const names = options.columns ?? table.columnNames;
  const newline = options.newline ?? '\n';
  const formatted = names.map((name) => {
    const column = table.columns[name];
    if (column === undefined) {
      throw new AppError('INVALID_DATASET', `Column "${name}" requested for CSV export is not in the table; it has ${table.columnNames.join(', ')}.`, {
        column: name,
        expected: table.columnNames.join(', '),
        found: name,
      });
    }
    return formatColumn(column);
  });
  const lines: string[] = [names.map(quoteCsvField).join(',')];
  const row = new Array<string>(names.length);
  for (let i = 0; i < table.numRows; i++) {
    for (let j = 0; j < formatted.length; j++) row[j] = (formatted[j] as string[])[i] as string;
    lines.push(row.join(','));
  }
  return lines.join(newline) + newline;
}

/**
 * The shortest decimal string that parses back (as a double rounded to float32) to the same float32 value,
 * e.g. `Math.fround(32.117)` → "32.117" rather than "32.117000579833984". Integers up to 2²⁴ are written
 * plainly ("-25"). Non-finite: "NaN", "inf", "-inf".
 */
export function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const target = Math.fround(value);
  if (Number.isInteger(target) && Math.abs(target) <= 16_777_216) return String(target);
  // Fast path for values with at most 3 decimals (rounded physics quantities): below 4096 the float32 spacing is
  // under 0.00025, so no decimal with fewer digits can map to the same float32 and this form is the shortest.
  if (Math.abs(target) < 4096) {
    const thousandths = Math.round(target * 1000);
    if (Math.fround(thousandths / 1000) === target) return formatThousandths(thousandths);
  }
  // Rounding to more digits never moves further from the value, so "p digits round-trip" is monotonic in p: the
  // shortest p is found by probing from 7 digits (where most float32 values land: ≤ 6 is rare, 9 always round-trips)
  // and walking down or up, keeping the text of the last success.
  let text = target.toPrecision(7);
  if (Math.fround(Number(text)) === target) {
    for (let p = 6; p >= 1; p--) {
      const shorter = target.toPrecision(p);
      if (Math.fround(Number(shorter)) !== target) break;
      text = shorter;
    }
  } else {
    for (let p = 8; ; p++) {
      text = target.toPrecision(p);
      if (Math.fround(Number(text)) === target) break;
    }
  }
  // With the minimal precision there are no trailing zeros after the point; exponent forms are normalised.
  return text.includes('e') ? String(Number(text)) : text;
}

/** "12.5" for 12500, "-0.07" for -70: a decimal with up to three places and no trailing zeros. */
function formatThousandths(thousandths: number): string {
  const sign = thousandths < 0 ? '-' : '';
  const magnitude = Math.abs(thousandths);
  const whole = Math.floor(magnitude / 1000);
  let fraction = magnitude - whole * 1000;
  if (fraction === 0) return `${sign}${whole}`;
  let digits = 3;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  return `${sign}${whole}.${String(fraction).padStart(digits, '0')}`;
}

/** JavaScript's shortest round-trip decimal for a double; non-finite as "NaN", "inf", "-inf". */
export function formatFloat64(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

function formatColumn(column: ArrowColumn): string[] {
  const out = new Array<string>(column.length);
  if (column instanceof Float32Array) {
    for (let i = 0; i < column.length; i++) out[i] = formatFloat32(column[i] as number);
  } else if (column instanceof Float64Array) {
    for (let i = 0; i < column.length; i++) out[i] = formatFloat64(column[i] as number);
  } else if (Array.isArray(column)) {
    for (let i = 0; i < column.length; i++) out[i] = quoteCsvField(column[i] as string);
  } else {
    for (let i = 0; i < column.length; i++) out[i] = String(column[i]);
  }
  return out;
}

function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The header line of {@link arrowTableToCsv} (column names, quoted where needed) with its line terminator. */
export function formatCsvHeader(names: readonly string[], newline = '\n'): string {
  return names.map(quoteCsvField).join(',') + newline;
}

/**
 * Rows of a table as {@link arrowTableToCsv} writes them, each followed by `newline`: header + the rows of every
 * batch in order equals the CSV of the whole table, so an export can be written batch by batch.
 */
export function formatCsvRows(columns: readonly ArrowColumn[], numRows: number, newline = '\n'): string {
  const formatted = columns.map(formatColumn);
  let text = '';
  const row = new Array<string>(columns.length);
  for (let i = 0; i < numRows; i++) {
    for (let j = 0; j < formatted.length; j++) row[j] = (formatted[j] as string[])[i] as string;
    text += row.join(',') + newline;
  }
  return text;
}
