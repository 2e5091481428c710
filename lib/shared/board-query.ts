/**
 * The query of a leaderboard address (`?phase=&split=&page=`) and, for visitors without a session, the path of its
 * cached copy (app/(public)/public-boards) with the rewrites of next.config.ts that lead there.
 */
export type BoardQuery = { phase: string | undefined; split: 'public' | 'private' | undefined; page: number };

const phaseKeyPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Pages of a board that are cached; later pages (and odd page values) are rendered per request. */
export const maxCachedBoardPage = 999;

/**
 * The query of a cached copy's path `/public-boards/<slug>/<phase>/<split>/<page>`, where `_` stands for "not given"
 * (no phase key or split can be `_`); null for a path the rewrites never produce.
 */
export function fromPublicBoardParams(params: { phase: string; split: string; page: string }): BoardQuery | null {
  const page = Number(params.page);
  if (!Number.isInteger(page) || page < 1 || page > maxCachedBoardPage || String(page) !== params.page) return null;
  if (params.phase !== '_' && !phaseKeyPattern.test(params.phase)) return null;
  if (params.split !== '_' && params.split !== 'public' && params.split !== 'private') return null;
  return {
    phase: params.phase === '_' ? undefined : params.phase,
    split: params.split === '_' ? undefined : params.split,
    page,
  };
}

/** One rule of next.config.ts `rewrites` (the subset of Next's `Rewrite` type used here). */
export type BoardRewrite = {
  source: string;
  destination: string;
  has?: Array<{ type: 'query'; key: string; value: string }>;
  missing: Array<{ type: 'query' | 'cookie' | 'header'; key: string }>;
};

const slugSegment = ':slug([a-z0-9][a-z0-9-]{1,62})';
const queryParams = {
  phase: { key: 'phase', pattern: '[a-z0-9][a-z0-9-]{0,62}', absent: '_' },
  split: { key: 'split', pattern: 'public|private', absent: '_' },
  page: { key: 'page', pattern: '[1-9][0-9]{0,2}', absent: '1' },
} as const;
/** next-auth's session cookie, plain or `__Secure-`, whole or split into `.0`, `.1`, … chunks. */
const sessionCookies = ['next-auth.session-token', 'next-auth.session-token.0', '__Secure-next-auth.session-token', '__Secure-next-auth.session-token.0'];

/** One rule per combination of the optional parameters, each either absent or well-formed. */
function rewritesFor(source: string, target: string, params: ReadonlyArray<(typeof queryParams)[keyof typeof queryParams]>, missing: BoardRewrite['missing']): BoardRewrite[] {
  return Array.from({ length: 2 ** params.length }, (_, mask) => {
    const present = params.filter((_, i) => mask & (1 << i));
    const absent = params.filter((_, i) => !(mask & (1 << i)));
    return {
      source,
      ...(present.length > 0 ? { has: present.map((p) => ({ type: 'query' as const, key: p.key, value: `(?<${p.key}>${p.pattern})` })) } : {}),
      missing: [...absent.map((p) => ({ type: 'query' as const, key: p.key })), ...missing],
      destination: `${target}/${params.map((p) => (present.includes(p) ? `:${p.key}` : p.absent)).join('/')}`,
    };
  });
}

/**
 * The rewrites that send a visitor's leaderboard request to the cached copy, evaluated by Next's router before any
 * code of ours runs:
 * - the page `/challenges/<slug>/leaderboard?phase=&split=&page=` → `/public-boards/<slug>/<phase>/<split>/<page>`,
 *   for every viewer: the board is computed and rendered once for all, and a signed-in viewer's page then fetches
 *   their own rows live (`/api/v1/challenges/<slug>/leaderboard/mine`) and marks or adds them, so their new score
 *   shows at once;
 * - the API `/api/v1/challenges/<slug>/leaderboard?phase=&split=` → `/api/v1/public-boards/<slug>/<phase>/<split>`,
 *   only without a session cookie and without an `Authorization` header (token holders get the live board).
 * Any other query (an unknown split, page 0, …) goes to the per-request route, which reads or refuses it as before.
 */
export function publicBoardRewrites(): BoardRewrite[] {
  const noSession = sessionCookies.map((key) => ({ type: 'cookie' as const, key }));
  return [
    // Every viewer, signed in or not: the page adds a signed-in viewer's own rows from a small live request.
    ...rewritesFor(`/challenges/${slugSegment}/leaderboard`, '/public-boards/:slug', [queryParams.phase, queryParams.split, queryParams.page], []),
    ...rewritesFor(`/api/v1/challenges/${slugSegment}/leaderboard`, '/api/v1/public-boards/:slug', [queryParams.phase, queryParams.split], [
      ...noSession,
      { type: 'header', key: 'authorization' },
    ]),
  ];
}
