import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { openDatabase } from '@/db/client';
import { expireVisitorBoards } from '@/lib/server/http/expire-visitor-boards';
import { announceBoardChange } from '@/lib/server/leaderboards/announce-board-change';
import { watchBoardChanges } from '@/lib/server/leaderboards/watch-board-changes';
import { closePhase } from '@/lib/server/organiser/close-phase';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase, testDatabaseKind } from '../support/test-database';

/**
 * Bug 4 of issue 17: a new score must invalidate the visitors' cached boards at once, on every web server. The signal
 * is a PostgreSQL NOTIFY sent in the scoring transaction; each server listens and expires its own cached copies.
 */
let handle: DatabaseHandle;
let dataDir: string;
let slug: string;
let csv: string;

/** Resolves with the next `count` announcements heard (or rejects after a while). */
function collect(received: Array<string | null>, count: number, timeoutMs = 10_000): Promise<Array<string | null>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (received.length >= count) return resolve(received.slice(0, count));
      if (Date.now() - started > timeoutMs) return reject(new Error(`heard ${JSON.stringify(received)} of ${count} announcements`));
      setTimeout(check, 20);
    };
    check();
  });
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  slug = (await createToyChallenge(handle, dataDir, { slug: 'board-change-toy' }, { trainEvents: 300, testEvents: 300 })).slug;
  const folder = path.join(dataDir, 'datasets', 'higgs-tautau-toy', '1.0.0');
  const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
  csv = ['id,score', ...ids.map((id, i) => `${id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n';
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('board change announcements', () => {
  it('announce a new score when its transaction commits, and a closed phase', async () => {
    const heard: Array<string | null> = [];
    const stop = await watchBoardChanges(handle, (s) => heard.push(s));
    try {
      const user = await createTestUser(handle);
      const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
      const created = await createSubmission(ctx, { challengeSlug: slug, fileName: 'p.csv', body: new TextEncoder().encode(csv) });
      expect(heard).toEqual([]);
      await scoreSubmission({ db: handle.db, dataDir }, created.id);
      expect(await collect(heard, 1)).toEqual([slug]);
    } finally {
      await stop();
    }
  });

  it('say nothing for a change that was rolled back', async () => {
    const heard: Array<string | null> = [];
    const stop = await watchBoardChanges(handle, (s) => heard.push(s));
    try {
      await handle.db
        .transaction(async (tx) => {
          await announceBoardChange(tx, 'rolled-back');
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await announceBoardChange(handle.db, 'committed');
      expect(await collect(heard, 1)).toEqual(['committed']);
    } finally {
      await stop();
    }
  });

  it.runIf(testDatabaseKind === 'postgres')('reach a second server process on the same PostgreSQL, and report a gap after its listening connection was lost', async () => {
    // A second handle is what another web server holds: its own pool and its own listening connection.
    const other = await openDatabase({ url: handle.url ?? '', dataDir: '' });
    const heard: Array<string | null> = [];
    const stop = await watchBoardChanges(other, (s) => heard.push(s));
    try {
      const organiser = await createTestUser(handle, 'admin');
      await closePhase(makeContext(handle, dataDir, organiser, makeRecordingQueue()), { slug, phaseKey: 'open' });
      expect(await collect(heard, 1)).toEqual([slug]);
      // Kill the listener's backend as a PostgreSQL restart would: it reconnects and says changes may have been missed.
      await handle.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'LISTEN%' and pid <> pg_backend_pid()`);
      expect(await collect(heard, 2, 20_000)).toEqual([slug, null]);
      await announceBoardChange(handle.db, 'after-reconnect');
      expect(await collect(heard, 3)).toEqual([slug, null, 'after-reconnect']);
    } finally {
      await stop();
      await other.close();
    }
  });
});

describe('expiring the visitors cached boards', () => {
  it("marks the boards' cache tags expired in Next's own record, which its incremental cache consults on every read", () => {
    const require = createRequire(path.join(process.cwd(), 'package.json'));
    const next = require('next/dist/server/lib/incremental-cache/tags-manifest.external.js') as {
      tagsManifest: Map<string, { expired?: number }>;
      areTagsExpired: (tags: string[], timestamp: number) => boolean;
    };
    const renderedAt = Date.now() - 1000;
    // As Next writes them for a public board (x-next-cache-tags in .next/server/route-cache/APP_PAGE/…/1.meta).
    const pageTags = ['_N_T_/layout', '_N_T_/(public)/layout', '_N_T_/(public)/public-boards/[slug]/[phase]/[split]/[page]/page', `_N_T_/public-boards/${slug}/_/_/1`];
    const otherPageTags = ['_N_T_/layout', '_N_T_/(site)/layout', '_N_T_/(site)/challenges/[slug]/page'];
    expect(next.areTagsExpired(pageTags, renderedAt)).toBe(false);
    expect(expireVisitorBoards(Date.now() - 10)).toBe(true);
    expect(next.areTagsExpired(pageTags, renderedAt)).toBe(true);
    expect(next.areTagsExpired(['_N_T_/layout', '_N_T_/api/v1/public-boards/[slug]/[phase]/[split]/route'], renderedAt)).toBe(true);
    // Nothing else is touched.
    expect(next.areTagsExpired(otherPageTags, renderedAt)).toBe(false);
    // A copy rendered after the expiry is fresh.
    expect(next.areTagsExpired(pageTags, Date.now())).toBe(false);
  });
});
