// GET /api/v1/submissions/{id}: status and scores of a submission, for polling (its owner, team or organisers).
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getSubmissionDetail } from '@/lib/server/submissions/get-submission-detail';
import { AppError } from '@/lib/shared/app-error';

export const dynamic = 'force-dynamic';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET = withApiRoute<{ id: string }>(async (_request, ctx, { id }) => {
  if (!uuidPattern.test(id)) throw new AppError('NOT_FOUND', `There is no submission "${id}"; ids look like 0b6f…-…-…, as printed at upload.`);
  return Response.json(await getSubmissionDetail(ctx, id));
});
