import { AppError, type AppErrorCode } from '@/lib/shared/app-error';

/** Where a cursor's problems are reported: the file, the error code, and the line number of the text's first line − 1. */
export type CsvCursorContext = { file: string; errorCode: AppErrorCode; lineOffset?: number };

const QUOTE = 34;
const COMMA = 44;
const CR = 13;

/**
 * Low-level scanning shared by the strict CSV formats (predictions, truth), with RFC 4180 quoting: a field may be
 * enclosed in double quotes (the default of R's `write.csv`, Excel and pandas with `quoting=csv.QUOTE_ALL`), a quote
 * inside is written twice, and a quoted field may hold commas and line breaks. A quote that does not close, or text
 * after a closing quote, is reported with its line and column.
 *
 * Record rules: an optional UTF-8 byte-order mark is skipped; records end with LF or CRLF (a file whose lines end
 * with CR alone is named as such); a final newline ends the last record instead of starting an empty one. Line
 * numbers are 1-based (the header is line 1) and name the record's first line.
 */
export class CsvLineCursor {
  readonly text: string;
  /** 1-based number of the current record's first line; 0 before the first call to `nextLine`. */
  lineNumber = 0;
  /** Offset of the first character of the current record. */
  lineStart = 0;
  /** Offset just past the current record's last character (CR and LF excluded). */
  lineEnd = 0;
  /** Field boundaries of the current record after `splitFields`: the text inside the quotes for a quoted field. */
  readonly fieldStarts: Int32Array;
  readonly fieldEnds: Int32Array;
  /** 1 where the field was quoted and holds a doubled quote, so its text needs unescaping. */
  private readonly fieldEscaped: Uint8Array;
  private position: number;
  private nextLineNumber = 1;
  /** Offset of the next double quote at or after the position (-1: none left; smaller than the position: unknown). */
  private nextQuote = -2;
  private readonly context: CsvCursorContext;

  /** `maxFields`: fields recorded per record; `splitFields` still counts every field. */
  constructor(text: string, maxFields: number, context: CsvCursorContext) {
    this.text = text;
    this.position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.fieldStarts = new Int32Array(maxFields);
    this.fieldEnds = new Int32Array(maxFields);
    this.fieldEscaped = new Uint8Array(maxFields);
    this.context = context;
  }

  /** Whether the text has no character after the byte-order mark. */
  isEmptyText(): boolean {
    return this.text.length === (this.text.charCodeAt(0) === 0xfeff ? 1 : 0);
  }

  /** Moves to the next record; false when there is none. */
  nextLine(): boolean {
    const { text } = this;
    if (this.position >= text.length) return false;
    let newline = text.indexOf('\n', this.position);
    // The next quote is looked up again only once passed, so a file without quotes is scanned for them once.
    if (this.nextQuote !== -1 && this.nextQuote < this.position) this.nextQuote = text.indexOf('"', this.position);
    const quote = this.nextQuote;
    let innerBreaks = 0;
    if (quote !== -1 && (newline === -1 || quote < newline)) {
      // A quoted field may hold line breaks: the record ends at the first LF outside quotes. A quote opens quoting
      // only at the start of a field; inside, a doubled quote is a quote.
      let inQuotes = false;
      let atFieldStart = true;
      newline = -1;
      for (let k = this.position; k < text.length; k++) {
        const code = text.charCodeAt(k);
        if (inQuotes) {
          if (code === QUOTE) {
            if (text.charCodeAt(k + 1) === QUOTE) k++;
            else inQuotes = false;
          } else if (code === 10) innerBreaks++;
          continue;
        }
        if (code === 10) {
          newline = k;
          break;
        }
        if (code === QUOTE && atFieldStart) inQuotes = true;
        atFieldStart = code === COMMA;
      }
    }
    const end = newline === -1 ? text.length : newline;
    this.lineStart = this.position;
    this.lineEnd = end > this.position && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    this.position = newline === -1 ? text.length : newline + 1;
    this.lineNumber = this.nextLineNumber;
    this.nextLineNumber += 1 + innerBreaks;
    if (this.lineNumber + (this.context.lineOffset ?? 0) === 1) this.assertNotCrOnly();
    return true;
  }

  /** A header holding a bare CR is a file whose lines end with CR alone (classic Mac OS): say so. */
  private assertNotCrOnly(): void {
    const cr = this.text.indexOf('\r', this.lineStart);
    if (cr === -1 || cr >= this.lineEnd || this.text.lastIndexOf('"', cr) >= this.lineStart) return;
    throw createCsvError(this.context.errorCode, {
      file: this.context.file,
      row: 1,
      expected: 'lines ending with LF or CRLF',
      found: '',
      foundDescription: 'lines ending with CR alone (classic Mac OS line endings); save the file with LF or CRLF line endings',
    });
  }

  /** Whether the current record has no characters. */
  isEmptyLine(): boolean {
    return this.lineStart === this.lineEnd;
  }

  /** The current record's text as written (without line ending). */
  lineText(): string {
    return this.text.slice(this.lineStart, this.lineEnd);
  }

  /** Splits the current record into fields; returns the number of fields (records at most `maxFields`). */
  splitFields(): number {
    const { text, lineEnd, fieldStarts, fieldEnds, fieldEscaped } = this;
    const capacity = fieldStarts.length;
    let start = this.lineStart;
    let count = 0;
    for (;;) {
      if (text.charCodeAt(start) === QUOTE && start < lineEnd) {
        const { close, hasEscapes } = this.closingQuote(start, count);
        if (count < capacity) {
          fieldStarts[count] = start + 1;
          fieldEnds[count] = close;
          fieldEscaped[count] = hasEscapes ? 1 : 0;
        }
        count++;
        const after = close + 1;
        if (after === lineEnd) return count;
        if (text.charCodeAt(after) !== COMMA) this.throwQuoteProblem(count - 1, `text after the closing quote: ${formatFound(text.slice(start, Math.min(lineEnd, after + 10)))}`);
        start = after + 1;
        continue;
      }
      let comma = text.indexOf(',', start);
      if (comma === -1 || comma > lineEnd) comma = lineEnd;
      if (count < capacity) {
        fieldStarts[count] = start;
        fieldEnds[count] = comma;
        fieldEscaped[count] = 0;
      }
      count++;
      if (comma === lineEnd) return count;
      start = comma + 1;
    }
  }

  /** The offset of the quote closing the field that opens at `open`, and whether a doubled quote was inside. */
  private closingQuote(open: number, field: number): { close: number; hasEscapes: boolean } {
    const { text, lineEnd } = this;
    let hasEscapes = false;
    let k = open + 1;
    for (;;) {
      const quote = text.indexOf('"', k);
      if (quote === -1 || quote >= lineEnd) this.throwQuoteProblem(field, 'a quote that is never closed');
      if (text.charCodeAt(quote + 1) === QUOTE && quote + 1 < lineEnd) {
        hasEscapes = true;
        k = quote + 2;
        continue;
      }
      return { close: quote, hasEscapes };
    }
  }

  private throwQuoteProblem(field: number, what: string): never {
    throw createCsvError(this.context.errorCode, {
      file: this.context.file,
      row: (this.context.lineOffset ?? 0) + this.lineNumber,
      expected: `field ${field + 1} quoted as in RFC 4180 ("…", with "" for a quote inside)`,
      found: '',
      foundDescription: what,
    });
  }

  /** Text of field `k` of the current record (after `splitFields`), without its quotes. */
  fieldText(k: number): string {
    const value = this.text.slice(this.fieldStarts[k] as number, this.fieldEnds[k] as number);
    return this.fieldEscaped[k] ? value.replaceAll('""', '"') : value;
  }

  /**
   * The header's column names joined by commas, unquoted (`"id","score"` reads `id,score`), for comparison with an
   * expected header; the record as written when it has more fields than are recorded (it cannot match then).
   */
  headerText(): string {
    const count = this.splitFields();
    if (count > this.fieldStarts.length) return this.lineText();
    return Array.from({ length: count }, (_, k) => this.fieldText(k)).join(',');
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
