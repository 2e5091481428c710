import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { teamMembers, users, type Team } from '@/db/schema';
import type { TeamDto } from '@/lib/shared/dto/team-dto';

/** Builds a team's DTO for one viewer: the invite code is included only when the viewer is a member. */
export async function readTeamDto(db: Pick<Database, 'select'>, team: Team, challengeSlug: string, viewerId: string | null): Promise<TeamDto> {
  const rows = await db
    .select({ userId: teamMembers.userId, role: teamMembers.role, joinedAt: teamMembers.joinedAt, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, team.id))
    .orderBy(asc(teamMembers.joinedAt));
  const ordered = [...rows.filter((r) => r.role === 'owner'), ...rows.filter((r) => r.role !== 'owner')];
  const isMember = viewerId !== null && rows.some((r) => r.userId === viewerId);
  return {
    id: team.id,
    name: team.name,
    challengeSlug,
    createdAt: team.createdAt.toISOString(),
    isOwner: viewerId !== null && rows.some((r) => r.userId === viewerId && r.role === 'owner'),
    inviteCode: isMember ? team.inviteCode : null,
    invitePath: isMember ? `/challenges/${challengeSlug}/team?invite=${team.inviteCode}` : null,
    members: ordered.map((r) => ({
      name: r.name,
      role: r.role === 'owner' ? 'owner' : 'member',
      joinedAt: r.joinedAt.toISOString(),
      isYou: r.userId === viewerId,
    })),
  };
}
