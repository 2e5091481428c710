import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { DatasetDownload } from '@/lib/server/datasets/get-dataset-download';

/** Streams a dataset file from disk (never read into memory) with its size and sha256 for the client to check. */
export function toDatasetFileResponse(download: DatasetDownload): Response {
  const body = Readable.toWeb(fs.createReadStream(download.absolutePath)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      'content-type': download.contentType,
      'content-length': String(download.sizeBytes),
      'content-disposition': `attachment; filename="${download.fileName}"`,
      'x-content-sha256': download.sha256,
      'cache-control': 'private, max-age=0',
    },
  });
}
