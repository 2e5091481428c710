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
  const fixed = shortestFixedFloat32(target);
  if (fixed !== null) return fixed;
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

/** 10⁰ … 10²²: every one exact as a double. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Leading zeros of a fixed-point number below 1: "0." then −e−1 zeros. */
const BELOW_ONE = Array.from({ length: 7 }, (_, k) => `0.${'0'.repeat(k)}`);

/**
 * `formatFloat32` for the common case without building strings until the answer is known: the same search over
 * precisions (7 first, then down, or up to 9), each candidate rounded as toPrecision rounds it (half up) and compared
 * as Number(text) would parse it, then written as toPrecision writes a fixed-point number.
 *
 * A candidate's digits come from one multiplication or division by an exact power of ten: a single rounding of
 * relative size ≤ 2⁻⁵³, so below 10⁹ the scaled value is within 2⁻²³ of the exact one and rounds to the same integer
 * unless it lies within 10⁻⁶ of a half; n / 10^shift is the correctly rounded double of the decimal, as the parse is.
 * Returns null (the caller takes the toPrecision search) near a tie, outside 10⁻⁶ … 10⁷, or for exponent notation.
 */
function shortestFixedFloat32(target: number): string | null {
  if (!findShortestFixed(target)) return null;
  const text = String(fixedDigits);
  const sign = target < 0 ? '-' : '';
  if (fixedE < 0) return sign + (BELOW_ONE[-fixedE - 1] as string) + text;
  return fixedE + 1 === fixedP ? sign + text : `${sign}${text.slice(0, fixedE + 1)}.${text.slice(fixedE + 1)}`;
}

/** A float32 and its bits, to read the binary exponent. */
const FLOAT32_SCRATCH = new Float32Array(1);
const BITS_SCRATCH = new Uint32Array(FLOAT32_SCRATCH.buffer);

/** The answer of findShortestFixed: the digits as an integer, their count and the exponent of the first one. */
let fixedDigits = 0;
let fixedP = 0;
let fixedE = 0;

/** The search of shortestFixedFloat32, leaving its answer in fixedDigits, fixedP, fixedE (false: take toPrecision). */
function findShortestFixed(target: number): boolean {
  const magnitude = target < 0 ? -target : target;
  if (!(magnitude >= 1e-6 && magnitude < 1e7)) return false;
  // The decimal exponent from the binary one (floor(E·log₁₀2), one below at most), corrected once by comparison.
  FLOAT32_SCRATCH[0] = magnitude;
  let e = Math.floor((((BITS_SCRATCH[0] as number) >>> 23) - 127) * 0.30102999566398120);
  if (e >= 0 ? magnitude >= (POW10[e + 1] as number) : magnitude * (POW10[-e - 1] as number) >= 1) e++;
  let p = 7;
  let step = 0;
  let bestDigits = -1;
  let bestP = 0;
  let bestE = 0;
  for (let guard = 0; guard < 24; guard++) {
    const shift = p - 1 - e;
    if (shift > 22 || shift < -22) return false;
    const scaled = shift >= 0 ? magnitude * (POW10[shift] as number) : magnitude / (POW10[-shift] as number);
    const floor = Math.floor(scaled);
    const fraction = scaled - floor;
    if (fraction > 0.499999 && fraction < 0.500001) return false;
    const digits = fraction > 0.5 ? floor + 1 : floor;
    if (digits >= (POW10[p] as number)) {
      e++;
      continue;
    }
    if (digits < (POW10[p - 1] as number)) {
      e--;
      continue;
    }
    const value = shift >= 0 ? digits / (POW10[shift] as number) : digits * (POW10[-shift] as number);
    const roundTrips = Math.fround(value) === magnitude;
    if (step === 0) step = roundTrips ? -1 : 1;
    if (step < 0) {
      // Walking down from 7: keep the last precision that round-trips.
      if (!roundTrips) break;
      bestDigits = digits;
      bestP = p;
      bestE = e;
      if (p === 1) break;
    } else if (roundTrips) {
      bestDigits = digits;
      bestP = p;
      bestE = e;
      break;
    } else if (p === 9) {
      return false;
    }
    p += step;
  }
  if (bestDigits < 0 || bestE < -6 || bestE >= bestP) return false;
  fixedDigits = bestDigits;
  fixedP = bestP;
  fixedE = bestE;
  return true;
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

/** "00" … "99" as ASCII digit pairs. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

/** A growing byte buffer for CSV text. */
class CsvBytes {
  bytes: Uint8Array;
  at = 0;
  private readonly encoder = new TextEncoder();

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(64, capacity));
  }

  /** Room for `count` more bytes. */
  reserve(count: number): void {
    if (this.at + count <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.at + count));
    bigger.set(this.bytes.subarray(0, this.at));
    this.bytes = bigger;
  }

  text(value: string): void {
    this.reserve(value.length * 3);
    let ascii = true;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      this.bytes[this.at + i] = c;
    }
    if (ascii) this.at += value.length;
    else this.at += this.encoder.encodeInto(value, this.bytes.subarray(this.at)).written;
  }

  /** The `count` low decimal digits of a non-negative integer below 2⁵³ (leading zeros included), two at a time. */
  digits(value: number, count: number): void {
    const bytes = this.bytes;
    const start = this.at;
    let at = start + count;
    let rest = value;
    if (rest < 2_147_483_648) {
      // In int32 range the divisions by 100 are integer ones.
      let small = rest | 0;
      while (at - start >= 2) {
        const quotient = (small / 100) | 0;
        const pair = (small - quotient * 100) << 1;
        at -= 2;
        bytes[at] = DIGIT_PAIRS[pair] as number;
        bytes[at + 1] = DIGIT_PAIRS[pair + 1] as number;
        small = quotient;
      }
      if (at > start) bytes[start] = 48 + small;
    } else {
      while (at > start) {
        const d = rest % 10;
        bytes[--at] = 48 + d;
        rest = (rest - d) / 10;
      }
    }
    this.at = start + count;
  }

  integer(value: number): void {
    this.reserve(24);
    if (value < 0) {
      this.bytes[this.at++] = 45;
      value = -value;
    }
    let count = 1;
    while (count < 16 && value >= (POW10[count] as number)) count++;
    if (count >= 16) this.text(String(value));
    else this.digits(value, count);
  }

  float32(value: number): void {
    const target = Math.fround(value);
    if (Number.isInteger(target) && Math.abs(target) <= 16_777_216) {
      this.integer(target);
      return;
    }
    // formatFloat32 tries the 3-decimal form first; where it applies the search finds the same digits (no decimal
    // with fewer significant digits reaches another thousandth, and below 4096 distinct thousandths are distinct
    // float32 values), so the search alone gives the same text.
    if (target === target && target !== Infinity && target !== -Infinity && findShortestFixed(target)) {
      this.reserve(24);
      if (target < 0) this.bytes[this.at++] = 45;
      const e = fixedE;
      if (e < 0) {
        this.bytes[this.at++] = 48;
        this.bytes[this.at++] = 46;
        for (let k = 0; k < -e - 1; k++) this.bytes[this.at++] = 48;
        this.digits(fixedDigits, fixedP);
      } else if (e + 1 === fixedP) {
        this.digits(fixedDigits, fixedP);
      } else {
        const low = fixedP - e - 1;
        // Below 10⁹, so whole and fraction come from int32 arithmetic (no floating-point remainder).
        const scale = POW10[low] as number;
        const whole = (fixedDigits / scale) | 0;
        this.digits(whole, e + 1);
        this.bytes[this.at++] = 46;
        this.digits(fixedDigits - whole * scale, low);
      }
      return;
    }
    this.text(formatFloat32(value));
  }
}

/**
 * The bytes of {@link formatCsvRows} (UTF-8), written without building the text: numbers go straight to bytes, so an
 * export does not make a string per cell.
 */
export function encodeCsvRows(columns: readonly ArrowColumn[], numRows: number, newline = '\n'): Uint8Array {
  const out = new CsvBytes(numRows * (columns.length * 10 + newline.length));
  const lastColumn = columns.length - 1;
  // 0 float32, 1 float64, 2 strings, 3 integers.
  const kinds = columns.map((c) => (c instanceof Float32Array ? 0 : c instanceof Float64Array ? 1 : Array.isArray(c) ? 2 : 3));
  const simpleNewline = newline === '\n';
  for (let i = 0; i < numRows; i++) {
    for (let j = 0; j <= lastColumn; j++) {
      const column = columns[j] as ArrowColumn;
      const kind = kinds[j];
      if (kind === 0) out.float32(column[i] as number);
      else if (kind === 1) out.text(formatFloat64(column[i] as number));
      else if (kind === 2) out.text(quoteCsvField(column[i] as string));
      else out.integer(column[i] as number);
      if (j < lastColumn) {
        out.reserve(1);
        out.bytes[out.at++] = 44;
      }
    }
    if (simpleNewline) {
      out.reserve(1);
      out.bytes[out.at++] = 10;
    } else {
      out.text(newline);
    }
  }
  return out.bytes.slice(0, out.at);
}
