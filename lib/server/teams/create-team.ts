import 'server-only';
import { z } from 'zod';
import { teamMembers, teams } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { adoptSoloSubmissions } from './adopt-solo-submissions';
import { createInviteCode } from './create-invite-code';
import { findTeamOfUser } from './find-team-of-user';
import { getTeamChallengeOrThrow } from './get-team-challenge-or-throw';
import { lockCompetitors } from '../submissions/lock-competitors';
import { readTeamDto } from './read-team-dto';
import type { TeamDto } from '@/lib/shared/dto/team-dto';
import { announceBoardChange } from '../leaderboards/announce-board-change';

const teamNameSchema = z
  .string()
  .trim()
  .min(2, { error: 'Team names need at least 2 characters.' })
  .max(60, { error: 'Team names are at most 60 characters.' })
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), { error: 'Team names cannot contain control characters.' });

const createTeamInputSchema = z.object({ challengeSlug: z.string().min(1), name: teamNameSchema });

/**
 * Creates a team in a challenge with the signed-in user as its owner and a fresh invite code. The owner's earlier
 * entries in phases still running become the team's (nothing changes for the limits: the team is just them).
 * A user is in at most one team per challenge; team names are unique per challenge.
 */
export async function createTeam(ctx: ServiceContext, input: unknown): Promise<TeamDto> {
  assertSignedIn(ctx);
  const { challengeSlug, name } = createTeamInputSchema.parse(input);
  const loaded = await getTeamChallengeOrThrow(ctx, challengeSlug, { forChange: true });
  const challengeId = loaded.challenge.id;
  const user = ctx.user;
  const existing = await findTeamOfUser(ctx.db, challengeId, user.id);
  if (existing) throw new AppError('CONFLICT', `You are already in team "${existing.name}" in this challenge; leave it before creating another.`);

  const team = await ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, loaded.definition.slug);
    const phaseIds = loaded.activePhases.map((p) => p.id);
    await lockCompetitors(tx, phaseIds, [user.id]);
    const [created] = await tx
      .insert(teams)
      .values({ challengeId, name, inviteCode: createInviteCode(), createdBy: user.id, createdAt: ctx.now(), updatedAt: ctx.now() })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new AppError('CONFLICT', `A team named "${name}" already exists in this challenge; choose another name.`, { column: 'name' });
    // The unique index (challenge, user) decides a race between two creations or a creation and a join.
    const [member] = await tx
      .insert(teamMembers)
      .values({ teamId: created.id, challengeId, userId: user.id, role: 'owner', joinedAt: ctx.now() })
      .onConflictDoNothing()
      .returning();
    if (!member) throw new AppError('CONFLICT', 'You joined or created another team in this challenge meanwhile; a participant is in at most one team per challenge.');
    await adoptSoloSubmissions(tx, { challengeId, userId: user.id, teamId: created.id, phaseIds, clearFinalSelection: false });
    return created;
  });
  return readTeamDto(ctx.db, team, loaded.definition.slug, user.id);
}
