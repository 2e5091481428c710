import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { teamMembers, teams } from '@/db/schema';

export type TeamOfUser = { id: string; name: string; memberIds: string[] };

/**
 * The user's team in a challenge with every member's id (owner first, then by joining order), or null when the
 * user competes alone. Accepts a transaction so callers can read it under their own lock.
 */
export async function findTeamOfUser(db: Pick<Database, 'select'>, challengeId: string, userId: string): Promise<TeamOfUser | null> {
  const [team] = await db
    .select({ id: teams.id, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.challengeId, challengeId), eq(teamMembers.userId, userId)))
    .limit(1);
  if (!team) return null;
  const members = await db
    .select({ userId: teamMembers.userId, role: teamMembers.role })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, team.id))
    .orderBy(asc(teamMembers.joinedAt));
  const ordered = [...members.filter((m) => m.role === 'owner'), ...members.filter((m) => m.role !== 'owner')];
  return { id: team.id, name: team.name, memberIds: ordered.map((m) => m.userId) };
}
