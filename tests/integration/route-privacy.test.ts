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
import * as apiSchemas from '@/lib/shared/api/api-schemas';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTopTaggingModelChallenge } from '../support/challenge-factories';
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
let modelSlug: string;
let modelSubmissionId: string;
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

  // A model-track challenge of the same organiser: hidden test features, a server-only variation, one scored model.
  modelSlug = (await createTopTaggingModelChallenge(processDb, routeDataDir, { slug: 'privacy-models' }, { trainJets: 100, testJets: 120 })).slug;
  await processDb.db.update(challenges).set({ createdBy: user('organiser').id }).where(eq(challenges.slug, modelSlug));
  const model = new Uint8Array(fs.readFileSync(path.resolve('tests/fixtures/models/onnx-logistic.onnx')));
  modelSubmissionId = (await createSubmission(ctxOf('owner'), { challengeSlug: modelSlug, fileName: 'model.onnx', body: model })).id;
  await scoreSubmission({ db: processDb.db, dataDir: routeDataDir }, modelSubmissionId);
}, 120_000);

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
  'app/api/v1/challenges/[slug]/leaderboard/mine/route.ts': 'leaderboards',
  'app/api/v1/public-boards/[slug]/[phase]/[split]/route.ts': 'leaderboards',
  'app/(site)/challenges/[slug]/leaderboard/export/route.ts': 'leaderboards',
  'app/api/v1/challenges/[slug]/submissions/route.ts': 'uploads',
  'app/api/v1/submissions/[id]/route.ts': 'submission results',
  'app/api/v1/submissions/[id]/predictions/route.ts': 'model predictions, organisers only',
  'app/api/v1/me/submissions/route.ts': 'submission results',
  'app/api/v1/me/submissions/status/route.ts': 'submission results',
  'app/(site)/submissions/export/route.ts': 'submission results',
  'app/tfjs-wasm/[file]/route.ts': 'static TF.js WASM binaries, public',
  'app/(site)/submissions/jsroot.min.js/route.ts': 'static JSROOT bundle, public',
  'app/api/datasets/[dataset]/[version]/files/[file]/route.ts': 'dataset catalogue',
  'app/api/datasets/[dataset]/[version]/histograms/route.ts': 'dataset catalogue',
  'app/api/datasets/[dataset]/[version]/display/route.ts': 'dataset catalogue',
  'app/api/v1/challenges/[slug]/starting-kit.ipynb/route.ts': 'starting kit and API document of a draft',
  'app/api/v1/openapi.json/route.ts': 'starting kit and API document of a draft',
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

  it('serves no test features of a model phase but to its organisers, and a server-only variation to no one', async () => {
    const routes = [await import('@/app/api/challenges/[slug]/files/[file]/route'), await import('@/app/api/v1/challenges/[slug]/files/[file]/route')];
    const mayOrganise = (role: Role) => role === 'organiser' || role === 'admin';
    for (const route of routes) {
      for (const role of roles) {
        const status = async (file: string) => (await call(role, 'GET', `/api/v1/challenges/${modelSlug}/files/${file}`, route as Route, { slug: modelSlug, file })).status;
        for (const file of ['test.arrow', 'test.csv', 'test@ces_up.arrow', 'test@cpos.csv']) {
          expect(await status(file), `${role} ${file}`).toBe(role === 'anonymous' ? 401 : mayOrganise(role) ? 200 : 404);
        }
        for (const file of ['test@hidden_ces.arrow', 'test@hidden_ces.csv', 'truth@hidden_ces.arrow', 'truth.arrow']) {
          expect(await status(file), `${role} ${file}`).toBe(role === 'anonymous' ? 401 : 404);
        }
        expect(await status('train.arrow'), role).toBe(role === 'anonymous' ? 401 : 200);
      }
    }
    // Nor are they listed: the challenge resource names the training set and the model input, no test file.
    const one = await import('@/app/api/v1/challenges/[slug]/route');
    for (const role of roles.filter((r) => !mayOrganise(r))) {
      const body = await (await call(role, 'GET', `/api/v1/challenges/${modelSlug}`, one as Route, { slug: modelSlug })).text();
      expect(body, role).not.toMatch(/"test(@[a-z_]+)?\.(arrow|csv|parquet)"/);
      expect(body, role).toContain('train.arrow');
    }
  });

  it("serves a model run's per-event predictions to the challenge's organisers only, never to the participant", async () => {
    const route = await import('@/app/api/v1/submissions/[id]/predictions/route');
    const expected: Record<Role, number> = { anonymous: 401, owner: 404, teammate: 404, participant: 404, organiser: 200, otherOrganiser: 404, admin: 200 };
    for (const role of roles) {
      const response = await call(role, 'GET', `/api/v1/submissions/${modelSubmissionId}/predictions`, route as Route, { id: modelSubmissionId });
      expect([role, response.status]).toEqual([role, expected[role]]);
      if (response.status === 200) expect((await response.text()).split('\n')[0]).toBe('variation,id,score');
    }
    // A predictions-file submission has none.
    const none = await call('organiser', 'GET', `/api/v1/submissions/${submissionId}/predictions`, route as Route, { id: submissionId });
    expect(none.status).toBe(404);
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

  it('dataset catalogue: never serves a truth file, hides a private version from everyone but its owner and admins, draws only training data', async () => {
    const files = await import('@/app/api/datasets/[dataset]/[version]/files/[file]/route');
    const histograms = await import('@/app/api/datasets/[dataset]/[version]/histograms/route');
    const display = await import('@/app/api/datasets/[dataset]/[version]/display/route');
    const { id: dataset, version } = { id: 'higgs-tautau-toy', version: '1.0.0' };
    // A version registered by the organiser's rescan is private until they publish it.
    const relative = path.join('datasets', 'route-private', '0.1.0');
    const { buildHiggsTautauToyDataset } = await import('@/lib/pipeline/toy/higgs-tautau-toy');
    await buildHiggsTautauToyDataset({ outDir: path.join(routeDataDir, relative), seed: 5, trainEvents: 200, testEvents: 50, version: '0.1.0' });
    const manifestFile = path.join(routeDataDir, relative, 'manifest.json');
    fs.writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), dataset: 'route-private' }));
    const { registerDatasetVersion } = await import('@/lib/server/datasets/register-dataset-version');
    await registerDatasetVersion(processDb.db, routeDataDir, relative, { ownerId: (await userOf('organiser')).id });
    for (const role of roles) {
      for (const file of ['truth.arrow', 'truth.csv', '../truth.arrow', 'manifest.json', '..%2Ftruth.arrow']) {
        const response = await call(role, 'GET', `/api/datasets/${dataset}/${version}/files/${file}`, files as Route, { dataset, version, file });
        expect([401, 404], `${role} ${file}`).toContain(response.status);
      }
      const train = await call(role, 'GET', `/api/datasets/${dataset}/${version}/files/train.csv`, files as Route, { dataset, version, file: 'train.csv' });
      expect(train.status, role).toBe(role === 'anonymous' ? 401 : 200);
      const histogram = await call(role, 'GET', `/api/datasets/${dataset}/${version}/histograms?feature=DER_mass_vis`, histograms as Route, { dataset, version });
      expect(histogram.status, role).toBe(200);
      const body = (await histogram.json()) as { table: string };
      expect(body.table).toBe('train');
      const events = await call(role, 'GET', `/api/datasets/${dataset}/${version}/display`, display as Route, { dataset, version });
      expect(events.status, role).toBe(200);
      expect(await events.text()).not.toMatch(/"(label|weight)"/);
      const canSeePrivate = role === 'organiser' || role === 'admin';
      for (const [route, url, params] of [
        [histograms, '/api/datasets/route-private/0.1.0/histograms?feature=PRI_met', { dataset: 'route-private', version: '0.1.0' }],
        [display, '/api/datasets/route-private/0.1.0/display', { dataset: 'route-private', version: '0.1.0' }],
        [files, '/api/datasets/route-private/0.1.0/files/train.csv', { dataset: 'route-private', version: '0.1.0', file: 'train.csv' }],
      ] as const) {
        const response = await call(role, 'GET', url, route as Route, params);
        const expected = canSeePrivate ? 200 : role === 'anonymous' && route === files ? 401 : 404;
        expect([role, url, response.status]).toEqual([role, url, expected]);
        // Answered as a missing dataset: the name asked for is echoed, but not listed among the available ones.
        if (response.status === 404) {
          const error = ((await response.json()) as { error: { message: string; details: { available: string[] } } }).error;
          expect(error.details.available).not.toContain('route-private');
          expect(error.message).toMatch(/^There is no dataset "route-private"; available datasets: /);
        }
      }
    }
  });

  it('serves the starting kit and the API document of a challenge exactly to those who can see the challenge (404 otherwise)', async () => {
    const draft = (await createToyChallenge(processDb, routeDataDir, { slug: 'privacy-draft' }, { trainEvents: 300, testEvents: 400 })).slug;
    await processDb.db.update(challenges).set({ createdBy: (await userOf('organiser')).id, publishedAt: null }).where(eq(challenges.slug, draft));
    const resource = await import('@/app/api/v1/challenges/[slug]/route');
    const kit = await import('@/app/api/v1/challenges/[slug]/starting-kit.ipynb/route');
    const openapi = await import('@/app/api/v1/openapi.json/route');
    for (const role of roles) {
      const expected = role === 'organiser' || role === 'admin' ? 200 : 404;
      const challenge = await call(role, 'GET', `/api/v1/challenges/${draft}`, resource as Route, { slug: draft });
      expect(challenge.status, role).toBe(expected);
      const notebook = await call(role, 'GET', `/api/v1/challenges/${draft}/starting-kit.ipynb`, kit as Route, { slug: draft });
      expect(notebook.status, `${role} notebook`).toBe(expected);
      const document = await call(role, 'GET', `/api/v1/openapi.json?challenge=${draft}`, openapi as Route, {});
      expect(document.status, `${role} openapi`).toBe(expected);
      if (expected === 404) {
        // The same answer as for a challenge that does not exist: nothing tells that a draft is there.
        const body = await notebook.json();
        const missing = await (await call(role, 'GET', '/api/v1/challenges/no-such-thing/starting-kit.ipynb', kit as Route, { slug: 'no-such-thing' })).json();
        expect(body.error.code).toBe('NOT_FOUND');
        expect(body.error.message.replace(draft, 'X')).toBe(missing.error.message.replace('no-such-thing', 'X'));
      } else {
        expect(notebook.headers.get('content-type')).toBe('application/x-ipynb+json');
        expect((await notebook.json()).nbformat).toBe(4);
      }
    }
    // The public challenge's kit and document, to anyone.
    expect((await call('anonymous', 'GET', `/api/v1/challenges/${slug}/starting-kit.ipynb`, kit as Route, { slug })).status).toBe(200);
    const published = await call('anonymous', 'GET', `/api/v1/openapi.json?challenge=${slug}`, openapi as Route, {});
    expect(published.status).toBe(200);
    expect((await published.json()).servers).toEqual([{ url: origin }]);
  });

  it('answers with the bodies its OpenAPI document describes (the zod schemas of lib/shared/api)', async () => {
    const get = async (path: string, route: Route, params: object, role: Role = 'owner') => {
      const response = await call(role, 'GET', path, route, params);
      return { status: response.status, body: await response.json() };
    };
    const list = await get('/api/v1/challenges', (await import('@/app/api/v1/challenges/route')) as Route, {});
    expect(list.body.length).toBeGreaterThan(0);
    for (const item of list.body) apiSchemas.challengeListItemSchema.strict().parse(item);
    apiSchemas.challengeResourceSchema.strict().parse((await get(`/api/v1/challenges/${slug}`, (await import('@/app/api/v1/challenges/[slug]/route')) as Route, { slug })).body);
    const board = await get(`/api/v1/challenges/${slug}/leaderboard`, (await import('@/app/api/v1/challenges/[slug]/leaderboard/route')) as Route, { slug });
    expect(apiSchemas.leaderboardSchema.strict().parse(board.body).rows.length).toBeGreaterThan(0);
    const detail = await get(`/api/v1/submissions/${submissionId}`, (await import('@/app/api/v1/submissions/[id]/route')) as Route, { id: submissionId });
    expect(apiSchemas.submissionDetailSchema.strict().parse(detail.body).status).toBe('scored');
    const mine = await get('/api/v1/me/submissions', (await import('@/app/api/v1/me/submissions/route')) as Route, {});
    for (const row of mine.body) apiSchemas.mySubmissionSchema.strict().parse(row);
    const missing = await get('/api/v1/challenges/no-such-thing', (await import('@/app/api/v1/challenges/[slug]/route')) as Route, { slug: 'no-such-thing' });
    expect(missing.status).toBe(404);
    apiSchemas.errorBodySchema.parse(missing.body);
    apiSchemas.healthSchema.strict().parse((await get('/api/health', (await import('@/app/api/health/route')) as Route, {}, 'anonymous')).body);
  });

  it('gives each caller only their own rows of a board (their team\'s too), never the private board before the close', async () => {
    const route = (await import('@/app/api/v1/challenges/[slug]/leaderboard/mine/route')) as Route;
    expect((await call('anonymous', 'GET', `/api/v1/challenges/${slug}/leaderboard/mine`, route, { slug })).status).toBe(401);
    for (const role of ['owner', 'teammate', 'participant', 'organiser', 'admin'] as const) {
      const response = await call(role, 'GET', `/api/v1/challenges/${slug}/leaderboard/mine`, route, { slug });
      expect(response.status, role).toBe(200);
      const mine = apiSchemas.myLeaderboardRowsSchema.strict().parse(await response.json());
      const expected = role === 'owner' || role === 'teammate' ? [submissionId] : [];
      expect(mine.rows.map((r) => r.submissionId), role).toEqual(expected);
      expect(mine.rows.every((r) => r.isYou && r.rank === 1)).toBe(true);
      const privateBoard = await call(role, 'GET', `/api/v1/challenges/${slug}/leaderboard/mine?split=private`, route, { slug });
      expect(privateBoard.status, `${role} private`).toBe(403);
    }
  });
});
