// GET /api/v1/challenges/{slug}/files/{file}: streams a public dataset file (sign-in or API token; never truth).
import { getDatasetDownload } from '@/lib/server/datasets/get-dataset-download';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { toDatasetFileResponse } from '../../../../_lib/to-dataset-file-response';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string; file: string }>(async (_request, ctx, { slug, file }) =>
  toDatasetFileResponse(await getDatasetDownload(ctx, { challengeSlug: slug, fileName: file })),
);
