import 'server-only';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { AppErrorCode } from '@/lib/shared/app-error';
import { AppError } from '@/lib/shared/app-error';
import { readArrowFileBatches, readArrowStreamBatches, randomAccessBytes, type StreamedTable } from '@/lib/shared/arrow';
import { detectFileFormat, fileFormatHeadBytes } from '@/lib/shared/formats/detect-file-format';
import { readFeaturesCsvBatches } from '@/lib/shared/models/read-features-csv';
import { readParquetRowGroups } from '@/lib/shared/parquet';

/**
 * A features table read a batch at a time from a file: Arrow IPC (file or stream), Parquet or CSV, told apart by
 * their bytes. `close` releases the file; memory holds one batch (an Arrow record batch, a Parquet row group, or
 * `csvBatchRows` CSV lines).
 *
 * @throws {AppError} `errorCode` naming the file when it is none of these, truncated or corrupt.
 */
export async function openFeaturesFile(filePath: string, file: string, errorCode: AppErrorCode, options: { csvBatchRows?: number } = {}): Promise<{ table: StreamedTable; close(): Promise<void> }> {
  const handle = await fs.open(filePath, 'r').catch((cause: unknown) => {
    throw new AppError(errorCode, `${file} cannot be opened (${(cause as NodeJS.ErrnoException).code ?? 'error'}).`, { file }, { cause });
  });
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(fileFormatHeadBytes);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const format = detectFileFormat(head.subarray(0, bytesRead));
    const options_ = { file, errorCode: errorCode === 'INVALID_DATASET' ? ('INVALID_DATASET' as const) : ('INVALID_SUBMISSION' as const) };
    const source = randomAccessBytes(handle, size);
    let table: StreamedTable;
    switch (format) {
      case 'arrow-file':
        table = await readArrowFileBatches(source, options_);
        break;
      case 'parquet':
        table = await readParquetRowGroups(source, options_);
        break;
      case 'arrow-stream':
        table = await readArrowStreamBatches(createReadStream(filePath, { highWaterMark: 1024 * 1024 }), options_);
        break;
      case 'csv':
        table = await readFeaturesCsvBatches(createReadStream(filePath, { highWaterMark: 1024 * 1024 }), { ...options_, batchRows: options.csvBatchRows });
        break;
      default:
        throw new AppError(errorCode, `${file} is gzip-compressed; give the features as an uncompressed Arrow, Parquet or CSV file.`, { file, expected: 'Arrow, Parquet or CSV', found: 'gzip' });
    }
    return { table, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
