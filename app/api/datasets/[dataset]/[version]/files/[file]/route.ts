// GET /api/datasets/[dataset]/[version]/files/[file]: download a public file of a catalogue version (sign-in or API
// token); truth files are never served. Counted per file on the version's page.
import { toDatasetFileResponse } from '@/app/api/v1/_lib/to-dataset-file-response';
import { getCatalogueDownload } from '@/lib/server/datasets/get-catalogue-download';
import { withApiRoute } from '@/lib/server/http/with-api-route';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ dataset: string; version: string; file: string }>(async (_request, ctx, { dataset, version, file }) =>
  toDatasetFileResponse(await getCatalogueDownload(ctx, { dataset, version, fileName: file })),
);
