import { z } from 'zod';
import { httpStatusByCode } from '@/lib/shared/app-error';
import { handlerQueries } from '@/lib/shared/query/route-queries';
import { type ApiBody, type ApiOperation, apiOperations, toOpenApiPath } from './api-operations';
import { errorBodySchema } from './api-schemas';

/** What specialises the document to one challenge (`/api/v1/openapi.json?challenge=<slug>`). */
export type OpenApiChallenge = { slug: string; title: string; files: string[]; predictionColumns: string[] };

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
};

const tagDescriptions: Record<ApiOperation['tag'], string> = {
  Challenges: 'What is running: challenges, phases, metrics and files.',
  Data: 'Dataset files and the starting kit.',
  Submissions: 'Upload predictions and follow their scoring.',
  Leaderboards: 'Ranked boards with intervals and tie groups.',
  Platform: 'Health and this description.',
  'Sign-in': 'The web pages\' session endpoints (next-auth).',
  'Static files': 'Files the web pages load.',
  Testing: 'Endpoints that exist only in test deployments.',
};

/**
 * The OpenAPI 3.1 document of the HTTP API, built from the route table of api-operations.ts, the query parameters of
 * route-queries.ts (the zod schemas the handlers parse with) and the response schemas of api-schemas.ts. JSON
 * Schema draft 2020-12, as OpenAPI 3.1 uses. With `challenge`, the slug, file and predictions columns are filled in
 * for that challenge. Pure: the same input gives the same document.
 */
export function buildOpenApiDocument(input: { serverUrl: string; version: string; challenge?: OpenApiChallenge }): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  /** A schema as JSON Schema; named ones (`.meta({ id })`) go to components and are referenced. */
  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
    // Named schemas (`.meta({ id })`) come back as $defs; in OpenAPI they live in components and are referenced there.
    const { $defs, $schema: _dialect, ...rest } = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema & {
      $defs?: Record<string, JsonSchema>;
      $schema?: string;
    };
    for (const [id, definition] of Object.entries($defs ?? {})) schemas[id] ??= definition;
    return rest;
  };
  const errorRef = toSchema(errorBodySchema, 'output');

  const challenge = input.challenge;
  const bodyContent = (bodies: ApiBody | ApiBody[], io: 'input' | 'output') =>
    Object.fromEntries(
      [bodies].flat().flatMap((body) =>
        body.kind === 'json'
          ? [['application/json', { schema: toSchema(body.schema, io) }]]
          : body.contentTypes.map((type) => [type, { schema: { type: 'string', contentMediaType: type, description: body.description } }]),
      ),
    );

  const paths: OpenApiDocument['paths'] = {};
  for (const operation of apiOperations) {
    const parameters: unknown[] = [];
    for (const [name, parameter] of Object.entries(operation.pathParameters ?? {})) {
      const schema = toSchema(parameter.schema, 'input');
      if (challenge && name === 'slug') Object.assign(schema, { enum: [challenge.slug] });
      if (challenge && name === 'file' && operation.route.includes('/files/')) Object.assign(schema, { enum: challenge.files });
      parameters.push({ name, in: 'path', required: true, description: parameter.description, schema });
    }
    const query = (handlerQueries[operation.route] ?? {}) as Record<string, z.ZodType>;
    for (const [name, schema] of Object.entries(query)) {
      const converted = toSchema(schema, 'input');
      const description = (converted.description as string | undefined) ?? queryDescriptions[name] ?? '';
      parameters.push({ name, in: 'query', required: false, ...(description ? { description } : {}), schema: converted });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.body ? { content: bodyContent(response.body, 'output') } : {}),
        ...(response.headers ? { headers: Object.fromEntries(Object.entries(response.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])) } : {}),
      };
    }
    for (const code of operation.errors) {
      const status = String(httpStatusByCode[code]);
      const existing = responses[status] as { description: string } | undefined;
      const reason = `${code}: ${errorDescriptions[code]}`;
      responses[status] = { description: existing ? `${existing.description} Or ${reason}` : reason, content: { 'application/json': { schema: errorRef } } };
    }
    let requestBody: unknown;
    if (operation.requestBody) {
      let description = operation.requestBody.description;
      if (challenge && operation.operationId === 'submitPredictions') description = `${description} For ${challenge.title}: header \`${challenge.predictionColumns.join(',')}\`.`;
      requestBody = { required: operation.requestBody.required, ...(description ? { description } : {}), content: bodyContent(operation.requestBody, 'input') };
    }
    const path = toOpenApiPath(operation.route);
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[operation.method] = {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
      security: operation.auth === 'required' ? [{ apiToken: [] }, { session: [] }] : operation.auth === 'optional' ? [{}, { apiToken: [] }, { session: [] }] : [],
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: challenge ? `HEP Arena API: ${challenge.title}` : 'HEP Arena API',
      version: input.version,
      description:
        'Everything the pages do for a participant, over HTTP: list challenges, download data, upload predictions, follow their scoring and read the leaderboards. Authenticate with `Authorization: Bearer <API token>` (create one under API tokens, /settings/tokens); without it, public reads work as for a visitor. Errors are `{"error":{"code","message","details"}}` with the status of their code.',
    },
    servers: [{ url: input.serverUrl }],
    tags: Object.entries(tagDescriptions).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'An API token from /settings/tokens (shown once, revocable).' },
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'The web pages\' session; state-changing calls must come from this site.' },
      },
    },
  };
}

const errorDescriptions: Record<ApiOperation['errors'][number], string> = {
  BAD_REQUEST: 'a malformed parameter or body, named with what it must be.',
  UNAUTHENTICATED: 'no valid API token or session (or a revoked token).',
  FORBIDDEN: 'not allowed for you (or not yet, e.g. a private board before the close).',
  NOT_FOUND: 'no such challenge, file or submission that you may see.',
  CONFLICT: 'the request conflicts with the current state.',
  INVALID_SUBMISSION: 'the file does not fit the challenge: file, line or row, column, expected and found value.',
  PHASE_CLOSED: 'no phase is open for submissions (or not the one named).',
  LIMIT_REACHED: 'the daily or total submission limit is reached; the message says when it resets.',
  RATE_LIMITED: 'too many requests; try again later.',
  PAYLOAD_TOO_LARGE: 'the file is larger than 1 GiB.',
  UNAVAILABLE: 'the database cannot be reached for a moment; retry.',
};

const queryDescriptions: Record<string, string> = {
  phase: 'A phase key; default: the open phase, else the latest.',
  split: '`public` (default) or `private` (once the phase has closed).',
  format: '`csv` (default) or `json`.',
  fileName: 'The name to store the file under (default `predictions`); the extension chooses the parser.',
  baseline: 'Organisers: `true` marks a reference entry, shown on the board but never ranked.',
  challenge: 'A challenge slug.',
  description: 'A short note on this entry (up to 500 characters, one line), shown on your pages and in exports; or the `X-Description` header.',
  source: 'Set by the training page (`browser-baseline`, signed-in browsers only); a token holder cannot set it.',
  kind: '`model` or `predictions`: what the body is; default: what the open phase takes (in a phase that takes both, judged from the file).',
  status: 'Only submissions with this status: `received`, `queued`, `scoring`, `scored` or `failed`.',
  ids: 'Up to 50 submission ids (as printed at upload), comma-separated.',
};
