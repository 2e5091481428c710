/** One organiser or admin action on a challenge, as the organiser page lists it (newest first). */
export type AuditEventDto = {
  id: string;
  /** e.g. "challenge.create", "phase.close", "phase.rescore". */
  action: string;
  /** Null when the account was deleted since. */
  actorName: string | null;
  /** What the action touched, e.g. "phase:open". */
  target: string | null;
  details: Record<string, unknown>;
  createdAt: string;
};
