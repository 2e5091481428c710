import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents, users } from '@/db/schema';
import type { AuditEventDto } from '@/lib/shared/dto/audit-event-dto';
import type { ServiceContext } from '../context';
import { getOrganisedChallengeOrThrow } from '../organiser/get-organised-challenge-or-throw';

const inputSchema = z.object({ slug: z.string().min(1), limit: z.number().int().min(1).max(1000).default(200) });

/** The challenge's audit log, newest first, for its organisers and admins. */
export async function listAuditEvents(ctx: ServiceContext, slug: string, options: { limit?: number } = {}): Promise<AuditEventDto[]> {
  const input = inputSchema.parse({ slug, ...options });
  const { loaded } = await getOrganisedChallengeOrThrow(ctx, input.slug);
  const rows = await ctx.db
    .select({ event: auditEvents, actorName: users.name })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(eq(auditEvents.challengeId, loaded.challenge.id))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(input.limit);
  return rows.map(({ event, actorName }) => ({
    id: event.id,
    action: event.action,
    actorName,
    target: event.target,
    details: (event.details ?? {}) as Record<string, unknown>,
    createdAt: event.createdAt.toISOString(),
  }));
}
