import 'server-only';
import { and, eq } from 'drizzle-orm';
import { teamMembers, teams } from '@/db/schema';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { getTeamChallengeOrThrow } from './get-team-challenge-or-throw';
import { readTeamDto } from './read-team-dto';
import type { TeamDto } from '@/lib/shared/dto/team-dto';

/** The signed-in user's team in a challenge with its members and invite code, or null when they compete alone. */
export async function getMyTeam(ctx: ServiceContext, challengeSlug: string): Promise<TeamDto | null> {
  assertSignedIn(ctx);
  const loaded = await getTeamChallengeOrThrow(ctx, challengeSlug, { forChange: false });
  const [row] = await ctx.db
    .select({ team: teams })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.challengeId, loaded.challenge.id), eq(teamMembers.userId, ctx.user.id)));
  return row ? readTeamDto(ctx.db, row.team, loaded.definition.slug, ctx.user.id) : null;
}
