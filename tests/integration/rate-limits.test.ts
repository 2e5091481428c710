import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { consumeRateLimit } from '@/lib/server/security/consume-rate-limit';
import { signUp } from '@/lib/server/users/sign-up';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openTestDatabase();
});

afterAll(async () => {
  await handle?.close();
});

describe('rate limits', () => {
  const rule = { limit: 5, windowSeconds: 60, action: 'test attempts' };

  it('counts concurrent attempts exactly and refuses the ones past the limit, saying when to retry', async () => {
    const now = new Date('2030-01-01T10:00:30Z');
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => consumeRateLimit(handle.db, 'test:concurrent', rule, now)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(7);
    // Not before this window ends (30 s), and then until the 12 counted attempts have decayed enough to allow one more.
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'RATE_LIMITED' });
    for (const r of refused) expect((r.reason as { details: { retryInSeconds: number } }).details.retryInSeconds).toBeGreaterThanOrEqual(30);
  });

  it('slides: attempts cannot double up around a window boundary, and are allowed again as the old ones age out', async () => {
    const rule60 = { limit: 5, windowSeconds: 60, action: 'test attempts' };
    // Five at the very end of one window…
    for (let i = 0; i < 5; i++) await consumeRateLimit(handle.db, 'test:slide', rule60, new Date('2030-01-01T11:00:59Z'));
    // …leave no room at the start of the next (a fixed window would allow five more here).
    await expect(consumeRateLimit(handle.db, 'test:slide', rule60, new Date('2030-01-01T11:01:01Z'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(consumeRateLimit(handle.db, 'test:other-key', rule60, new Date('2030-01-01T11:01:01Z'))).resolves.toBeUndefined();
    // Late in the next window most of the old attempts have aged out of the last minute.
    await expect(consumeRateLimit(handle.db, 'test:slide', rule60, new Date('2030-01-01T11:01:50Z'))).resolves.toBeUndefined();
    // Two windows on, nothing of them counts.
    for (let i = 0; i < 5; i++) await expect(consumeRateLimit(handle.db, 'test:slide', rule60, new Date('2030-01-01T11:03:30Z'))).resolves.toBeUndefined();
  });

  it('refuses a burst of sign-ups from one client address and creates none past the limit', async () => {
    const now = new Date('2030-01-02T09:00:00Z');
    const outcomes = [];
    for (let i = 0; i < 22; i++) {
      outcomes.push(await signUp(handle.db, { email: `burst-${i}@example.org`, name: `Burst ${i}`, password: 'correct horse battery' }, { address: '203.0.113.9', now }).then(
        () => 'created',
        (error: { code?: string }) => error.code,
      ));
    }
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(20);
    expect(outcomes.slice(20)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    await expect(signUp(handle.db, { email: 'elsewhere@example.org', name: 'Elsewhere', password: 'correct horse battery' }, { address: '198.51.100.1', now })).resolves.toMatchObject({ email: 'elsewhere@example.org' });
  });
});
