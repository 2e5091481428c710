import 'server-only';
import { and, eq, inArray, isNotNull, max, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { scores, submissions, teams, users } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import { type LeaderboardDto, type LeaderboardEntryDto, type MetricValueDto, toMetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import { getMetric, orientedValue } from '@/scoring/registry';
import { pairedTieGroups } from '@/scoring/tie-groups';
import { memoUntilTablesChange } from '../cache/memo-until-tables-change';
import { canOrganise } from '../challenges/can-organise';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toMetricColumns } from '../challenges/to-metric-columns';
import { getTruthReveal } from '../challenges/get-truth-reveal';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { findModelFigures } from '../models/find-model-figures';
import { type CachedBoard, getCachedBoard } from './leaderboard-cache';
import { findTeamOfUser } from '../teams/find-team-of-user';

type Entry = {
  submissionId: string;
  userId: string;
  /** Team id, or the user id for a participant without a team. */
  competitorKey: string;
  name: string;
  teamName: string | null;
  createdAt: Date;
  source: string;
  isFinal: boolean;
  isBaseline: boolean;
  values: Record<string, MetricValueDto>;
  robustness: Record<string, MetricValueDto>;
  publicPrimary: number | null;
};

const emptyValue: MetricValueDto = { value: null, ciLow: null, ciHigh: null };

/**
 * One row per participant or team: their best scored entry by the primary metric, in the metric's own direction
 * (from the scoring registry, never restated per challenge), with every value's bootstrap interval and, for
 * challenges with systematic variations, the robustness of each metric. Tie groups and rank intervals come from the
 * paired replicas of the primary metric. Entries without a primary value are never ranked; organiser baselines are
 * shown in place, marked, without a rank. The private board is served only once the phase has closed; it ranks each
 * competitor's selected final entries (up to two), or their best public entry when they selected none.
 */
export async function getLeaderboard(ctx: ServiceContext, input: LeaderboardInput): Promise<LeaderboardDto> {
  return forViewer(await loadBoard(ctx, input));
}

/** The board as one viewer sees it: each row marked "you" or not, without who owns it. */
function forViewer({ head, rows, isMine }: LoadedBoard): LeaderboardDto {
  return { ...head, rows: rows.map(({ ownerUserId, competitorKey, ...row }) => ({ ...row, isYou: isMine(ownerUserId, competitorKey) })) };
}

/**
 * Only the viewer's own rows of a board (their entries, or their team's), live: what a signed-in participant's page
 * adds to the copy of the board that every viewer shares, so that their own new score shows at once and is marked.
 * Empty for a viewer without rows; the same privacy rules as the whole board (a private board before the close is
 * refused).
 */
export async function getMyLeaderboardRows(ctx: ServiceContext, input: LeaderboardInput): Promise<{ phaseKey: string; split: 'public' | 'private'; rows: LeaderboardDto['rows'] }> {
  const board = await loadBoard(ctx, input);
  const rows = board.rows.filter((row) => board.isMine(row.ownerUserId, row.competitorKey));
  return { phaseKey: board.head.phaseKey, split: board.head.split, rows: forViewer({ ...board, rows }).rows };
}

/** Each row of a board as JSON, marked not "you", serialised once per board. */
const rowJsonOfBoard = new WeakMap<CachedBoard, string[]>();
/** The last JSON answer for viewers who own no row of a board, kept with the board it came from. */
const bodyOfBoard = new WeakMap<CachedBoard, { headJson: string; body: Uint8Array<ArrayBuffer> }>();
const utf8 = new TextEncoder();

function rowJsonsOf(rows: CachedBoard): string[] {
  let json = rowJsonOfBoard.get(rows);
  if (!json) {
    json = rows.map(({ ownerUserId: _owner, competitorKey: _competitor, ...row }) => JSON.stringify({ ...row, isYou: false }));
    rowJsonOfBoard.set(rows, json);
  }
  return json;
}

/**
 * The board as UTF-8 JSON, exactly `JSON.stringify(getLeaderboard(...))`. Each row is serialised once per board; a
 * viewer's answer re-serialises only their own rows (marked "you") and splices them in. For a viewer who owns no row
 * (every visitor, most participants) the whole answer is encoded once per board and phase state and then reused: at
 * 10 000 entries that text is most of the cost of an API request.
 */
export async function getLeaderboardJson(ctx: ServiceContext, input: LeaderboardInput): Promise<Uint8Array<ArrayBuffer>> {
  const board = await loadBoard(ctx, input);
  const { head, rows, isMine } = board;
  const headJson = JSON.stringify(head);
  const open = `${headJson.slice(0, -1)},"rows":[`;
  const rowJsons = rowJsonsOf(rows);
  if (rows.some((row) => isMine(row.ownerUserId, row.competitorKey))) {
    const parts = rows.map(({ ownerUserId, competitorKey, ...row }, i) => (isMine(ownerUserId, competitorKey) ? JSON.stringify({ ...row, isYou: true }) : (rowJsons[i] as string)));
    return utf8.encode(`${open}${parts.join(',')}]}`);
  }
  const cached = bodyOfBoard.get(rows);
  if (cached?.headJson === headJson) return cached.body;
  const body = utf8.encode(`${open}${rowJsons.join(',')}]}`);
  bodyOfBoard.set(rows, { headJson, body });
  return body;
}

/** Whether any row of a board belongs to a team (computed once per board). */
const teamRowsOfBoard = new WeakMap<CachedBoard, boolean>();
function teamRowsOf(rows: CachedBoard): boolean {
  let has = teamRowsOfBoard.get(rows);
  if (has === undefined) {
    has = rows.some((row) => row.teamName !== null);
    teamRowsOfBoard.set(rows, has);
  }
  return has;
}

type LeaderboardInput = { challengeSlug: string; phaseKey?: string; split?: 'public' | 'private' };
type LoadedBoard = { head: Omit<LeaderboardDto, 'rows'>; rows: CachedBoard; isMine: (ownerUserId: string, competitorKey: string) => boolean };

async function loadBoard(ctx: ServiceContext, input: LeaderboardInput): Promise<LoadedBoard> {
  const loaded = await getChallengeOrThrow(ctx.db, input.challengeSlug);
  if (!loaded.challenge.publishedAt && !canOrganise(ctx.user, loaded.challenge)) {
    throw new AppError('NOT_FOUND', `There is no challenge "${input.challengeSlug}".`);
  }
  const now = ctx.now();
  const phase = input.phaseKey
    ? loaded.phases.find((p) => p.key === input.phaseKey)
    : (loaded.phases.find((p) => toPhaseDto(p, now).state === 'open') ?? loaded.phases.filter((p) => p.opensAt <= now).at(-1) ?? loaded.phases[0]);
  if (!phase) throw new AppError('NOT_FOUND', `Challenge "${input.challengeSlug}" has no phase "${input.phaseKey ?? ''}".`);
  const isPhaseClosed = toPhaseDto(phase, now).state === 'closed';
  const reveal = isPhaseClosed ? await getTruthReveal(ctx.db, loaded.challenge, now) : null;
  const isPrivateRevealed = reveal?.isRevealed === true;
  const split = input.split ?? 'public';
  if (split === 'private' && !isPrivateRevealed) {
    const when = phase.closesAt ? ` at ${phase.closesAt.toISOString()}` : '';
    throw new AppError(
      'FORBIDDEN',
      isPhaseClosed
        ? `The private leaderboard of "${phase.title}" is revealed when every phase scored on the same hidden test set has closed; another one is still open.`
        : `The private leaderboard of "${phase.title}" is revealed when the phase closes${when}.`,
    );
  }
  const metrics = toMetricColumns(loaded.definition);
  const primary = metrics[0];
  if (!primary) throw new AppError('INTERNAL', `Challenge "${input.challengeSlug}" has no metrics.`);
  const variations = loaded.definition.scoring.variations.map((v) => ({ name: v.name, label: v.label }));
  const robustnessMetrics = variations.length > 0 ? metrics : [];

  // The board is the same for every viewer except for "you": computed once per change of the phase's newest score.
  // Its marker, the phase's newest score, is kept until submissions is written (see memoUntilTablesChange).
  const fresh = await memoUntilTablesChange('board-freshness', phase.id, ['submissions'], async () => {
    const [found] = await ctx.db
      .select({ last: max(submissions.finishedAt) })
      .from(submissions)
      .where(and(eq(submissions.phaseId, phase.id), eq(submissions.status, 'scored')));
    return found;
  });
  const key = `${phase.id}:${split}:${loaded.challenge.revision}`;
  const marker = `${fresh?.last?.getTime() ?? 0}`;
  const rows = await getCachedBoard(key, marker, () => computeRows(ctx, { phaseId: phase.id, split, metrics, robustnessMetrics, primaryId: primary.id }));
  // The viewer's team matters only when a team has a row here (asked live, so a join shows at once); most boards
  // and most viewers need no team lookup at all, which is most of what a signed-in request costs on a busy board.
  const hasTeamRows = teamRowsOf(rows);
  const myTeam = ctx.user && hasTeamRows ? await findTeamOfUser(ctx.db, loaded.challenge.id, ctx.user.id) : null;
  const isMine = (ownerUserId: string, competitorKey: string) => ctx.user !== null && (ownerUserId === ctx.user.id || (myTeam !== null && competitorKey === myTeam.id));
  return {
    head: {
      challengeSlug: loaded.definition.slug,
      phaseKey: phase.key,
      phaseTitle: phase.title,
      phases: loaded.phases.map((p) => ({ key: p.key, title: p.title, state: toPhaseDto(p, now).state })),
      split,
      isPrivateRevealed,
      metrics,
      robustnessMetrics,
      variations,
    },
    rows,
    isMine,
  };
}

/** The viewer-independent rows of one board (the expensive part), from each competitor's candidate entries. */
async function computeRows(
  ctx: ServiceContext,
  input: { phaseId: string; split: 'public' | 'private'; metrics: MetricColumnDto[]; robustnessMetrics: MetricColumnDto[]; primaryId: string },
): Promise<CachedBoard> {
  const { split, metrics, robustnessMetrics, primaryId } = input;
  const primaryMetric = getMetric(primaryId);
  const entryCountById = await findCandidates(ctx, { phaseId: input.phaseId, split, primaryId });
  if (entryCountById.size === 0) return [];
  // Only the current scoring version's rows (older versions stay stored after a rescore).
  const rows = await ctx.db
    .select({
      submissionId: submissions.id,
      userId: submissions.userId,
      userName: users.name,
      teamId: submissions.teamId,
      teamName: teams.name,
      createdAt: submissions.createdAt,
      source: submissions.source,
      isFinal: submissions.isFinal,
      isBaseline: submissions.isBaseline,
      split: scores.split,
      variation: scores.variation,
      metric: scores.metric,
      value: scores.value,
      ciLow: scores.ciLow,
      ciHigh: scores.ciHigh,
    })
    // Driven by the candidate ids (one array parameter): each is looked up by its key, whatever the planner's
    // statistics say (the embedded database never gathers them by itself).
    .from(sql`unnest(${`{${[...entryCountById.keys()].join(',')}}`}::uuid[]) as candidate(id)`)
    .innerJoin(submissions, sql`${submissions.id} = candidate.id`)
    .innerJoin(users, eq(users.id, submissions.userId))
    .leftJoin(teams, eq(teams.id, submissions.teamId))
    .innerJoin(scores, and(eq(scores.submissionId, submissions.id), eq(scores.scoringVersion, submissions.scoredVersion)))
    .where(
      and(
        inArray(scores.split, split === 'public' ? ['public'] : ['public', 'private']),
        inArray(scores.variation, ['nominal', 'systematics']),
      ),
    );

  const bySubmission = new Map<string, Entry>();
  for (const row of rows) {
    let entry = bySubmission.get(row.submissionId);
    if (!entry) {
      entry = {
        submissionId: row.submissionId,
        userId: row.userId,
        competitorKey: row.teamId ?? row.userId,
        name: row.teamName ?? row.userName,
        teamName: row.teamName,
        createdAt: row.createdAt,
        source: row.source,
        isFinal: row.isFinal,
        isBaseline: row.isBaseline,
        values: {},
        robustness: {},
        publicPrimary: null,
      };
      bySubmission.set(row.submissionId, entry);
    }
    if (row.split === 'public' && row.variation === 'nominal' && row.metric === primaryId) entry.publicPrimary = row.value;
    if (row.split !== split) continue;
    const value = toMetricValueDto(row.value, row.ciLow, row.ciHigh);
    if (row.variation === 'nominal') entry.values[row.metric] = value;
    else entry.robustness[row.metric] = value;
  }

  const primaryOf = (e: Entry) => e.values[primaryId]?.value ?? null;
  // Better value first in the metric's own direction; on a tie the earlier submission wins.
  const compareBy = (valueOf: (e: Entry) => number | null) => (a: Entry, b: Entry) =>
    orientedValue(primaryMetric, valueOf(b) ?? 0) - orientedValue(primaryMetric, valueOf(a) ?? 0) || a.createdAt.getTime() - b.createdAt.getTime();
  const compare = compareBy(primaryOf);

  const entriesByCompetitor = new Map<string, Entry[]>();
  const baselines: Entry[] = [];
  for (const entry of bySubmission.values()) {
    // An entry without the primary score is never ranked.
    if (primaryOf(entry) === null) continue;
    if (entry.isBaseline) {
      baselines.push(entry);
      continue;
    }
    const list = entriesByCompetitor.get(entry.competitorKey) ?? [];
    list.push(entry);
    entriesByCompetitor.set(entry.competitorKey, list);
  }
  const best: Array<{ entry: Entry; selection: LeaderboardEntryDto['selection']; count: number }> = [];
  for (const list of entriesByCompetitor.values()) {
    let candidates = list;
    let selection: LeaderboardEntryDto['selection'] = null;
    if (split === 'private') {
      const selected = list.filter((e) => e.isFinal);
      if (selected.length > 0) {
        candidates = selected;
        selection = 'selected';
      } else {
        const bestPublic = [...list].filter((e) => e.publicPrimary !== null).sort(compareBy((e) => e.publicPrimary))[0];
        candidates = bestPublic ? [bestPublic] : [];
        selection = 'best-public';
      }
    }
    const top = [...candidates].sort(compare)[0];
    if (top) best.push({ entry: top, selection, count: entryCountById.get(top.submissionId) ?? list.length });
  }
  best.sort((a, b) => compare(a.entry, b.entry));

  // Replicas only for the ranked entries (one per competitor), not for every submission of the phase.
  const replicasBySubmission = new Map<string, number[] | null>();
  if (best.length > 0) {
    const replicaRows = await ctx.db
      .select({ submissionId: scores.submissionId, replicas: scores.replicas })
      .from(scores)
      .innerJoin(submissions, and(eq(submissions.id, scores.submissionId), eq(scores.scoringVersion, submissions.scoredVersion)))
      .where(
        and(
          inArray(scores.submissionId, best.map((b) => b.entry.submissionId)),
          eq(scores.split, split),
          eq(scores.variation, 'nominal'),
          eq(scores.metric, primaryId),
        ),
      );
    for (const r of replicaRows) replicasBySubmission.set(r.submissionId, r.replicas);
  }
  // Tie groups need every compared entry to share the same replicas (same count, same scoring version).
  const replicaCount = replicasBySubmission.get(best[0]?.entry.submissionId ?? '')?.length ?? 0;
  const comparable = best.filter((b) => (replicasBySubmission.get(b.entry.submissionId)?.length ?? 0) === replicaCount && replicaCount > 0);
  const groups = new Map(
    pairedTieGroups(
      comparable.map((b) => ({
        key: b.entry.submissionId,
        value: primaryOf(b.entry) ?? 0,
        replicaValues: Float64Array.from(replicasBySubmission.get(b.entry.submissionId) ?? []),
      })),
      primaryMetric.direction,
    ).map((g) => [g.key, g]),
  );

  const toRow = (e: Entry, rank: number | null, selection: LeaderboardEntryDto['selection'], count: number): CachedBoard[number] => ({
    ownerUserId: e.userId,
    competitorKey: e.competitorKey,
    rank,
    tieGroup: rank === null ? null : (groups.get(e.submissionId)?.group ?? null),
    rankInterval: rank === null ? null : (groups.get(e.submissionId)?.rankInterval ?? null),
    userName: e.name,
    teamName: e.teamName,
    isYou: false,
    isBaseline: e.isBaseline,
    selection,
    submissionId: e.submissionId,
    submittedAt: e.createdAt.toISOString(),
    entries: count,
    isBrowserBaseline: e.source === 'browser-baseline',
    values: Object.fromEntries(metrics.map((m) => [m.id, e.values[m.id] ?? emptyValue])),
    robustness: Object.fromEntries(robustnessMetrics.map((m) => [m.id, e.robustness[m.id] ?? emptyValue])),
  });
  const ranked = best.map((b, index) => toRow(b.entry, index + 1, b.selection, b.count));
  // Baselines sit where their value puts them, so participants see what they beat.
  const merged: CachedBoard = [];
  const sortedBaselines = baselines.sort(compare);
  let next = 0;
  for (const [index, b] of best.entries()) {
    while (next < sortedBaselines.length && compare(sortedBaselines[next] as Entry, b.entry) < 0) {
      merged.push(toRow(sortedBaselines[next] as Entry, null, null, 1));
      next++;
    }
    merged.push(ranked[index] as CachedBoard[number]);
  }
  for (; next < sortedBaselines.length; next++) merged.push(toRow(sortedBaselines[next] as Entry, null, null, 1));

  // Model submissions show their inference time per 1 000 events and size beside the metrics.
  const figures = await findModelFigures(ctx.db, merged.map((row) => row.submissionId));
  for (const row of merged) row.model = figures.get(row.submissionId) ?? null;
  return merged;
}

/**
 * The entries a board can show, found in the database rather than by reading every score of the phase (10 000
 * entries took over a second on the embedded database, all of it blocking the server): per competitor, the best
 * entry by public primary value among those scored on the board's split (the public board's row, and the private
 * board's fallback), every selected final, and every baseline, each mapped to its competitor's number of entries.
 * computeRows then picks the rows from these candidates by the same rules it applies to every entry.
 */
async function findCandidates(
  ctx: ServiceContext,
  input: { phaseId: string; split: 'public' | 'private'; primaryId: string },
): Promise<Map<string, number>> {
  const metric = getMetric(input.primaryId);
  const board = alias(scores, 'board_primary');
  const pub = alias(scores, 'public_primary');
  const onPrimary = (table: typeof board | typeof pub, split: 'public' | 'private') =>
    and(eq(table.submissionId, submissions.id), eq(table.scoringVersion, submissions.scoredVersion), eq(table.split, split), eq(table.variation, 'nominal'), eq(table.metric, input.primaryId));
  // The metric's own direction, as orientedValue() in the scoring registry: larger is better.
  const oriented: SQL =
    metric.target !== undefined ? sql`-abs(${pub.value} - ${metric.target})` : metric.direction === 'maximize' ? sql`${pub.value}` : sql`-${pub.value}`;
  const competitor = sql`coalesce(${submissions.teamId}, ${submissions.userId})`;
  const ranked = ctx.db
    .select({
      id: submissions.id,
      isFinal: submissions.isFinal,
      isBaseline: submissions.isBaseline,
      entries: sql<number>`count(*) over (partition by ${competitor}, ${submissions.isBaseline})`.as('entries'),
      place: sql<number>`row_number() over (partition by ${competitor}, ${submissions.isBaseline} order by ${oriented} desc nulls last, ${submissions.createdAt} asc)`.as('place'),
    })
    .from(submissions)
    .innerJoin(board, onPrimary(board, input.split))
    .leftJoin(pub, onPrimary(pub, 'public'))
    .where(and(eq(submissions.phaseId, input.phaseId), eq(submissions.status, 'scored'), isNotNull(board.value)))
    .as('ranked');
  const rows = await ctx.db
    .select({ id: ranked.id, entries: ranked.entries })
    .from(ranked)
    .where(sql`${ranked.place} = 1 or ${ranked.isFinal} or ${ranked.isBaseline}`);
  return new Map(rows.map((r) => [r.id, Number(r.entries)]));
}
