import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { challenges, teamMembers, teams } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { countCompetitorSubmissions } from '../submissions/count-competitor-submissions';
import { adoptSoloSubmissions } from './adopt-solo-submissions';
import { findTeamOfUser } from './find-team-of-user';
import { getTeamChallengeOrThrow } from './get-team-challenge-or-throw';
import { lockCompetitors } from '../submissions/lock-competitors';
import { readTeamDto } from './read-team-dto';
import type { TeamDto } from '@/lib/shared/dto/team-dto';
import { announceBoardChange } from '../leaderboards/announce-board-change';

/** The code alone, or the whole invite link (`…/team?invite=<code>`) pasted as it was shared. */
const inviteCodeSchema = z
  .string()
  .trim()
  .transform((text) => /[?&]invite=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? text)
  .pipe(z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { error: 'That is not an invite code: paste the code or the invite link the team owner shared.' }));

const joinTeamInputSchema = z.object({ inviteCode: inviteCodeSchema });

/**
 * Joins the team whose invite code is given. A participant is in at most one team per challenge (the unique index
 * on (challenge, user) decides concurrent joins). The joiner's entries made without a team in phases still running
 * become the team's, losing their own final selection; the join is refused when, in any such phase, the team's and
 * the joiner's non-failed entries together would exceed the phase's total limit, or today's daily limit.
 */
export async function joinTeam(ctx: ServiceContext, input: unknown): Promise<TeamDto> {
  assertSignedIn(ctx);
  const { inviteCode } = joinTeamInputSchema.parse(input);
  const user = ctx.user;
  const [found] = await ctx.db
    .select({ team: teams, slug: challenges.slug })
    .from(teams)
    .innerJoin(challenges, eq(challenges.id, teams.challengeId))
    .where(eq(teams.inviteCode, inviteCode))
    .limit(1);
  if (!found) throw new AppError('NOT_FOUND', 'No team has this invite code; ask the team owner for the current link (codes change when the owner rotates them).');
  const { team, slug } = found;
  const loaded = await getTeamChallengeOrThrow(ctx, slug, { forChange: true });
  const current = await findTeamOfUser(ctx.db, team.challengeId, user.id);
  if (current?.id === team.id) throw new AppError('CONFLICT', `You are already a member of team "${team.name}".`);
  if (current) throw new AppError('CONFLICT', `You are already in team "${current.name}" in this challenge; a participant is in at most one team per challenge. Leave it first.`);

  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, loaded.definition.slug);
    // The owner may have dissolved the team since it was found; the row lock also orders this join against that.
    const [still] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, team.id)).for('update');
    if (!still) throw new AppError('NOT_FOUND', `Team "${team.name}" no longer exists.`);
    const phaseIds = loaded.activePhases.map((p) => p.id);
    // Same locks as an upload of the team or of the joiner: no entry can land between the count and the move.
    await lockCompetitors(tx, phaseIds, [team.id, user.id]);
    for (const phase of loaded.activePhases) {
      const ofTeam = await countCompetitorSubmissions(tx, phase.id, { userId: user.id, teamId: team.id }, now);
      const ofJoiner = await countCompetitorSubmissions(tx, phase.id, { userId: user.id, teamId: null }, now);
      const total = ofTeam.total + ofJoiner.total;
      if (phase.maxTotal !== null && total > phase.maxTotal) {
        throw new AppError(
          'LIMIT_REACHED',
          `Joining would give team "${team.name}" ${total} submissions in "${phase.title}" (the team's ${ofTeam.total} and your ${ofJoiner.total}), more than its limit of ${phase.maxTotal}; failed submissions do not count.`,
          { phase: phase.key, teamSubmissions: ofTeam.total, yourSubmissions: ofJoiner.total, maxTotal: phase.maxTotal },
        );
      }
      const today = ofTeam.today + ofJoiner.today;
      if (today > phase.maxPerDay) {
        throw new AppError(
          'LIMIT_REACHED',
          `Joining would give team "${team.name}" ${today} submissions today in "${phase.title}" (the team's ${ofTeam.today} and your ${ofJoiner.today}), more than its daily limit of ${phase.maxPerDay}; try again after 00:00 UTC.`,
          { phase: phase.key, teamSubmissionsToday: ofTeam.today, yourSubmissionsToday: ofJoiner.today, maxPerDay: phase.maxPerDay },
        );
      }
    }
    const [member] = await tx
      .insert(teamMembers)
      .values({ teamId: team.id, challengeId: team.challengeId, userId: user.id, role: 'member', joinedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!member) throw new AppError('CONFLICT', 'You joined another team in this challenge meanwhile; a participant is in at most one team per challenge.');
    await adoptSoloSubmissions(tx, { challengeId: team.challengeId, userId: user.id, teamId: team.id, phaseIds, clearFinalSelection: true });
  });
  return readTeamDto(ctx.db, team, loaded.definition.slug, user.id);
}
