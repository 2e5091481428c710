import { z } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import { maxSubmissionDescriptionLength } from '@/lib/shared/submission-description';
import { DATASET_VERSION_PATTERN, DATASET_VERSION_RULE } from '@/lib/shared/dataset-version-label';

/**
 * The query string every page and route handler accepts, in one table: the web server (scripts/serve.ts) answers a
 * page request whose query breaks its entry with 400 and a message before anything renders, route handlers parse
 * theirs with {@link parseRouteQuery} (400 as JSON), and pages read the typed values from the same entry. Parameters
 * not listed are ignored (tracking parameters, cache busters); a listed one given twice is refused. The test
 * `tests/architecture/route-queries.test.ts` keeps the table complete: every page and route file of app/ has an entry.
 */
const optional = <T extends z.ZodType>(schema: T) => schema.optional();
const phaseKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'a phase key: lower-case letters, digits and dashes, at most 63 characters' });
const pageNumber = z
  .string()
  .regex(/^[1-9][0-9]{0,5}$/, { error: 'a page number: a whole number from 1 to 999999' })
  .transform(Number);
const split = z.enum(['public', 'private'], { error: '"public" or "private"' });
const boolean = z.enum(['true', 'false'], { error: '"true" or "false"' }).transform((v) => v === 'true');
const text = (max: number) => z.string().max(max, { error: `at most ${max} characters` });
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: 'a challenge slug: lower-case letters, digits and dashes' });
const versionLabel = z.string().regex(DATASET_VERSION_PATTERN, { error: `a dataset version: ${DATASET_VERSION_RULE}` });
const integerText = z.string().regex(/^[0-9]{1,15}$/, { error: 'a whole number ≥ 0' });
const decimalText = z.string().regex(/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/, { error: 'a decimal number' });
const submissionStatus = z.enum(['received', 'queued', 'scoring', 'scored', 'failed'], { error: 'one of received, queued, scoring, scored, failed' });
const uuidList = (max: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}(,[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}){0,${max - 1}}$`, 'i'), {
    error: `1 to ${max} submission ids (as printed at upload), separated by commas`,
  });
const submissionSource = z.enum(['upload', 'api', 'browser-baseline'], { error: 'one of upload, api, browser-baseline' });

/** An empty value counts as not given (a filter form sends `?status=` for "all"). */
const orEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Pages: their query is checked by the web server before anything renders (400 with a message). */
export const pageQueries = {
  '/': { welcome: orEmpty(boolean) },
  '/admin': { q: optional(text(200)) },
  '/challenges': {},
  '/challenges/[slug]': {},
  '/challenges/[slug]/data': {},
  '/challenges/[slug]/evaluation': {},
  '/challenges/[slug]/leaderboard': { phase: orEmpty(phaseKey), split: orEmpty(split), page: orEmpty(pageNumber) },
  '/challenges/[slug]/submit': {},
  '/challenges/[slug]/team': { invite: optional(text(100)) },
  '/challenges/[slug]/train': {},
  '/datasets': {},
  '/datasets/[dataset]': {},
  '/datasets/[dataset]/[version]': {},
  '/datasets/[dataset]/[version]/compare': { with: orEmpty(versionLabel) },
  '/datasets/[dataset]/[version]/display': { event: orEmpty(integerText) },
  '/datasets/[dataset]/[version]/explore': {},
  '/docs/api': { challenge: orEmpty(slug) },
  '/organise': {},
  '/organise/[slug]': {},
  '/organise/[slug]/submissions': {
    phase: orEmpty(phaseKey),
    status: orEmpty(submissionStatus),
    participant: orEmpty(text(200)),
    source: orEmpty(submissionSource),
    page: orEmpty(pageNumber),
  },
  '/organise/builds': {},
  '/organise/builds/[id]': {},
  '/organise/new': {},
  '/public-boards/[slug]/[phase]/[split]/[page]': {},
  '/settings': {},
  '/settings/tokens': {},
  '/sign-in': { callbackUrl: optional(text(2000)), error: optional(text(200)) },
  '/sign-up': {},
  '/submissions': { challenge: orEmpty(slug), status: orEmpty(submissionStatus) },
  '/submissions/[id]': {},
} as const satisfies Record<string, Record<string, z.ZodType>>;

/** Route handlers: each parses its own query with parseRouteQuery (400 as JSON). next-auth's own is not ours to check. */
export const handlerQueries = {
  '/api/auth/[...nextauth]': null,
  '/api/health': {},
  '/api/test/clock': {},
  '/api/challenges/[slug]/files/[file]': {},
  '/api/datasets/[dataset]/[version]/display': {},
  '/api/datasets/[dataset]/[version]/files/[file]': {},
  '/api/datasets/[dataset]/[version]/histograms': {
    feature: optional(text(200)),
    bins: orEmpty(integerText),
    min: orEmpty(decimalText),
    max: orEmpty(decimalText),
    variation: orEmpty(text(100)),
    feature2: orEmpty(text(200)),
    bins2: orEmpty(integerText),
    min2: orEmpty(decimalText),
    max2: orEmpty(decimalText),
  },
  '/api/v1/challenges': {},
  '/api/v1/challenges/[slug]': {},
  '/api/v1/challenges/[slug]/files/[file]': {},
  '/api/v1/challenges/[slug]/leaderboard': { phase: orEmpty(phaseKey), split: orEmpty(split) },
  '/api/v1/challenges/[slug]/leaderboard/mine': { phase: orEmpty(phaseKey), split: orEmpty(split) },
  '/api/v1/challenges/[slug]/starting-kit.ipynb': {},
  '/api/v1/challenges/[slug]/submissions': {
    fileName: optional(text(255)),
    description: optional(text(maxSubmissionDescriptionLength)),
    phase: orEmpty(phaseKey),
    baseline: orEmpty(boolean),
    source: orEmpty(z.enum(['browser-baseline'], { error: '"browser-baseline" (the training page\'s submissions) or nothing' })),
    kind: orEmpty(z.enum(['model', 'predictions'], { error: '"model" or "predictions"' })),
  },
  '/api/v1/me/submissions': { challenge: orEmpty(slug), status: orEmpty(submissionStatus) },
  '/api/v1/me/submissions/status': { ids: uuidList(50) },
  '/api/v1/openapi.json': { challenge: orEmpty(slug) },
  '/api/v1/public-boards/[slug]/[phase]/[split]': {},
  '/api/v1/submissions/[id]': {},
  '/api/v1/submissions/[id]/predictions': {},
  '/challenges/[slug]/leaderboard/export': { phase: orEmpty(phaseKey), split: orEmpty(split), format: orEmpty(z.enum(['csv', 'json'], { error: '"csv" or "json"' })) },
  '/submissions/export': { challenge: orEmpty(slug), status: orEmpty(submissionStatus), format: orEmpty(z.enum(['csv', 'json'], { error: '"csv" or "json"' })) },
  '/submissions/jsroot.min.js': {},
  '/tfjs-wasm/[file]': {},
} as const satisfies Record<string, Record<string, z.ZodType> | null>;

export const routeQueries = { ...pageQueries, ...handlerQueries };

export type RouteWithQuery = keyof typeof routeQueries;
type QueryShape<R extends RouteWithQuery> = (typeof routeQueries)[R] extends Record<string, z.ZodType> ? (typeof routeQueries)[R] : Record<string, never>;
export type RouteQuery<R extends RouteWithQuery> = z.infer<z.ZodObject<QueryShape<R>>>;

type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

/** The message of a refused query: which parameter, what it must be, what was found. */
export class QueryProblem {
  constructor(
    readonly parameter: string,
    readonly expected: string,
    readonly found: string,
  ) {}
  get message(): string {
    return `The query parameter "${this.parameter}" must be ${this.expected}; found ${JSON.stringify(this.found.length > 80 ? `${this.found.slice(0, 80)}…` : this.found)}.`;
  }
}

/** The problem with a query for `route`, or null when it is well-formed (also for routes that check nothing). */
export function findQueryProblem(route: RouteWithQuery, query: QueryInput): QueryProblem | null {
  const shape = routeQueries[route] as Record<string, z.ZodType> | null;
  if (!shape) return null;
  for (const [name, schema] of Object.entries(shape)) {
    const values = query instanceof URLSearchParams ? query.getAll(name) : ([] as string[]).concat(query[name] ?? []);
    if (values.length > 1) return new QueryProblem(name, 'given once', values.join('&'));
    const result = schema.safeParse(values[0]);
    if (!result.success) return new QueryProblem(name, result.error.issues[0]?.message ?? 'well-formed', values[0] ?? '');
  }
  return null;
}

/**
 * The typed query of `route`; a malformed one throws `AppError('BAD_REQUEST')` naming the parameter, what it must
 * be and what was found.
 */
export function parseRouteQuery<R extends RouteWithQuery>(route: R, query: QueryInput): RouteQuery<R> {
  const problem = findQueryProblem(route, query);
  if (problem) throw new AppError('BAD_REQUEST', problem.message, { column: problem.parameter, expected: problem.expected, found: problem.found });
  const shape = (routeQueries[route] ?? {}) as Record<string, z.ZodType>;
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const value = query instanceof URLSearchParams ? (query.get(name) ?? undefined) : ([] as string[]).concat(query[name] ?? [])[0];
    values[name] = schema.parse(value);
  }
  return values as RouteQuery<R>;
}

/** Whether a route is a page (checked by the web server) rather than a route handler. */
export function isPageRoute(route: RouteWithQuery): route is keyof typeof pageQueries {
  return route in pageQueries;
}

/** The route of a request path, matched against the table's patterns (`[slug]` one segment, `[...x]` the rest). */
export function matchRoute(pathname: string): RouteWithQuery | null {
  const segments = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  let best: { route: RouteWithQuery; score: number } | null = null;
  for (const route of Object.keys(routeQueries) as RouteWithQuery[]) {
    const pattern = route.split('/').filter(Boolean);
    const isCatchAll = pattern.at(-1)?.startsWith('[...') ?? false;
    if (isCatchAll ? segments.length < pattern.length : segments.length !== pattern.length) continue;
    let score = 0;
    let isMatch = true;
    for (let k = 0; k < pattern.length; k++) {
      const part = pattern[k] as string;
      if (part.startsWith('[')) continue;
      if (part !== segments[k]) {
        isMatch = false;
        break;
      }
      score++;
    }
    // Literal segments win over parameters (`/organise/new` over `/organise/[slug]`).
    if (isMatch && (!best || score > best.score)) best = { route, score };
  }
  return best?.route ?? null;
}
