// GET /api/challenges/[slug]/files/[file]: download a public dataset file (the data page's links; sign-in or API
// token). Same service and response as GET /api/v1/challenges/{slug}/files/{file}.
import { toDatasetFileResponse } from '@/app/api/v1/_lib/to-dataset-file-response';
import { getDatasetDownload } from '@/lib/server/datasets/get-dataset-download';
import { withApiRoute } from '@/lib/server/http/with-api-route';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string; file: string }>(async (_request, ctx, { slug, file }) =>
  toDatasetFileResponse(await getDatasetDownload(ctx, { challengeSlug: slug, fileName: file })),
);
