// GET /api/challenges/[slug]/files/[file]: download a public dataset file (train/test as Arrow IPC or CSV).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { getDatasetDownload } from '@/lib/server/datasets/get-dataset-download';
import { toErrorResponse } from '@/lib/server/http/to-error-response';
import { getRequestContext } from '@/lib/server/request-context';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; file: string }> }) {
  try {
    const { slug, file } = await params;
    const download = await getDatasetDownload(await getRequestContext(), { challengeSlug: slug, fileName: file });
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
  } catch (error) {
    return toErrorResponse(error);
  }
}
