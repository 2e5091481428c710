import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { submissions } from '@/db/schema';
import type { ServiceContext } from '@/lib/server/context';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { MAX_INTERVAL_MAGNITUDE } from '@/scoring/interval-input';
import { createSignalStrengthToyChallenge } from '../support/challenge-factories';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

/**
 * The audit found `mu_hat = 1e300` accepted with 202, then failing at scoring ("must be at most 1e50"). Upload and
 * scorer share one rule: whatever the upload accepts is scored, and what the scorer would refuse is refused on arrival.
 */
let handle: DatabaseHandle;
let dataDir: string;
let ctx: ServiceContext;
let slug: string;
const sizes = { trainEvents: 300, sourceEvents: 500, sets: 10, experimentsPerSet: 2 };
const pes = sizes.sets * sizes.experimentsPerSet;
const columns = ['mu_hat', 'delta_mu_hat', 'p16', 'p84'] as const;

function intervalCsv(override?: { pe: number; column: (typeof columns)[number]; value: string }): Uint8Array {
  const rows = Array.from({ length: pes }, (_, pe) => {
    const values: Record<string, string> = { mu_hat: '1', delta_mu_hat: '0.5', p16: '0.5', p84: '1.5' };
    if (override && override.pe === pe) values[override.column] = override.value;
    return [pe, ...columns.map((c) => values[c])].join(',');
  });
  return new TextEncoder().encode(['pe_id,mu_hat,delta_mu_hat,p16,p84', ...rows].join('\n') + '\n');
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  slug = (await createSignalStrengthToyChallenge(handle, dataDir, { phases: [{ key: 'main', title: 'Main', opensAt: '2020-01-01T00:00:00Z', closesAt: null, maxPerDay: 100, maxTotal: null }] }, sizes)).slug;
  ctx = makeContext(handle, dataDir, await createTestUser(handle, 'participant'), makeRecordingQueue());
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('upload and scorer agree on every bound', () => {
  it('refuses at upload a value the scorer would refuse, naming line, column and the bound', async () => {
    const beyond = String(MAX_INTERVAL_MAGNITUDE * 1.000001);
    const cases = [
      { pe: 3, column: 'mu_hat' as const, value: '1e300' },
      { pe: 0, column: 'p16' as const, value: `-${beyond}` },
      { pe: 7, column: 'p84' as const, value: beyond },
      { pe: 1, column: 'delta_mu_hat' as const, value: beyond },
    ];
    for (const c of cases) {
      const error = await createSubmission(ctx, { challengeSlug: slug, fileName: 'big.csv', body: intervalCsv(c) }).then(
        () => null,
        (e: { code?: string; message?: string }) => e,
      );
      expect(error?.code, `${c.column}=${c.value} was accepted`).toBe('INVALID_SUBMISSION');
      expect(error?.message).toContain(`line ${c.pe + 2}, column "${c.column}"`);
      expect(error?.message).toContain('1e50');
    }
  });

  it('scores what it accepts, up to the bound itself', async () => {
    for (const c of [
      { pe: 2, column: 'mu_hat' as const, value: String(MAX_INTERVAL_MAGNITUDE) },
      { pe: 4, column: 'p16' as const, value: String(-MAX_INTERVAL_MAGNITUDE) },
      { pe: 5, column: 'delta_mu_hat' as const, value: String(MAX_INTERVAL_MAGNITUDE) },
    ]) {
      const created = await createSubmission(ctx, { challengeSlug: slug, fileName: 'edge.csv', body: intervalCsv(c) });
      await scoreSubmission({ db: handle.db, dataDir }, created.id);
      const [row] = await handle.db.select({ status: submissions.status, error: submissions.error }).from(submissions).where(eq(submissions.id, created.id));
      expect([c.column, row?.status, row?.error]).toEqual([c.column, 'scored', null]);
    }
  });
});
