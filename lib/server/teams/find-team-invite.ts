import 'server-only';
import { and, count, eq } from 'drizzle-orm';
import { challenges, teamMembers, teams, users } from '@/db/schema';
import type { TeamInviteDto } from '@/lib/shared/dto/team-dto';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';

/**
 * The team an invite code (or a pasted invite link) leads to, for the signed-in person who opened it: its name, its
 * challenge, its owner and its size, so the page can say whom they are joining. Null for a code no team has (a
 * rotated or mistyped one); the code itself is the secret, so nothing more is said then.
 */
export async function findTeamInvite(ctx: ServiceContext, codeOrLink: string): Promise<TeamInviteDto | null> {
  assertSignedIn(ctx);
  const code = /[?&]invite=([A-Za-z0-9_-]+)/.exec(codeOrLink)?.[1] ?? codeOrLink.trim();
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(code)) return null;
  const [found] = await ctx.db
    .select({ id: teams.id, name: teams.name, slug: challenges.slug, title: challenges.title, publishedAt: challenges.publishedAt })
    .from(teams)
    .innerJoin(challenges, eq(challenges.id, teams.challengeId))
    .where(eq(teams.inviteCode, code))
    .limit(1);
  if (!found || !found.publishedAt) return null;
  const [owner] = await ctx.db
    .select({ name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, found.id), eq(teamMembers.role, 'owner')))
    .limit(1);
  const [size] = await ctx.db.select({ n: count() }).from(teamMembers).where(eq(teamMembers.teamId, found.id));
  return { teamName: found.name, challengeSlug: found.slug, challengeTitle: found.title, ownerName: owner?.name ?? null, memberCount: size?.n ?? 0 };
}
