import fs from 'node:fs';
import path from 'node:path';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { decodeArrowTable } from '@/lib/shared/arrow';
import type { ScoringFileContent } from '@/lib/shared/formats/scoring-files';

/** File extensions read as Arrow IPC (file or stream format) and as Parquet; anything else is CSV. */
export const ARROW_EXTENSIONS = ['.arrow', '.feather', '.ipc'] as const;
export const PARQUET_EXTENSIONS = ['.parquet'] as const;

/**
 * Reads a truth or predictions file for scoring, choosing the decoder by extension: `.arrow`, `.feather`,
 * `.ipc` → Arrow IPC (`decodeArrowTable`), `.parquet` → Parquet (`readParquetTable`), anything else → CSV text.
 *
 * @throws {AppError} `BAD_REQUEST` when the file cannot be read; `INVALID_DATASET` (truth) or
 *   `INVALID_SUBMISSION` (predictions) when it cannot be decoded, the message starting with the file name.
 */
export async function readScoringFile(filePath: string, role: 'truth' | 'predictions'): Promise<ScoringFileContent> {
  const extension = path.extname(filePath).toLowerCase();
  const isArrow = (ARROW_EXTENSIONS as readonly string[]).includes(extension);
  const isParquet = (PARQUET_EXTENSIONS as readonly string[]).includes(extension);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error);
    throw new AppError('BAD_REQUEST', `Cannot read the ${role} file ${filePath}: ${reason}.`, { file: filePath }, { cause: error });
  }
  if (!isArrow && !isParquet) return { kind: 'csv', text: bytes.toString('utf8') };
  const code = role === 'truth' ? 'INVALID_DATASET' : 'INVALID_SUBMISSION';
  try {
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const table = isArrow ? decodeArrowTable(view) : await (await import('@/lib/shared/parquet')).readParquetTable(view, { fileName: filePath });
    return { kind: 'table', table };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const message = error.message.startsWith(filePath) ? error.message : `${filePath}: ${error.message}`;
    throw new AppError(code, message, { ...error.details, file: filePath }, { cause: error });
  }
}
