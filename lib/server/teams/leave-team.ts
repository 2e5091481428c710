import 'server-only';
import { and, count, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { submissions, teamMembers, teams } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { getTeamChallengeOrThrow } from './get-team-challenge-or-throw';
import { lockCompetitors } from '../submissions/lock-competitors';
import { announceBoardChange } from '../leaderboards/announce-board-change';

const leaveTeamInputSchema = z.object({ challengeSlug: z.string().min(1) });

/**
 * Leaves the signed-in user's team in a challenge. Entries are never taken away from a team, so a member whose
 * non-failed entries count for the team (its limits, final selection and board row) cannot leave; the owner leaves
 * last, and the owner leaving alone dissolves the team (their entries become their own again). Refused once the
 * challenge has ended.
 */
export async function leaveTeam(ctx: ServiceContext, input: unknown): Promise<{ teamName: string; isDissolved: boolean }> {
  assertSignedIn(ctx);
  const { challengeSlug } = leaveTeamInputSchema.parse(input);
  const user = ctx.user;
  const loaded = await getTeamChallengeOrThrow(ctx, challengeSlug, { forChange: true });
  return ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, loaded.definition.slug);
    const [membership] = await tx
      .select({ team: teams, role: teamMembers.role })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(and(eq(teamMembers.challengeId, loaded.challenge.id), eq(teamMembers.userId, user.id)))
      .for('update', { of: teams });
    if (!membership) throw new AppError('NOT_FOUND', 'You are not in a team in this challenge.');
    const { team, role } = membership;
    const [others] = await tx
      .select({ n: count() })
      .from(teamMembers)
      .where(and(eq(teamMembers.teamId, team.id), ne(teamMembers.userId, user.id)));
    const otherCount = others?.n ?? 0;
    if (role === 'owner') {
      if (otherCount > 0) {
        throw new AppError(
          'CONFLICT',
          `You own team "${team.name}" and ${otherCount} other member${otherCount === 1 ? ' is' : 's are'} still in it; the owner leaves last.`,
        );
      }
      // Waits for any upload of the team in flight, so no entry is recorded against a team that is gone.
      await lockCompetitors(tx, loaded.activePhases.map((p) => p.id), [team.id, user.id]);
      // Cascades to the membership; the team's entries (all the owner's) lose their team id and are theirs again.
      await tx.delete(teams).where(eq(teams.id, team.id));
      return { teamName: team.name, isDissolved: true };
    }
    const [entries] = await tx
      .select({ n: count() })
      .from(submissions)
      .where(and(eq(submissions.teamId, team.id), eq(submissions.userId, user.id), ne(submissions.status, 'failed')));
    const entryCount = entries?.n ?? 0;
    if (entryCount > 0) {
      throw new AppError(
        'CONFLICT',
        `Your ${entryCount} submission${entryCount === 1 ? '' : 's'} count${entryCount === 1 ? 's' : ''} for team "${team.name}" (its limits, final selection and leaderboard row), so you cannot leave it.`,
      );
    }
    // Failed uploads cost nothing; they go back to the leaver so the team's history lists only its members' work.
    await tx.update(submissions).set({ teamId: null }).where(and(eq(submissions.teamId, team.id), eq(submissions.userId, user.id)));
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, user.id)));
    return { teamName: team.name, isDissolved: false };
  });
}
