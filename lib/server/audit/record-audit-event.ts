import 'server-only';
import type { Database } from '@/db/client';
import { auditEvents } from '@/db/schema';

export type AuditEventInput = {
  actorId: string | null;
  /** Domain and verb, e.g. "challenge.create", "phase.close", "phase.rescore", "datasets.rescan". */
  action: string;
  challengeId?: string | null;
  /** What the action touched, e.g. "phase:final". */
  target?: string | null;
  details?: Record<string, unknown>;
  /** The service's clock (ctx.now()), so tests with an injected clock see consistent times. */
  at?: Date;
};

/**
 * Appends one audit event. Pass the action's own transaction, so that the change and its record commit or roll
 * back together: there is no organiser action without an event, and no event for an action that failed.
 */
export async function recordAuditEvent(tx: Pick<Database, 'insert'>, input: AuditEventInput): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: input.actorId,
    action: input.action,
    challengeId: input.challengeId ?? null,
    target: input.target ?? null,
    details: input.details ?? {},
    ...(input.at ? { createdAt: input.at } : {}),
  });
}
