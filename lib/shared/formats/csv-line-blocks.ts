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

/**
 * Turns a byte stream into blocks of whole UTF-8 lines, each with a {@link CsvLineCursor}, so a CSV file of any size
 * is parsed with the same cursor, line rules and messages as an in-memory one while memory holds one chunk. A line
 * break byte never occurs inside a multi-byte UTF-8 character, so every block decodes on its own.
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
    const cursor = new CsvLineCursor(text, options.maxFields);
    if (isGuarded) cursor.nextLine();
    linesBefore += countNewlines(bytes);
    return { cursor, lineOffset };
  };
  const assertLineFits = () => {
    if (pendingBytes <= maxLineBytes) return;
    throw createCsvError(options.errorCode, {
      file: options.file,
      row: linesBefore + 1,
      expected: `a line of at most ${maxLineBytes} bytes`,
      found: '',
      foundDescription: 'a longer line (is it a CSV file with one row per line?)',
    });
  };

  for await (const chunk of chunks) {
    const lastNewline = chunk.lastIndexOf(newline);
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
