import 'server-only';
import packageJson from '@/package.json';
import { buildOpenApiDocument, type OpenApiDocument } from '@/lib/shared/api/build-openapi-document';
import { getPredictionColumns } from '@/lib/shared/code-snippets';
import { getChallenge } from '../challenges/get-challenge';
import type { ServiceContext } from '../context';

/**
 * The OpenAPI document of this server's API (`/api/v1/openapi.json`); with a challenge, specialised to it. A challenge
 * the caller cannot see is `NOT_FOUND`, exactly as the challenge itself (getChallenge decides), so the document never
 * tells that a draft exists.
 */
export async function getOpenApiDocument(ctx: ServiceContext, input: { serverUrl: string; challengeSlug?: string }): Promise<OpenApiDocument> {
  if (!input.challengeSlug) return buildOpenApiDocument({ serverUrl: input.serverUrl, version: packageJson.version });
  const challenge = await getChallenge(ctx, input.challengeSlug);
  return buildOpenApiDocument({
    serverUrl: input.serverUrl,
    version: packageJson.version,
    challenge: {
      slug: challenge.slug,
      title: challenge.title,
      files: challenge.dataset.downloads.map((d) => d.name),
      predictionColumns: getPredictionColumns(challenge.task, (challenge.scoring.variations ?? []).map((v) => v.name)),
    },
  });
}
