import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { maxFinalSelections } from '@/challenges/schema';
import { submissions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import { canOrganise } from '../challenges/can-organise';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { findTeamOfUser } from '../teams/find-team-of-user';
import { competitorCondition, type Competitor } from './count-competitor-submissions';
import { lockCompetitors } from './lock-competitors';
import { announceBoardChange } from '../leaderboards/announce-board-change';

const selectFinalSubmissionsInputSchema = z.object({
  challengeSlug: z.string().min(1),
  phaseKey: z.string().min(1),
  submissionIds: z.array(z.string()).max(100),
});

/**
 * Chooses which scored entries of the caller's team (or of the caller, without a team) go on a phase's private
 * board: at most `maxFinalSelections` (2); an empty list clears the choice, so the best public entry is used. The new
 * choice replaces the previous one in one transaction, under the same per-competitor lock as uploads, so two team
 * mates choosing at once leave one complete choice, never a mix. Refused once the phase has closed; somebody else's
 * submission is NOT_FOUND, exactly like one that does not exist.
 */
export async function selectFinalSubmissions(ctx: ServiceContext, input: unknown): Promise<{ challengeSlug: string; phaseKey: string; submissionIds: string[] }> {
  const { challengeSlug, phaseKey, submissionIds } = selectFinalSubmissionsInputSchema.parse(input);
  assertSignedIn(ctx);
  const user = ctx.user;
  const loaded = await getChallengeOrThrow(ctx.db, challengeSlug);
  if (!loaded.challenge.publishedAt && !canOrganise(user, loaded.challenge)) throw new AppError('NOT_FOUND', `There is no challenge "${challengeSlug}".`);
  const phase = loaded.phases.find((p) => p.key === phaseKey);
  if (!phase) throw new AppError('NOT_FOUND', `Challenge "${loaded.definition.title}" has no phase "${phaseKey}".`);
  if (toPhaseDto(phase, ctx.now()).state === 'closed') {
    throw new AppError(
      'PHASE_CLOSED',
      `Phase "${phase.title}" closed at ${phase.closesAt?.toISOString() ?? 'an earlier time'}; its final selection can no longer change.`,
      { closesAt: phase.closesAt?.toISOString() ?? null },
    );
  }

  const ids = [...new Set(submissionIds)];
  if (ids.length > maxFinalSelections) {
    throw new AppError('BAD_REQUEST', `Select at most ${maxFinalSelections} final submissions for "${phase.title}"; you chose ${ids.length}.`, {
      expected: `at most ${maxFinalSelections}`,
      found: String(ids.length),
    });
  }
  const notFound = (id: string) => new AppError('NOT_FOUND', `There is no submission "${id}" of yours in "${loaded.definition.title}".`);
  const malformed = ids.find((id) => !z.guid().safeParse(id).success);
  if (malformed !== undefined) throw notFound(malformed);

  const team = await findTeamOfUser(ctx.db, loaded.challenge.id, user.id);
  const competitor: Competitor = { userId: user.id, teamId: team?.id ?? null };
  const mine = competitorCondition(competitor);

  await ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, loaded.definition.slug);
    await lockCompetitors(tx, [phase.id], [competitor.teamId ?? competitor.userId]);
    const chosen = ids.length
      ? await tx
          .select({ id: submissions.id, phaseId: submissions.phaseId, status: submissions.status, isBaseline: submissions.isBaseline, fileName: submissions.fileName })
          .from(submissions)
          .where(and(inArray(submissions.id, ids), eq(submissions.challengeId, loaded.challenge.id), mine))
      : [];
    for (const id of ids) {
      const s = chosen.find((c) => c.id === id);
      if (!s) throw notFound(id);
      if (s.phaseId !== phase.id) throw new AppError('BAD_REQUEST', `Submission "${s.fileName}" (${id}) belongs to another phase than "${phase.title}".`);
      if (s.isBaseline) throw new AppError('BAD_REQUEST', `Submission "${s.fileName}" (${id}) is an organiser baseline, which is never ranked.`);
      if (s.status !== 'scored') {
        throw new AppError('BAD_REQUEST', `Submission "${s.fileName}" (${id}) is ${s.status}; only scored submissions can be selected as final.`, {
          expected: 'scored',
          found: s.status,
        });
      }
    }
    await tx.update(submissions).set({ isFinal: false }).where(and(eq(submissions.phaseId, phase.id), mine));
    if (ids.length) await tx.update(submissions).set({ isFinal: true }).where(inArray(submissions.id, ids));
  });
  return { challengeSlug: loaded.definition.slug, phaseKey: phase.key, submissionIds: ids };
}
