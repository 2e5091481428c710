import 'server-only';
import { asc, ilike, or } from 'drizzle-orm';
import { datasetGrants, datasets, users } from '@/db/schema';
import type { AdminUserDto } from '@/lib/shared/dto/admin-dto';
import type { ServiceContext } from '../context';
import { assertAdmin } from './assert-admin';

/** Every account (or those whose e-mail or name contains `search`), with role, state and datasets. Admins only. */
export async function listUsers(ctx: ServiceContext, options: { search?: string; limit?: number } = {}): Promise<AdminUserDto[]> {
  assertAdmin(ctx);
  const search = options.search?.trim();
  const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await ctx.db
    .select()
    .from(users)
    .where(pattern ? or(ilike(users.email, pattern), ilike(users.name, pattern)) : undefined)
    .orderBy(asc(users.email))
    .limit(options.limit ?? 500);
  const owned = await ctx.db.select({ id: datasets.id, ownerId: datasets.ownerId }).from(datasets);
  const grants = await ctx.db.select({ datasetId: datasetGrants.datasetId, userId: datasetGrants.userId }).from(datasetGrants);
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    isDisabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
    ownedDatasets: owned.filter((d) => d.ownerId === u.id).map((d) => d.id).sort(),
    grantedDatasets: grants.filter((g) => g.userId === u.id).map((g) => g.datasetId).sort(),
  }));
}
