import { z } from 'zod';
import { handlerQueries } from '@/lib/shared/query/route-queries';
import {
  challengeListItemSchema,
  challengeResourceSchema,
  displayEventsSchema,
  featureHistogramSchema,
  healthSchema,
  leaderboardSchema,
  liveSubmissionSchema,
  myLeaderboardRowsSchema,
  mySubmissionSchema,
  submissionDetailSchema,
  submissionSchema,
  testClockBodySchema,
  testClockResponseSchema,
} from './api-schemas';

/**
 * Every route handler of app/ as an operation of the HTTP API: the source of the OpenAPI document. Query parameters
 * are not restated here: they come from the route's entry in lib/shared/query/route-queries.ts, the table the handler
 * itself parses with. `tests/architecture/openapi-document.test.ts` checks that every exported handler of every
 * route.ts is in this table and nothing else is.
 */

/** Who may call: anyone, anyone (a session or token shows more), or a signed-in user or API token. */
export type ApiAuth = 'none' | 'optional' | 'required';

export type ApiBody =
  | { kind: 'json'; schema: z.ZodType; description?: string }
  | { kind: 'binary'; contentTypes: string[]; description: string };

/** A response's body; several when the same status answers in more than one content type (by `Accept`). */
export type ApiResponse = { description: string; body?: ApiBody | ApiBody[]; headers?: Record<string, string> };

export type ApiOperation = {
  /** The Next route, as in route-queries.ts (`/api/v1/challenges/[slug]`). */
  route: keyof typeof handlerQueries;
  method: 'get' | 'post';
  operationId: string;
  tag: 'Challenges' | 'Data' | 'Submissions' | 'Leaderboards' | 'Platform' | 'Sign-in' | 'Static files' | 'Testing';
  summary: string;
  description?: string;
  auth: ApiAuth;
  pathParameters?: Record<string, { schema: z.ZodType; description: string }>;
  requestBody?: ApiBody & { required: boolean };
  /** Success responses; the error responses follow from `errors` (AppError codes) and are added by the builder. */
  responses: Record<number, ApiResponse>;
  errors: Array<'BAD_REQUEST' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID_SUBMISSION' | 'PHASE_CLOSED' | 'LIMIT_REACHED' | 'RATE_LIMITED' | 'PAYLOAD_TOO_LARGE' | 'UNAVAILABLE'>;
};

const slug = { schema: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), description: 'The challenge, as in its address (`/challenges/<slug>`).' };
const dataFile = {
  schema: z.string().regex(/^[A-Za-z0-9_.@-]+$/),
  description: 'A public file of the challenge\'s dataset version, e.g. `train.arrow`, `test.csv`, `test@ces_up.arrow`, `train.root` (see `files` of the challenge).',
};
const datasetFileTypes = ['application/vnd.apache.arrow.file', 'text/csv', 'application/vnd.apache.parquet', 'application/x-root'];
const json = (schema: z.ZodType, description?: string): ApiBody => ({ kind: 'json', schema, ...(description ? { description } : {}) });

const datasetId = { schema: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), description: 'The dataset, as in the catalogue (`/datasets/<dataset>`).' };
const datasetVersion = { schema: z.string(), description: 'The version, e.g. `1.0.0`.' };

export const apiOperations: ApiOperation[] = [
  {
    route: '/api/datasets/[dataset]/[version]/files/[file]',
    method: 'get',
    operationId: 'downloadDatasetFile',
    tag: 'Data',
    summary: 'Download a public file of a dataset version from the catalogue',
    description: 'Signed-in users; a version they may see. Truth, server-only files and test data a challenge keeps hidden are never served.',
    auth: 'required',
    pathParameters: { dataset: datasetId, version: datasetVersion, file: dataFile },
    responses: { 200: { description: 'The file.', body: { kind: 'binary', contentTypes: datasetFileTypes, description: 'The file as stored; its sha256 is in the X-Content-Sha256 header.' } } },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/datasets/[dataset]/[version]/histograms',
    method: 'get',
    operationId: 'getFeatureHistogram',
    tag: 'Data',
    summary: 'Histograms of a training feature by process and class',
    description: 'From the training table only (cached per version); `bins` at most 1000, `min` < `max`; `variation` adds a nominal/varied ratio of public test tables; `feature2` a 2D histogram per class.',
    auth: 'optional',
    pathParameters: { dataset: datasetId, version: datasetVersion },
    responses: { 200: { description: 'The histograms.', body: json(featureHistogramSchema) } },
    errors: ['BAD_REQUEST', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/datasets/[dataset]/[version]/display',
    method: 'get',
    operationId: 'getDisplayEvents',
    tag: 'Data',
    summary: 'The events of the event display',
    description: 'The selected objects of a bounded sample of training events (no labels, no weights); 404 says when the version has no events@display table.',
    auth: 'optional',
    pathParameters: { dataset: datasetId, version: datasetVersion },
    responses: { 200: { description: 'The events with their objects.', body: json(displayEventsSchema) } },
    errors: ['NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/submissions/[id]/predictions',
    method: 'get',
    operationId: 'getModelPredictions',
    tag: 'Submissions',
    summary: 'The per-event predictions a submitted model produced',
    description: 'For the challenge\'s organisers only: a model sees hidden test features and could encode them in its outputs.',
    auth: 'required',
    pathParameters: { id: { schema: z.uuid(), description: 'The submission id of the model.' } },
    responses: { 200: { description: 'The predictions file the run wrote (CSV).', body: { kind: 'binary', contentTypes: ['text/csv'], description: '`variation,id,score` or `id,score` rows.' } } },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/challenges',
    method: 'get',
    operationId: 'listChallenges',
    tag: 'Challenges',
    summary: 'List the challenges you can see',
    description: 'Published challenges for everyone; drafts too for their organisers and admins.',
    auth: 'optional',
    responses: { 200: { description: 'The challenges, newest first.', body: json(z.array(challengeListItemSchema)) } },
    errors: ['UNAUTHENTICATED', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/challenges/[slug]',
    method: 'get',
    operationId: 'getChallenge',
    tag: 'Challenges',
    summary: 'A challenge: phases, metrics, predictions columns and files',
    auth: 'optional',
    pathParameters: { slug },
    responses: { 200: { description: 'The challenge.', body: json(challengeResourceSchema) } },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/challenges/[slug]/files/[file]',
    method: 'get',
    operationId: 'downloadFile',
    tag: 'Data',
    summary: 'Download a public dataset file',
    description: 'Streamed with its size; `X-Content-SHA256` is the sha256 the manifest lists. Truth files are never served.',
    auth: 'required',
    pathParameters: { slug, file: dataFile },
    responses: {
      200: {
        description: 'The file.',
        body: { kind: 'binary', contentTypes: datasetFileTypes, description: 'Arrow IPC, CSV, Parquet or ROOT, by the file name.' },
        headers: { 'X-Content-SHA256': 'sha256 of the file, as in the dataset manifest.' },
      },
    },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/challenges/[slug]/files/[file]',
    method: 'get',
    operationId: 'downloadFileFromDataPage',
    tag: 'Data',
    summary: 'Download a public dataset file (the data page\'s links)',
    description: 'The same file and response as `GET /api/v1/challenges/{slug}/files/{file}`.',
    auth: 'required',
    pathParameters: { slug, file: dataFile },
    responses: { 200: { description: 'The file.', body: { kind: 'binary', contentTypes: datasetFileTypes, description: 'Arrow IPC, CSV, Parquet or ROOT.' } } },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/challenges/[slug]/starting-kit.ipynb',
    method: 'get',
    operationId: 'downloadStartingKit',
    tag: 'Data',
    summary: 'The challenge\'s starting-kit notebook',
    description:
      'A Jupyter notebook (nbformat 4) generated from the challenge definition: it downloads the data with your API token, trains a scikit-learn baseline, writes the predictions file and submits it.',
    auth: 'optional',
    pathParameters: { slug },
    responses: { 200: { description: 'The notebook.', body: { kind: 'binary', contentTypes: ['application/x-ipynb+json'], description: 'nbformat 4 JSON.' } } },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/challenges/[slug]/submissions',
    method: 'post',
    operationId: 'submitPredictions',
    tag: 'Submissions',
    summary: 'Upload a predictions file',
    description:
      'The request body is the file itself (CSV, Arrow IPC or Parquet, gzip-compressed or not, up to 1 GiB), streamed into validation. A file that does not fit the challenge is refused with the line or row, column, expected and found value, and nothing is stored. Accepted files are scored in the background: poll the `Location`.',
    auth: 'required',
    pathParameters: { slug },
    requestBody: {
      kind: 'binary',
      required: true,
      contentTypes: ['text/csv', 'application/vnd.apache.arrow.file', 'application/vnd.apache.parquet', 'application/gzip', 'application/octet-stream'],
      description:
        'The predictions file; its columns are `submission.columns` of the challenge. The file name comes from `?fileName=` or the `X-File-Name` header, the optional description (up to 500 characters, one line; shown on your pages and in exports) from `?description=` or the `X-Description` header (percent-encoded).',
    },
    responses: {
      202: { description: 'Accepted and queued for scoring.', body: json(submissionSchema), headers: { Location: 'The submission\'s status URL, /api/v1/submissions/{id}.' } },
    },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_SUBMISSION', 'PHASE_CLOSED', 'LIMIT_REACHED', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/submissions/[id]',
    method: 'get',
    operationId: 'getSubmission',
    tag: 'Submissions',
    summary: 'Status and scores of a submission',
    description: 'For its submitter, their team and the challenge\'s organisers. Private-split numbers appear once the phase has closed.',
    auth: 'required',
    pathParameters: { id: { schema: z.uuid(), description: 'The submission id printed at upload.' } },
    responses: { 200: { description: 'The submission with every metric per split and variation.', body: json(submissionDetailSchema) } },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/me/submissions',
    method: 'get',
    operationId: 'listMySubmissions',
    tag: 'Submissions',
    summary: 'Your submissions and your teams\', newest first',
    description: 'Each with its description and its public (once revealed, private) values by metric, with their intervals; filtered by `challenge` and `status`.',
    auth: 'required',
    responses: { 200: { description: 'The submissions.', body: json(z.array(mySubmissionSchema)) } },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/me/submissions/status',
    method: 'get',
    operationId: 'followMySubmissions',
    tag: 'Submissions',
    summary: 'The live status of your submissions (server-sent events, or one JSON snapshot)',
    description:
      'For up to 50 of your (or your team\'s) submissions, ids comma-separated. With `Accept: text/event-stream`: server-sent events, a `status` event (one LiveSubmission as JSON) for each submission and then for each change (queued → scoring → scored with its public scores, or failed with its reason), and `done` once every one is final. Otherwise one JSON array of the same objects, for polling where a stream cannot stay open. Ids that are not yours (or your team\'s), or do not exist, are left out without saying which.',
    auth: 'required',
    responses: {
      200: {
        description: 'The status now (JSON), or the stream of changes (`text/event-stream`).',
        body: [
          json(z.array(liveSubmissionSchema)),
          { kind: 'binary', contentTypes: ['text/event-stream'], description: 'Server-sent events: `event: status` with a LiveSubmission as `data`, finally `event: done`.' },
        ],
      },
    },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'UNAVAILABLE'],
  },
  {
    route: '/submissions/export',
    method: 'get',
    operationId: 'exportMySubmissions',
    tag: 'Submissions',
    summary: 'Your submissions as a CSV or JSON download',
    description:
      'The entries of "My submissions" with the same `challenge` and `status` filters: in CSV one row per entry, split and metric, with the description, the metric\'s name and direction, the value and its interval (spreadsheet formulas neutralised); in JSON the MySubmission objects.',
    auth: 'required',
    responses: {
      200: {
        description: 'The submissions as a file (`Content-Disposition: attachment`).',
        body: [json(z.array(mySubmissionSchema)), { kind: 'binary', contentTypes: ['text/csv'], description: 'CSV (the default format).' }],
      },
    },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/challenges/[slug]/leaderboard',
    method: 'get',
    operationId: 'getLeaderboard',
    tag: 'Leaderboards',
    summary: 'A leaderboard, as the web page shows it',
    description:
      'Without a token or session: a copy at most 5 s old, the same for every visitor. With one: live, your own rows marked `isYou`. The private board is refused until its phase closes.',
    auth: 'optional',
    pathParameters: { slug },
    responses: { 200: { description: 'The board.', body: json(leaderboardSchema) } },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/challenges/[slug]/leaderboard/mine',
    method: 'get',
    operationId: 'getMyLeaderboardRows',
    tag: 'Leaderboards',
    summary: 'Your own rows of a leaderboard, live',
    description: 'Your entries (or your team\'s) on the board, marked `isYou`, with their rank, values and tie group, at once after a new score. Empty when you have none.',
    auth: 'required',
    pathParameters: { slug },
    responses: { 200: { description: 'Your rows.', body: json(myLeaderboardRowsSchema) } },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/public-boards/[slug]/[phase]/[split]',
    method: 'get',
    operationId: 'getVisitorLeaderboard',
    tag: 'Leaderboards',
    summary: 'The visitors\' cached copy of a leaderboard',
    description: 'Where `GET /api/v1/challenges/{slug}/leaderboard` without a token or session is answered from; `_` stands for the default phase or split.',
    auth: 'none',
    pathParameters: {
      slug,
      phase: { schema: z.string().regex(/^(_|[a-z0-9][a-z0-9-]{0,62})$/), description: 'A phase key, or `_` for the open (else latest) phase.' },
      split: { schema: z.enum(['_', 'public', 'private']), description: '`public`, `private`, or `_` for public.' },
    },
    responses: { 200: { description: 'The board, as for a visitor.', body: json(leaderboardSchema) } },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/challenges/[slug]/leaderboard/export',
    method: 'get',
    operationId: 'exportLeaderboard',
    tag: 'Leaderboards',
    summary: 'A leaderboard as a CSV or JSON download',
    description: 'Every row of the board (spreadsheet formulas neutralised in CSV), with your rows marked when signed in.',
    auth: 'optional',
    pathParameters: { slug },
    responses: {
      200: {
        description: 'The board as a file (`Content-Disposition: attachment`).',
        body: { kind: 'binary', contentTypes: ['text/csv', 'application/json'], description: 'CSV (default) or the Leaderboard JSON object.' },
      },
    },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/v1/openapi.json',
    method: 'get',
    operationId: 'getOpenApiDocument',
    tag: 'Platform',
    summary: 'This document',
    description: 'With `?challenge=<slug>`, specialised to that challenge (its slug, files and predictions columns filled in).',
    auth: 'optional',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', body: { kind: 'binary', contentTypes: ['application/json'], description: 'OpenAPI 3.1 JSON.' } } },
    errors: ['BAD_REQUEST', 'UNAUTHENTICATED', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    route: '/api/health',
    method: 'get',
    operationId: 'getHealth',
    tag: 'Platform',
    summary: 'Whether the server and its database answer',
    auth: 'none',
    responses: { 200: { description: 'Healthy.', body: json(healthSchema) }, 503: { description: 'The database does not answer.', body: json(healthSchema) } },
    errors: [],
  },
  {
    route: '/api/auth/[...nextauth]',
    method: 'get',
    operationId: 'authGet',
    tag: 'Sign-in',
    summary: 'next-auth: session, CSRF token, providers, sign-in and sign-out pages',
    description: 'The endpoints of next-auth v4 (`/api/auth/session`, `/api/auth/csrf`, …) used by the web pages. Scripts use API tokens instead.',
    auth: 'none',
    pathParameters: { nextauth: { schema: z.string(), description: 'The next-auth action, e.g. `session`, `csrf`, `providers`, `signout`.' } },
    responses: { 200: { description: 'As next-auth answers.', body: { kind: 'binary', contentTypes: ['application/json', 'text/html'], description: 'next-auth\'s own response.' } } },
    errors: [],
  },
  {
    route: '/api/auth/[...nextauth]',
    method: 'post',
    operationId: 'authPost',
    tag: 'Sign-in',
    summary: 'next-auth: sign in with e-mail and password, sign out',
    description: 'Form posts of the web pages (`/api/auth/callback/credentials`, `/api/auth/signout`), CSRF-protected.',
    auth: 'none',
    pathParameters: { nextauth: { schema: z.string(), description: 'The next-auth action, e.g. `callback/credentials`, `signout`.' } },
    requestBody: { kind: 'binary', required: true, contentTypes: ['application/x-www-form-urlencoded'], description: 'next-auth\'s form fields (csrfToken, email, password).' },
    responses: { 200: { description: 'As next-auth answers.' }, 302: { description: 'A redirect after signing in or out.' } },
    errors: [],
  },
  {
    route: '/submissions/jsroot.min.js',
    method: 'get',
    operationId: 'getJsroot',
    tag: 'Static files',
    summary: 'JSROOT\'s browser bundle for the submission plots',
    auth: 'none',
    responses: { 200: { description: 'The script.', body: { kind: 'binary', contentTypes: ['text/javascript'], description: 'jsroot.min.js of the installed jsroot package.' } } },
    errors: [],
  },
  {
    route: '/tfjs-wasm/[file]',
    method: 'get',
    operationId: 'getTfjsWasm',
    tag: 'Static files',
    summary: 'TF.js WASM binaries for the browser baseline',
    auth: 'none',
    pathParameters: { file: { schema: z.string(), description: 'A .wasm file of @tensorflow/tfjs-backend-wasm.' } },
    responses: { 200: { description: 'The binary.', body: { kind: 'binary', contentTypes: ['application/wasm'], description: 'WebAssembly.' } }, 404: { description: 'No such file.' } },
    errors: [],
  },
  {
    route: '/api/test/clock',
    method: 'post',
    operationId: 'setTestClock',
    tag: 'Testing',
    summary: 'Move the platform clock (end-to-end tests only)',
    description: 'Exists only when the server runs with ARENA_TEST_CLOCK=true; everywhere else it answers 404.',
    auth: 'none',
    requestBody: { ...json(testClockBodySchema), required: true },
    responses: { 200: { description: 'The platform time now.', body: json(testClockResponseSchema) } },
    errors: ['BAD_REQUEST', 'NOT_FOUND'],
  },
];

/** `/api/v1/challenges/[slug]` → `/api/v1/challenges/{slug}` (a catch-all `[...x]` becomes `{x}`). */
export function toOpenApiPath(route: string): string {
  return route.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, '{$1}');
}
