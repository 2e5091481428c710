import type { AppErrorCode } from '@/lib/shared/app-error';
import { createCsvError, CsvLineCursor } from './csv-lines';

/** A run of whole lines of a streamed CSV file; the current line's number in the file is `lineOffset + cursor.lineNumber`. */
export type CsvLineBlock = { cursor: CsvLineCursor; lineOffset: number };

export type CsvLineBlockOptions = {
  file: string;
  errorCode: AppErrorCode;
  /** Fields recorded per line (see `CsvLineCursor`). */
  maxFields: number;
  /** Longest accepted line in bytes; bounds memory when a file has no line breaks. Default 64 KiB. */
  maxLineBytes?: number;
};

const newline = 0x0a;
const quote = 0x22;
const comma = 0x2c;
const carriageReturn = 0x0d;

/**
 * RFC 4180 quoting state carried from chunk to chunk, so a block never ends inside a quoted field (which may hold line
 * breaks). A quote opens quoting only at the start of a field; inside, a doubled quote is a quote.
 */
class QuoteState {
  inQuotes = false;
  atFieldStart = true;
  /** A quote inside quotes ended the previous chunk: it closes quoting unless the next byte is a quote too. */
  pendingQuote = false;

  /** Advances over `bytes`; returns the offset of the last LF outside quotes, or -1. */
  scan(bytes: Uint8Array): number {
    if (!this.inQuotes && !this.pendingQuote && bytes.indexOf(quote) === -1) {
      // The common case, a file without quotes, stays native-fast.
      const last = bytes.lastIndexOf(newline);
      if (bytes.length > 0) this.atFieldStart = last === bytes.length - 1 || bytes[bytes.length - 1] === comma;
      return last;
    }
    let last = -1;
    for (let k = 0; k < bytes.length; k++) {
      const byte = bytes[k] as number;
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (byte === quote) continue;
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (byte === quote) {
          if (k + 1 === bytes.length) this.pendingQuote = true;
          else if (bytes[k + 1] === quote) k++;
          else this.inQuotes = false;
        }
        continue;
      }
      if (byte === newline) {
        last = k;
        this.atFieldStart = true;
        continue;
      }
      if (byte === quote && this.atFieldStart) this.inQuotes = true;
      this.atFieldStart = byte === comma;
    }
    return last;
  }
}

/**
 * Turns a byte stream into blocks of whole UTF-8 records, each with a {@link CsvLineCursor}, so a CSV file of any size
 * is parsed with the same cursor, record rules and messages as an in-memory one while memory holds one chunk. Blocks
 * end at a line break outside quotes, never inside a quoted field. A line break byte never occurs inside a multi-byte
 * UTF-8 character, so every block decodes on its own.
 *
 * @throws {AppError} `options.errorCode` naming the line: bytes that are not UTF-8, or a line longer than
 *   `maxLineBytes`.
 */
export async function* readCsvLineBlocks(chunks: AsyncIterable<Uint8Array>, options: CsvLineBlockOptions): AsyncGenerator<CsvLineBlock> {
  const maxLineBytes = options.maxLineBytes ?? 64 * 1024;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let linesBefore = 0;
  const quoting = new QuoteState();

  const toBlock = (bytes: Uint8Array): CsvLineBlock => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw createCsvError(options.errorCode, {
        file: options.file,
        row: linesBefore + firstUndecodableLine(bytes, decoder),
        expected: 'UTF-8 text',
        found: '',
        foundDescription: 'bytes that are not valid UTF-8 (save the file as UTF-8 CSV)',
      });
    }
    let lineOffset = linesBefore;
    // The cursor skips a byte-order mark at the start of its text; only the file's first line may have one.
    const isGuarded = linesBefore > 0 && text.charCodeAt(0) === 0xfeff;
    if (isGuarded) {
      text = `\n${text}`;
      lineOffset -= 1;
    }
    const cursor = new CsvLineCursor(text, options.maxFields, { file: options.file, errorCode: options.errorCode, lineOffset });
    if (isGuarded) cursor.nextLine();
    linesBefore += countNewlines(bytes);
    return { cursor, lineOffset };
  };
  const assertLineFits = () => {
    if (pendingBytes <= maxLineBytes) return;
    const isCrOnly = linesBefore === 0 && pending.some((part) => part.includes(carriageReturn));
    throw createCsvError(options.errorCode, {
      file: options.file,
      row: linesBefore + 1,
      expected: isCrOnly ? 'lines ending with LF or CRLF' : `a line of at most ${maxLineBytes} bytes`,
      found: '',
      foundDescription: isCrOnly
        ? 'lines ending with CR alone (classic Mac OS line endings); save the file with LF or CRLF line endings'
        : quoting.inQuotes
          ? 'a quoted field longer than that (is a closing quote missing?)'
          : 'a longer line (is it a CSV file with one row per line?)',
    });
  };

  for await (const chunk of chunks) {
    const lastNewline = quoting.scan(chunk);
    if (lastNewline === -1) {
      pending.push(new Uint8Array(chunk)); // a copy: a stream may reuse its chunk's memory (and Buffer#slice does not copy)
      pendingBytes += chunk.length;
      assertLineFits();
      continue;
    }
    const block = concatBytes([...pending, chunk.subarray(0, lastNewline + 1)], pendingBytes + lastNewline + 1);
    const rest = new Uint8Array(chunk.subarray(lastNewline + 1));
    pending = rest.length > 0 ? [rest] : [];
    pendingBytes = rest.length;
    yield toBlock(block);
    assertLineFits();
  }
  if (pendingBytes > 0) yield toBlock(concatBytes(pending, pendingBytes));
}

function concatBytes(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let k = bytes.indexOf(newline); k !== -1; k = bytes.indexOf(newline, k + 1)) count++;
  return count;
}

/** 1-based line (within `bytes`) of the first line that is not valid UTF-8; only called once decoding failed. */
function firstUndecodableLine(bytes: Uint8Array, decoder: TextDecoder): number {
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const end = bytes.indexOf(newline, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      decoder.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    start = stop + 1;
  }
  return line;
}
