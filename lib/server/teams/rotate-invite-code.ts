import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { teamMembers, teams } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { createInviteCode } from './create-invite-code';
import { getTeamChallengeOrThrow } from './get-team-challenge-or-throw';
import { readTeamDto } from './read-team-dto';
import type { TeamDto } from '@/lib/shared/dto/team-dto';

const rotateInviteCodeInputSchema = z.object({ challengeSlug: z.string().min(1) });

/** Replaces the team's invite code (the old link stops working at once). Only the team's owner may. */
export async function rotateInviteCode(ctx: ServiceContext, input: unknown): Promise<TeamDto> {
  assertSignedIn(ctx);
  const { challengeSlug } = rotateInviteCodeInputSchema.parse(input);
  const loaded = await getTeamChallengeOrThrow(ctx, challengeSlug, { forChange: false });
  const [membership] = await ctx.db
    .select({ team: teams, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.challengeId, loaded.challenge.id), eq(teamMembers.userId, ctx.user.id)));
  if (!membership) throw new AppError('NOT_FOUND', 'You are not in a team in this challenge.');
  if (membership.role !== 'owner') throw new AppError('FORBIDDEN', `Only the owner of team "${membership.team.name}" can change its invite code.`);
  const [updated] = await ctx.db
    .update(teams)
    .set({ inviteCode: createInviteCode(), updatedAt: ctx.now() })
    .where(eq(teams.id, membership.team.id))
    .returning();
  if (!updated) throw new AppError('NOT_FOUND', `Team "${membership.team.name}" no longer exists.`);
  return readTeamDto(ctx.db, updated, loaded.definition.slug, ctx.user.id);
}
