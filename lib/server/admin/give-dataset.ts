import 'server-only';
import { z } from 'zod';
import { datasets } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { setDatasetOwner } from '../datasets/set-dataset-owner';
import { assertAdmin } from './assert-admin';
import { findAccountOrThrow } from './find-account-or-throw';

const inputSchema = z.object({
  dataset: z.string().trim().min(1, { error: 'Name the dataset (its id, e.g. "higgs-tautau-toy").' }),
  /** Empty: the platform's operator owns it (only admins attach it). */
  email: z.string().trim().default(''),
});

/** Makes an account the owner of a dataset (or the platform, with no e-mail). Admins only; audit-logged. */
export async function giveDataset(ctx: ServiceContext, input: z.input<typeof inputSchema>): Promise<{ dataset: string; owner: string | null }> {
  const actor = assertAdmin(ctx);
  const parsed = inputSchema.parse(input);
  const known = (await ctx.db.select({ id: datasets.id }).from(datasets)).map((d) => d.id);
  if (!known.includes(parsed.dataset)) throw new AppError('NOT_FOUND', `There is no dataset "${parsed.dataset}"; known: ${known.sort().join(', ') || 'none'}.`, { found: parsed.dataset });
  const owner = parsed.email ? await findAccountOrThrow(ctx.db, parsed.email) : null;
  await ctx.db.transaction(async (tx) => {
    await setDatasetOwner(tx, parsed.dataset, owner?.id ?? null);
    await recordAuditEvent(tx, {
      actorId: actor.actorId,
      action: 'dataset.set-owner',
      target: `dataset:${parsed.dataset}`,
      details: { owner: owner?.email ?? null, via: actor.via, ...(actor.operator ? { operator: actor.operator } : {}) },
      at: ctx.now(),
    });
  });
  return { dataset: parsed.dataset, owner: owner?.email ?? null };
}
