import 'server-only';
import { ZodError } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import { getApiContext, type ApiContext } from './get-api-context';
import { toErrorResponse } from './to-error-response';

export type ApiRouteHandler<Params> = (request: Request, ctx: ApiContext, params: Params) => Promise<Response>;

/**
 * Wraps a route handler of the HTTP API once: builds the caller's context (API token or session, see
 * getApiContext) and turns every failure into `{ error: { code, message, details } }` with the status of its code.
 * Unexpected errors are logged with a reference and answered without their message.
 */
export function withApiRoute<Params extends Record<string, string> = Record<string, never>>(handler: ApiRouteHandler<Params>) {
  return async (request: Request, segment: { params: Promise<Params> }): Promise<Response> => {
    try {
      const ctx = await getApiContext(request);
      return await handler(request, ctx, await segment.params);
    } catch (error) {
      const response = toErrorResponse(withZodDetails(error));
      if (response.status === 401) response.headers.set('www-authenticate', 'Bearer realm="hep-arena"');
      return response;
    }
  };
}

/** A zod failure becomes BAD_REQUEST naming every problem, so an API client can fix all of them at once. */
function withZodDetails(error: unknown): unknown {
  if (!(error instanceof ZodError)) return error;
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new AppError('BAD_REQUEST', message || 'The request is not valid.', { issues }, { cause: error });
}
