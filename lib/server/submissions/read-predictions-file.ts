import 'server-only';
import crypto from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import zlib from 'node:zlib';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { randomAccessBytes, readArrowFileBatches, readArrowStreamBatches, type StreamedTable, type StreamedTableOptions } from '@/lib/shared/arrow';
import { type DetectedFileFormat, detectFileFormat, fileFormatHeadBytes } from '@/lib/shared/formats/detect-file-format';
import { formatByteSize } from '@/lib/shared/formats/format-byte-size';
import { type AlignedPredictions, countTargetRows, maxPredictionFileBytes, type PredictionTarget } from '@/lib/shared/formats/prediction-target';
import { readPredictionsCsvStream } from '@/lib/shared/formats/read-predictions-csv-stream';
import { readPredictionsTable } from '@/lib/shared/formats/read-predictions-table';
import { readParquetRowGroups } from '@/lib/shared/parquet';
import { findSinglePredictionsEntry, zipEntryChunks } from './zip-archive';

const readChunkBytes = 256 * 1024;

/**
 * Reads and validates a predictions file against what the challenge's truth requires, returning the predictions
 * aligned to the truth's row order. The format comes from the bytes, not the name: CSV (UTF-8; UTF-16 is named as
 * such), Arrow IPC file or stream, Parquet, each optionally gzip-compressed or alone in a zip (see zip-archive.ts). Memory is bounded by the target, not the file: CSV is parsed line
 * by line and Arrow streams batch by batch as they are read (through gunzip when compressed); Arrow files and
 * Parquet are read batch / row group at a time with random access, after gunzip to a temporary file (in
 * `options.tempDir`, default the OS temp folder; always deleted) when compressed; an Arrow or Parquet file larger
 * than the target can need is refused before decoding (see `maxTableFileBytes`). Validation rules and messages:
 * `readPredictionsCsvStream`, `readPredictionsTable`.
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming file, row (CSV line or 1-based data row) and column, or saying the
 *   file is truncated or corrupt; `PAYLOAD_TOO_LARGE` when gzip content inflates past `maxDecompressedBytes`
 *   (default 1 GiB; checked as it inflates, so a gzip bomb stops early) or a table file is too large for the target.
 */
export async function readPredictionsFile(
  filePath: string,
  fileName: string,
  target: PredictionTarget,
  options: { maxDecompressedBytes?: number; tempDir?: string } = {},
): Promise<AlignedPredictions> {
  const maxDecompressedBytes = options.maxDecompressedBytes ?? maxPredictionFileBytes;
  const format = detectFileFormat(await readHead(fileChunks(filePath, fileName)));
  switch (format) {
    case 'utf-16':
      throw utf16Error(fileName);
    case 'gzip':
      return readDecompressed(() => fileChunks(filePath, fileName, { maxDecompressedBytes }), fileName, 'gzip', target, options.tempDir);
    case 'zip': {
      const entry = await findSinglePredictionsEntry(filePath, fileName);
      const inside = `${fileName} › ${entry.name}`;
      return readDecompressed(() => zipEntryChunks(filePath, fileName, entry, maxDecompressedBytes), inside, 'zip', target, options.tempDir);
    }
    default:
      return readUncompressed(filePath, format, fileName, target);
  }
}

function utf16Error(fileName: string): AppError {
  return new AppError('INVALID_SUBMISSION', `${fileName} is UTF-16 text; save it as UTF-8 (e.g. "CSV UTF-8" in Excel, or encoding="utf-8" in pandas) and upload it again.`, {
    file: fileName,
    expected: 'UTF-8 text',
    found: 'UTF-16 text',
  });
}

/**
 * Reads what a gzip stream or a zip entry holds. CSV and Arrow streams are read as they inflate; Arrow files and
 * Parquet need random access (footer at the end), so they are inflated to a temporary file first (always deleted).
 */
async function readDecompressed(
  inflated: () => AsyncGenerator<Uint8Array>,
  fileName: string,
  container: 'gzip' | 'zip',
  target: PredictionTarget,
  tempDir: string | undefined,
): Promise<AlignedPredictions> {
  const innerFormat = detectFileFormat(await readHead(inflated()));
  switch (innerFormat) {
    case 'gzip':
    case 'zip':
      throw new AppError('INVALID_SUBMISSION', `${fileName} is compressed twice (${innerFormat} inside ${container}); compress the file once and upload it again.`, {
        file: fileName,
        expected: `${container} applied once`,
        found: `${innerFormat} inside ${container}`,
      });
    case 'utf-16':
      throw utf16Error(fileName);
    case 'csv':
    case 'arrow-stream':
      return readSequentially(inflated(), innerFormat, fileName, target);
    case 'arrow-file':
    case 'parquet': {
      const tempPath = path.join(tempDir ?? os.tmpdir(), `hep-arena-predictions-${crypto.randomBytes(12).toString('hex')}`);
      try {
        await pipelineAsync(limitTableBytes(inflated(), fileName, target), createWriteStream(tempPath, { flags: 'wx' })).catch((error: unknown) => {
          throw isAppError(error) ? error : new AppError('INTERNAL', `${fileName} could not be decompressed for checking; please try again.`, { file: fileName }, { cause: error });
        });
        return await readUncompressed(tempPath, innerFormat, fileName, target);
      } finally {
        await fs.rm(tempPath, { force: true });
      }
    }
  }
}

async function readUncompressed(filePath: string, format: Exclude<DetectedFileFormat, 'gzip' | 'zip' | 'utf-16'>, fileName: string, target: PredictionTarget): Promise<AlignedPredictions> {
  if (format === 'csv' || format === 'arrow-stream') return readSequentially(fileChunks(filePath, fileName), format, fileName, target);
  const handle = await fs.open(filePath, 'r');
  try {
    const source = randomAccessBytes(handle, (await handle.stat()).size);
    if (source.byteLength > maxTableFileBytes(target)) throw tooLargeForTarget(fileName, target, formatByteSize(source.byteLength));
    const open = format === 'parquet' ? readParquetRowGroups : readArrowFileBatches;
    const table: StreamedTable = await open(source, tableOptions(fileName));
    return await readPredictionsTable(table, target, fileName);
  } finally {
    await handle.close();
  }
}

async function readSequentially(chunks: AsyncGenerator<Uint8Array>, format: 'csv' | 'arrow-stream', fileName: string, target: PredictionTarget): Promise<AlignedPredictions> {
  try {
    if (format === 'csv') return await readPredictionsCsvStream(chunks, target, fileName);
    const limited = limitTableBytes(chunks, fileName, target);
    return await readPredictionsTable(await readArrowStreamBatches(limited, tableOptions(fileName)), target, fileName);
  } finally {
    // Closes the file (and gunzip) however reading ended, also when a reader stopped before the end.
    await chunks.return(undefined);
  }
}

/**
 * The most bytes an Arrow or Parquet predictions file for this target can need: a generous 256 bytes per expected
 * row (a valid row takes 16–60, batch framing a few more) plus 1 MiB for schema and footer. These formats are decoded
 * a whole batch at a time, so without this bound one huge batch (from a small gzip bomb, say) would take memory out
 * of all proportion to the truth; CSV, read line by line, needs no such bound.
 */
function maxTableFileBytes(target: PredictionTarget): number {
  return 1024 * 1024 + 256 * countTargetRows(target);
}

function tooLargeForTarget(fileName: string, target: PredictionTarget, found: string): AppError {
  const limit = maxTableFileBytes(target);
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `${fileName} is ${found}, more than a predictions file for this challenge needs (${formatByteSize(limit)}); it should hold only the prediction columns, one row per id, in batches of many rows.`,
    { file: fileName, expected: `at most ${limit} bytes`, found },
  );
}

async function* limitTableBytes(chunks: AsyncIterable<Uint8Array>, fileName: string, target: PredictionTarget): AsyncGenerator<Uint8Array> {
  const limit = maxTableFileBytes(target);
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > limit) throw tooLargeForTarget(fileName, target, `more than ${formatByteSize(limit)}`);
    yield chunk;
  }
}

function tableOptions(fileName: string): StreamedTableOptions {
  return { file: fileName, errorCode: 'INVALID_SUBMISSION' };
}

/**
 * The file's bytes in chunks, inflated when `gunzip` is given and then never more than `maxDecompressedBytes` of
 * them: the limit is checked on every inflated chunk, so a gzip bomb stops within one chunk. Errors become
 * `AppError`s; stopping early (a consumer that threw) closes the file.
 */
async function* fileChunks(filePath: string, fileName: string, gunzip?: { maxDecompressedBytes: number }): AsyncGenerator<Uint8Array> {
  const input = createReadStream(filePath, { highWaterMark: readChunkBytes });
  const inflater = gunzip ? zlib.createGunzip({ chunkSize: 64 * 1024 }) : null;
  const stream = inflater ? pipeline(input, inflater, () => {}) : input;
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (gunzip && total > gunzip.maxDecompressedBytes) {
        const limit = gunzip.maxDecompressedBytes;
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `${fileName} decompresses to more than ${limit} bytes (${formatByteSize(limit)}); the limit applies to the uncompressed content. Upload a smaller file.`,
          { file: fileName, expected: `at most ${limit} bytes after decompression`, found: `more than ${limit} bytes` },
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (inflater && typeof code === 'string' && code.startsWith('Z_')) {
      throw new AppError('INVALID_SUBMISSION', `${fileName} starts like a gzip file but is truncated or corrupt; compress it again and upload the complete file.`, {
        file: fileName,
        expected: 'complete gzip data',
        found: 'truncated or corrupt gzip data',
      }, { cause: error });
    }
    throw new AppError('INTERNAL', `${fileName} could not be read back for checking; please upload it again.`, { file: fileName }, { cause: error });
  } finally {
    inflater?.destroy();
    input.destroy();
  }
}

/** The first bytes of a chunk stream (fewer if it is shorter); the stream is closed afterwards. */
async function readHead(chunks: AsyncGenerator<Uint8Array>): Promise<Uint8Array> {
  const head = new Uint8Array(fileFormatHeadBytes);
  let length = 0;
  for await (const chunk of chunks) {
    const part = chunk.subarray(0, head.length - length);
    head.set(part, length);
    length += part.length;
    if (length === head.length) break;
  }
  return head.subarray(0, length);
}
