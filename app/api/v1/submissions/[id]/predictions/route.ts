// GET /api/v1/submissions/{id}/predictions: the predictions a model run wrote (variation,id,score), organisers only.
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getModelPredictionsDownload } from '@/lib/server/models/get-model-predictions-download';
import { AppError } from '@/lib/shared/app-error';
import { toDatasetFileResponse } from '../../../_lib/to-dataset-file-response';

export const dynamic = 'force-dynamic';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET = withApiRoute<{ id: string }>(async (_request, ctx, { id }) => {
  if (!uuidPattern.test(id)) throw new AppError('NOT_FOUND', `There is no submission "${id}".`);
  const download = await getModelPredictionsDownload(ctx, id);
  return toDatasetFileResponse({ ...download, contentType: 'text/csv; charset=utf-8' });
});
