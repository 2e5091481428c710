import 'server-only';
import { desc, eq, inArray } from 'drizzle-orm';
import { auditEvents, users } from '@/db/schema';
import type { AuditEventDto } from '@/lib/shared/dto/audit-event-dto';
import type { ServiceContext } from '../context';
import { assertAdmin } from './assert-admin';

/** The actions on accounts and datasets, the kind the admin page and `npm run admin` take. */
export const adminActions = ['user.set-role', 'user.disable', 'user.enable', 'dataset.grant', 'dataset.revoke-grant', 'dataset.set-owner'] as const;

/** The newest administrative events (roles, disabled accounts, dataset grants), for admins. */
export async function listAdminAuditEvents(ctx: ServiceContext, options: { limit?: number } = {}): Promise<AuditEventDto[]> {
  assertAdmin(ctx);
  const rows = await ctx.db
    .select({ event: auditEvents, actorName: users.name })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(inArray(auditEvents.action, [...adminActions]))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(options.limit ?? 100);
  return rows.map(({ event, actorName }) => ({
    id: event.id,
    action: event.action,
      actorName: actorName ?? ((event.details as { via?: string } | null)?.via === 'cli' ? 'console (npm run admin)' : null),
    target: event.target,
    details: (event.details ?? {}) as Record<string, unknown>,
    createdAt: event.createdAt.toISOString(),
  }));
}
