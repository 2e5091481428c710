import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { datasetGrants, datasets } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertAdmin, type AdminActor } from '../admin/assert-admin';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { findUserByEmail } from '../users/find-user-by-email';

const inputSchema = z.object({
  dataset: z.string().trim().min(1, { error: 'Name the dataset (its id, e.g. "higgs-tautau-toy").' }),
  email: z.email({ error: 'Give the e-mail address of the account to grant the dataset to.' }),
  /** false revokes the grant. */
  isGranted: z.boolean().default(true),
});

/**
 * Grants (or revokes) an account the right to attach a dataset's versions to its challenges. The dataset's owner and
 * admins (or the console) may; anyone else is refused. Recorded in the audit log. Granting to a participant is allowed
 * (it takes effect once they are organisers) and said so in the result.
 */
export async function grantDataset(ctx: ServiceContext, input: z.input<typeof inputSchema>): Promise<{ dataset: string; email: string; isGranted: boolean; changed: boolean }> {
  const parsed = inputSchema.parse(input);
  const [dataset] = await ctx.db.select().from(datasets).where(eq(datasets.id, parsed.dataset)).limit(1);
  if (!dataset) throw new AppError('NOT_FOUND', `There is no dataset "${parsed.dataset}"; register its versions first (rescan the datasets).`, { found: parsed.dataset });
  let actor: AdminActor;
  if (ctx.user && !ctx.console && ctx.user.role !== 'admin') {
    if (dataset.ownerId !== ctx.user.id) throw new AppError('FORBIDDEN', `Only the owner of dataset "${parsed.dataset}" or an admin can grant it.`);
    actor = { actorId: ctx.user.id, via: 'web' };
  } else {
    actor = assertAdmin(ctx);
  }
  const grantee = await findUserByEmail(ctx.db, parsed.email);
  if (!grantee) throw new AppError('NOT_FOUND', `There is no account with the e-mail address ${parsed.email}.`, { found: parsed.email });
  const changed = await ctx.db.transaction(async (tx) => {
    const rows = parsed.isGranted
      ? await tx.insert(datasetGrants).values({ datasetId: dataset.id, userId: grantee.id, grantedBy: actor.actorId }).onConflictDoNothing().returning({ userId: datasetGrants.userId })
      : await tx
          .delete(datasetGrants)
          .where(and(eq(datasetGrants.datasetId, dataset.id), eq(datasetGrants.userId, grantee.id)))
          .returning({ userId: datasetGrants.userId });
    await recordAuditEvent(tx, {
      actorId: actor.actorId,
      action: parsed.isGranted ? 'dataset.grant' : 'dataset.revoke-grant',
      target: `dataset:${dataset.id}`,
      details: { grantee: grantee.email, changed: rows.length > 0, via: actor.via, ...(actor.operator ? { operator: actor.operator } : {}) },
      at: ctx.now(),
    });
    return rows.length > 0;
  });
  return { dataset: dataset.id, email: grantee.email, isGranted: parsed.isGranted, changed };
}
