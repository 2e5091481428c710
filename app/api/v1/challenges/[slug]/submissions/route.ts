// POST /api/v1/challenges/{slug}/submissions: the request body is the predictions file, streamed into validation.
//   ?fileName=<name> or X-File-Name (default "predictions"); ?description=<text> or X-Description (percent-encoded), a
//   short note shown on the submitter's pages and exports; ?phase=<key> refuses unless that phase is the open one;
//   ?baseline=true marks an organiser's reference entry; ?source=browser-baseline marks what the model trained on the
//   training page sent (signed-in browsers only); ?kind=model|predictions says what the body is (default: what the open
//   phase takes, and in a phase that takes both, a .onnx name or a zip with a model.json is a model).
//   202 + Location of the status URL.
import { getChallenge } from '@/lib/server/challenges/get-challenge';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { AppError } from '@/lib/shared/app-error';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const POST = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) => {
  const query = parseRouteQuery('/api/v1/challenges/[slug]/submissions', new URL(request.url).searchParams);
  const fileName = query.fileName || decodeHeader(request.headers.get('x-file-name')) || 'predictions';
  const description = query.description ?? decodeHeader(request.headers.get('x-description'));
  const phaseKey = query.phase;
  if (phaseKey) {
    const { openPhase } = await getChallenge(ctx, slug);
    if (openPhase?.key !== phaseKey) {
      throw new AppError('PHASE_CLOSED', `Phase "${phaseKey}" is not open for submissions; ${openPhase ? `the open phase is "${openPhase.key}"` : 'no phase is open'}.`);
    }
  }
  if (query.source === 'browser-baseline' && ctx.authMethod !== 'session') {
    throw new AppError('BAD_REQUEST', 'source=browser-baseline marks predictions of the model trained on the training page; it is sent by the signed-in browser, not with an API token.');
  }
  if (!request.body) throw new AppError('BAD_REQUEST', 'Send the predictions file as the request body (e.g. curl --data-binary @predictions.csv).');
  const submission = await createSubmission(ctx, {
    challengeSlug: slug,
    fileName,
    description,
    body: request.body,
    // The browser baseline labels its entry (predictions or its model); only the browser (a session) can, a token cannot.
    source: ctx.authMethod === 'token' ? 'api' : query.source === 'browser-baseline' ? 'browser-baseline' : 'upload',
    asBaseline: query.baseline === true,
    ...(query.kind ? { kind: query.kind } : {}),
  });
  return Response.json(submission, { status: 202, headers: { location: `/api/v1/submissions/${submission.id}` } });
});

/** Header values are Latin-1; clients may percent-encode a non-ASCII file name. */
function decodeHeader(value: string | null): string | null {
  if (!value) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
