import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challenges } from '@/db/schema';
import type { DatabaseHandle } from '@/db/client';
import type { SessionUser } from '@/lib/server/context';
import { createApiToken } from '@/lib/server/api-tokens/create-api-token';
import { getChallengeOrThrow } from '@/lib/server/challenges/get-challenge-or-throw';
import { closePhase } from '@/lib/server/organiser/close-phase';
import { createChallengeDraft } from '@/lib/server/organiser/create-challenge-draft';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { createTeam } from '@/lib/server/teams/create-team';
import { joinTeam } from '@/lib/server/teams/join-team';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';

/**
 * Every route handler under app/, called as each kind of visitor: anonymous, the submitter, their team mate, another
 * participant, the challenge's organiser, an organiser of another challenge and an admin. Truth files are never
 * served, private scores never before the close (nor while another challenge scored on the same truth is open), and an
 * uploaded file's results only to its owner, team and organisers.
 */
// The route handlers build their context from the process database (lib/env): an embedded one for this suite.
const routeDataDir = makeDataDir();
process.env.DATABASE_URL = 'memory://';
process.env.DATA_DIR = routeDataDir;
process.env.NEXTAUTH_SECRET ??= 'route-privacy-suite-secret';

type Route = Partial<Record<'GET' | 'POST', (request: Request, segment: { params: Promise<never> }) => Promise<Response>>>;
type Role = 'anonymous' | 'owner' | 'teammate' | 'participant' | 'organiser' | 'otherOrganiser' | 'admin';
const roles: Role[] = ['anonymous', 'owner', 'teammate', 'participant', 'organiser', 'otherOrganiser', 'admin'];

let processDb: DatabaseHandle;
const usersByRole = new Map<Role, SessionUser>();
async function userOf(role: Role): Promise<SessionUser> {
  const user = usersByRole.get(role);
  if (!user) throw new Error(`no user for ${role}`);
  return user;
}
let slug: string;
let otherSlug: string;
let submissionId: string;
const tokens = new Map<Role, string>();
const origin = 'http://arena.test';

async function call(role: Role, method: 'GET' | 'POST', url: string, route: Route, params: object, body?: BodyInit): Promise<Response> {
  const handler = route[method];
  if (!handler) throw new Error(`route has no ${method}`);
  const token = tokens.get(role);
  const request = new Request(`${origin}${url}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body ? { body, duplex: 'half' } : {}),
  } as RequestInit);
  return handler(request, { params: Promise.resolve(params as never) });
}

beforeAll(async () => {
  const { getDatabase } = await import('@/lib/server/database');
  processDb = await getDatabase();
  const definition = await createToyChallenge(processDb, routeDataDir, { slug: 'privacy-toy' }, { trainEvents: 300, testEvents: 400 });
  slug = definition.slug;
  otherSlug = (await createToyChallenge(processDb, routeDataDir, { slug: 'privacy-other' }, { trainEvents: 300, testEvents: 400 })).slug;
  const users = new Map<Role, SessionUser>([
    ['owner', await createTestUser(processDb, 'participant', 'Owner')],
    ['teammate', await createTestUser(processDb, 'participant', 'Teammate')],
    ['participant', await createTestUser(processDb, 'participant', 'Stranger')],
    ['organiser', await createTestUser(processDb, 'organiser', 'Organiser')],
    ['otherOrganiser', await createTestUser(processDb, 'organiser', 'Other organiser')],
    ['admin', await createTestUser(processDb, 'admin', 'Admin')],
  ]);
  const user = (role: Role) => users.get(role) as SessionUser;
  for (const [role, u] of users) usersByRole.set(role, u);
  await processDb.db.update(challenges).set({ createdBy: user('organiser').id }).where(eq(challenges.slug, slug));
  await processDb.db.update(challenges).set({ createdBy: user('otherOrganiser').id }).where(eq(challenges.slug, otherSlug));
  for (const [role, u] of users) tokens.set(role, (await createApiToken(makeContext(processDb, routeDataDir, u, makeRecordingQueue()), { name: role })).token);

  const ctxOf = (role: Role) => makeContext(processDb, routeDataDir, user(role), makeRecordingQueue());
  const team = await createTeam(ctxOf('owner'), { challengeSlug: slug, name: 'Owners' });
  const code = (team as { inviteCode?: string | null }).inviteCode;
  if (!code) throw new Error('the team owner sees no invite code');
  await joinTeam(ctxOf('teammate'), { inviteCode: code });
  const folder = path.join(routeDataDir, 'datasets', definition.dataset.id, definition.dataset.version);
  const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
  const csv = ['id,score', ...ids.map((id, i) => `${id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n';
  const created = await createSubmission(ctxOf('owner'), { challengeSlug: slug, fileName: 'owner.csv', body: new TextEncoder().encode(csv) });
  submissionId = created.id;
  await scoreSubmission({ db: processDb.db, dataDir: routeDataDir }, submissionId);
});

afterAll(() => {
  fs.rmSync(routeDataDir, { recursive: true, force: true });
});

/** Route files → how this suite exercises them; a new route without an entry fails the first test. */
const covered: Record<string, string> = {
  'app/api/auth/[...nextauth]/route.ts': 'next-auth itself (sign-in is covered by the accounts suite and e2e)',
  'app/api/health/route.ts': 'public health check',
  'app/api/test/clock/route.ts': 'absent unless ARENA_TEST_CLOCK=true',
  'app/api/challenges/[slug]/files/[file]/route.ts': 'downloads',
  'app/api/v1/challenges/[slug]/files/[file]/route.ts': 'downloads',
  'app/api/v1/challenges/route.ts': 'listing',
  'app/api/v1/challenges/[slug]/route.ts': 'listing',
  'app/api/v1/challenges/[slug]/leaderboard/route.ts': 'leaderboards',
  'app/api/v1/public-boards/[slug]/[phase]/[split]/route.ts': 'leaderboards',
  'app/(site)/challenges/[slug]/leaderboard/export/route.ts': 'leaderboards',
  'app/api/v1/challenges/[slug]/submissions/route.ts': 'uploads',
  'app/api/v1/submissions/[id]/route.ts': 'submission results',
  'app/api/v1/me/submissions/route.ts': 'submission results',
  'app/api/v1/me/submissions/status/route.ts': 'submission results',
  'app/(site)/submissions/export/route.ts': 'submission results',
  'app/tfjs-wasm/[file]/route.ts': 'static TF.js WASM binaries, public',
  'app/(site)/submissions/jsroot.min.js/route.ts': 'static JSROOT bundle, public',
};

function listRouteFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listRouteFiles(full);
    return entry.name === 'route.ts' ? [path.relative(process.cwd(), full).split(path.sep).join('/')] : [];
  });
}

describe('route privacy matrix', () => {
  it('covers every route handler in app/', () => {
    expect(listRouteFiles('app').sort()).toEqual(Object.keys(covered).sort());
  });

  it('never serves a truth file, to anyone, under any name', async () => {
    const routes = [await import('@/app/api/challenges/[slug]/files/[file]/route'), await import('@/app/api/v1/challenges/[slug]/files/[file]/route')];
    for (const route of routes) {
      for (const role of roles) {
        for (const file of ['truth.arrow', 'truth.csv', '../truth.arrow', 'manifest.json', '..%2Ftruth.arrow']) {
          const response = await call(role, 'GET', `/api/v1/challenges/${slug}/files/${file}`, route as Route, { slug, file });
          expect([401, 404], `${role} ${file}`).toContain(response.status);
        }
        const test = await call(role, 'GET', `/api/v1/challenges/${slug}/files/test.csv`, route as Route, { slug, file: 'test.csv' });
        expect(test.status, role).toBe(role === 'anonymous' ? 401 : 200);
      }
    }
  });

  it('lists no truth file and no private number in the challenge resources', async () => {
    const list = await import('@/app/api/v1/challenges/route');
    const one = await import('@/app/api/v1/challenges/[slug]/route');
    for (const role of roles) {
      const listed = await (await call(role, 'GET', '/api/v1/challenges', list as Route, {})).text();
      expect(listed).toContain(slug);
      const body = await (await call(role, 'GET', `/api/v1/challenges/${slug}`, one as Route, { slug })).text();
      expect(body).not.toMatch(/truth/);
    }
  });

  it('refuses the private board to everyone while the phase is open, as page data and as an export', async () => {
    const board = await import('@/app/api/v1/challenges/[slug]/leaderboard/route');
    const exported = await import('@/app/(site)/challenges/[slug]/leaderboard/export/route');
    for (const role of roles) {
      const privateBoard = await call(role, 'GET', `/api/v1/challenges/${slug}/leaderboard?split=private`, board as Route, { slug });
      expect(privateBoard.status, role).toBe(403);
      const privateExport = await call(role, 'GET', `/challenges/${slug}/leaderboard/export?split=private&format=json`, exported as Route, { slug });
      expect(privateExport.status, role).toBe(403);
      const publicBoard = await call(role, 'GET', `/api/v1/challenges/${slug}/leaderboard`, board as Route, { slug });
      expect(publicBoard.status, role).toBe(200);
      const json = (await publicBoard.json()) as { split: string; rows: { submissionId: string }[] };
      expect(json.split).toBe('public');
      expect(json.rows.map((r) => r.submissionId)).toContain(submissionId);
    }
    // The visitors' cached copy (no session, no token) refuses and shows the same.
    const cached = await import('@/app/api/v1/public-boards/[slug]/[phase]/[split]/route');
    const cachedPrivate = await call('anonymous', 'GET', `/api/v1/public-boards/${slug}/_/private`, cached as Route, { slug, phase: '_', split: 'private' });
    expect(cachedPrivate.status).toBe(403);
    const cachedPublic = await call('anonymous', 'GET', `/api/v1/public-boards/${slug}/_/_`, cached as Route, { slug, phase: '_', split: '_' });
    expect(cachedPublic.status).toBe(200);
    expect(((await cachedPublic.json()) as { rows: { submissionId: string; isYou: boolean }[] }).rows.find((r) => r.submissionId === submissionId)?.isYou).toBe(false);
    const unpublished = await call('anonymous', 'GET', `/api/v1/public-boards/no-such-board/_/_`, cached as Route, { slug: 'no-such-board', phase: '_', split: '_' });
    expect(unpublished.status).toBe(404);
  });

  it('shows a submission only to its owner, their team and the challenge organisers, without private scores before the close', async () => {
    const route = await import('@/app/api/v1/submissions/[id]/route');
    // Strangers get 404, not 403: they learn nothing, not even that the submission exists.
    const expected: Record<Role, number> = { anonymous: 404, owner: 200, teammate: 200, participant: 404, organiser: 200, otherOrganiser: 404, admin: 200 };
    for (const role of roles) {
      const response = await call(role, 'GET', `/api/v1/submissions/${submissionId}`, route as Route, { id: submissionId });
      expect([role, response.status]).toEqual([role, expected[role]]);
      if (response.status !== 200) continue;
      const detail = (await response.json()) as { status: string; scores: Record<string, unknown>; privateScores: unknown; details: Record<string, unknown> };
      expect(detail.status).toBe('scored');
      expect(Object.keys(detail.scores)).toEqual(['public']);
      expect(detail.privateScores).toBeNull();
      expect(Object.keys(detail.details)).not.toContain('private');
    }
    const mine = await import('@/app/api/v1/me/submissions/route');
    for (const role of roles) {
      const response = await call(role, 'GET', '/api/v1/me/submissions', mine as Route, {});
      if (role === 'anonymous') {
        expect(response.status).toBe(401);
        continue;
      }
      const ids = ((await response.json()) as { id: string }[]).map((s) => s.id);
      expect(ids.includes(submissionId), role).toBe(role === 'owner' || role === 'teammate');
    }
    // The live status and the export follow only the caller's own and their team's entries; others are left out unnamed.
    const live = await import('@/app/api/v1/me/submissions/status/route');
    const exported = await import('@/app/(site)/submissions/export/route');
    for (const role of roles) {
      const status = await call(role, 'GET', `/api/v1/me/submissions/status?ids=${submissionId}`, live as Route, {});
      const csv = await call(role, 'GET', '/submissions/export?format=csv', exported as Route, {});
      if (role === 'anonymous') {
        expect([status.status, csv.status]).toEqual([401, 401]);
        continue;
      }
      const isMine = role === 'owner' || role === 'teammate';
      const followed = ((await status.json()) as { id: string; status: string }[]).map((s) => s.id);
      expect([role, followed]).toEqual([role, isMine ? [submissionId] : []]);
      expect([role, (await csv.text()).includes(submissionId)]).toEqual([role, isMine]);
    }
  });

  it('hides a truth still scored by an open challenge from the organiser of another challenge on the same data, after their own phase closed', async () => {
    // "privacy-other" is Other organiser's challenge on the very dataset version of "privacy-toy", which stays open.
    const other = makeContext(processDb, routeDataDir, await userOf('otherOrganiser'), makeRecordingQueue());
    const folder = path.join(routeDataDir, 'datasets', 'higgs-tautau-toy', '1.0.0');
    const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
    const csv = ['id,score', ...ids.map((id, i) => `${id},${((i * 104729) % 1000) / 1000}`)].join('\n') + '\n';
    const created = await createSubmission(other, { challengeSlug: otherSlug, fileName: 'probe.csv', body: new TextEncoder().encode(csv) });
    await scoreSubmission({ db: processDb.db, dataDir: routeDataDir }, created.id);
    await closePhase(other, { slug: otherSlug, phaseKey: 'open' });

    const route = await import('@/app/api/v1/submissions/[id]/route');
    for (const role of ['otherOrganiser', 'admin'] as const) {
      const response = await call(role, 'GET', `/api/v1/submissions/${created.id}`, route as Route, { id: created.id });
      expect(response.status).toBe(200);
      const detail = (await response.json()) as { scores: Record<string, unknown>; privateScores: unknown; details: Record<string, unknown>; privateHiddenReason: string };
      expect([role, Object.keys(detail.scores)]).toEqual([role, ['public']]);
      expect(detail.privateScores).toBeNull();
      expect(Object.keys(detail.details)).not.toContain('private');
      expect(detail.privateHiddenReason).toContain('every phase scored on the same hidden test set');
    }
    const board = await import('@/app/api/v1/challenges/[slug]/leaderboard/route');
    for (const role of roles) {
      const privateBoard = await call(role, 'GET', `/api/v1/challenges/${otherSlug}/leaderboard?split=private&phase=open`, board as Route, { slug: otherSlug });
      expect([role, privateBoard.status]).toEqual([role, 403]);
    }
    // Nor may an organiser attach a dataset that is not theirs: the attack starts with that step.
    await expect(
      createChallengeDraft(other, { ...(await getChallengeOrThrow(processDb.db, slug)).definition, slug: 'privacy-copy' }, 'definition'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { issues: [{ path: 'dataset.id' }] } });
  });

  it('takes uploads only from signed-in callers, and never into another challenge by an organiser of a different one as a baseline', async () => {
    const route = await import('@/app/api/v1/challenges/[slug]/submissions/route');
    const anonymous = await call('anonymous', 'POST', `/api/v1/challenges/${slug}/submissions?fileName=p.csv`, route as Route, { slug }, 'id,score\n');
    expect(anonymous.status).toBe(401);
    const foreignBaseline = await call('otherOrganiser', 'POST', `/api/v1/challenges/${slug}/submissions?fileName=p.csv&baseline=true`, route as Route, { slug }, 'id,score\n1,0.5\n');
    expect(foreignBaseline.status).toBe(403);
  });

  it('serves the test clock only when it is enabled, and the static assets to anyone', async () => {
    const clock = await import('@/app/api/test/clock/route');
    const response = await call('admin', 'POST', '/api/test/clock', clock as Route, {}, JSON.stringify({ at: null }));
    expect(response.status).toBe(404);
    const health = await import('@/app/api/health/route');
    expect((await call('anonymous', 'GET', '/api/health', health as Route, {})).status).toBe(200);
  });
});
