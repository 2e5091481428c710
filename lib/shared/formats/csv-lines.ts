import { AppError, type AppErrorCode } from '@/lib/shared/app-error';

/**
 * Low-level scanning shared by the strict CSV formats (predictions, truth). Plain CSV only: fields are split
 * on every comma and never unquoted, so a quoted field is reported as found, not silently accepted.
 *
 * Line rules: an optional UTF-8 byte-order mark is skipped; lines end with LF or CRLF; a final newline ends
 * the last line instead of starting an empty one. Line numbers are 1-based (the header is line 1).
 */
export class CsvLineCursor {
  readonly text: string;
  /** 1-based number of the current line; 0 before the first call to `nextLine`. */
  lineNumber = 0;
  /** Offset of the first character of the current line. */
  lineStart = 0;
  /** Offset just past the current line's last character (CR and LF excluded). */
  lineEnd = 0;
  /** Field boundaries of the current line after `splitFields`. */
  readonly fieldStarts: Int32Array;
  readonly fieldEnds: Int32Array;
  private position: number;

  /** `maxFields`: fields recorded per line; `splitFields` still counts every field. */
  constructor(text: string, maxFields: number) {
    this.text = text;
    this.position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.fieldStarts = new Int32Array(maxFields);
    this.fieldEnds = new Int32Array(maxFields);
  }

  /** Whether the text has no character after the byte-order mark. */
  isEmptyText(): boolean {
    return this.text.length === (this.text.charCodeAt(0) === 0xfeff ? 1 : 0);
  }

  /** Moves to the next line; false when there is none. */
  nextLine(): boolean {
    const { text } = this;
    if (this.position >= text.length) return false;
    const newline = text.indexOf('\n', this.position);
    const end = newline === -1 ? text.length : newline;
    this.lineStart = this.position;
    this.lineEnd = end > this.position && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    this.position = newline === -1 ? text.length : newline + 1;
    this.lineNumber++;
    return true;
  }

  /** Whether the current line has no characters. */
  isEmptyLine(): boolean {
    return this.lineStart === this.lineEnd;
  }

  /** The current line's text (without line ending). */
  lineText(): string {
    return this.text.slice(this.lineStart, this.lineEnd);
  }

  /** Splits the current line on commas; returns the number of fields (records at most `maxFields`). */
  splitFields(): number {
    const { text, lineEnd, fieldStarts, fieldEnds } = this;
    const capacity = fieldStarts.length;
    let start = this.lineStart;
    let count = 0;
    for (;;) {
      let comma = text.indexOf(',', start);
      if (comma === -1 || comma > lineEnd) comma = lineEnd;
      if (count < capacity) {
        fieldStarts[count] = start;
        fieldEnds[count] = comma;
      }
      count++;
      if (comma === lineEnd) return count;
      start = comma + 1;
    }
  }

  /** Text of field `k` of the current line (after `splitFields`). */
  fieldText(k: number): string {
    return this.text.slice(this.fieldStarts[k] as number, this.fieldEnds[k] as number);
  }
}

/**
 * A non-negative decimal integer made of ASCII digits only (no sign, no point, no exponent, no spaces), or -1
 * when `text[start, end)` is anything else or exceeds 2^53 − 1.
 */
export function parseNonNegativeInteger(text: string, start: number, end: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let k = start; k < end; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : -1;
}

/**
 * A decimal number `[+-]?(digits[.digits] | .digits)([eE][+-]?digits)?` as a double, or NaN for anything
 * else: empty text, spaces, "NaN", "inf", hexadecimal, or a value that overflows to ±Infinity.
 */
export function parseDecimal(text: string, start: number, end: number): number {
  let k = start;
  if (k < end && isSign(text.charCodeAt(k))) k++;
  let digits = 0;
  while (k < end && isDigit(text.charCodeAt(k))) {
    k++;
    digits++;
  }
  if (k < end && text.charCodeAt(k) === 46) {
    k++;
    while (k < end && isDigit(text.charCodeAt(k))) {
      k++;
      digits++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (k < end && (text.charCodeAt(k) | 32) === 101) {
    k++;
    if (k < end && isSign(text.charCodeAt(k))) k++;
    const exponentStart = k;
    while (k < end && isDigit(text.charCodeAt(k))) k++;
    if (k === exponentStart) return Number.NaN;
  }
  if (k !== end) return Number.NaN;
  const value = Number(text.slice(start, end));
  return Number.isFinite(value) ? value : Number.NaN;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isSign(code: number): boolean {
  return code === 43 || code === 45;
}

const MAX_SHOWN_LENGTH = 60;

/** A found value as shown in messages: JSON-quoted (so spaces and control characters are visible), truncated. */
export function formatFound(value: string): string {
  const shown = value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value;
  return JSON.stringify(shown);
}

/** Where and what a CSV problem is; `column` is omitted for problems of a whole line or file. */
export type CsvProblem = {
  file: string;
  row?: number;
  column?: string;
  expected: string;
  /** The offending text as written in the file (quoted in the message). */
  found: string;
  /** Replaces "found <quoted found>" in the message when the raw text alone would not explain the problem. */
  foundDescription?: string;
};

/**
 * An `AppError` whose message reads `<file> line <row>, column "<column>": expected <expected>, found <found>`
 * and whose details carry the same facts.
 */
export function createCsvError(code: AppErrorCode, problem: CsvProblem): AppError {
  const place =
    problem.row === undefined
      ? problem.file
      : `${problem.file} line ${problem.row}${problem.column === undefined ? '' : `, column "${problem.column}"`}`;
  const found = problem.foundDescription ?? formatFound(problem.found);
  const details: Record<string, unknown> = { file: problem.file, expected: problem.expected, found: problem.found };
  if (problem.row !== undefined) details.row = problem.row;
  if (problem.column !== undefined) details.column = problem.column;
  return new AppError(code, `${place}: expected ${problem.expected}, found ${found}`, details);
}
