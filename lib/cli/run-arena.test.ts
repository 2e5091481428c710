import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runArena } from './run-arena';

/** The environment without npm's INIT_CWD of an outer `npm run`, so that the npm started here sets its own. */
function withoutInitCwd(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.INIT_CWD;
  return copy;
}


const env = { ARENA_URL: 'http://arena.test', ARENA_TOKEN: `ha_${'b'.repeat(43)}` };

function capture(fetch: (url: string, init?: RequestInit) => Promise<Response>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), fetch, sleep: async () => {} } };
}

describe('runArena', () => {
  it('exits 2 on a usage error and points to --help, without calling the server', async () => {
    const { err, io } = capture(() => Promise.reject(new Error('no request expected')));
    expect(await runArena(['submit'], env, io)).toBe(2);
    expect(err.join('')).toMatch(/submit needs --challenge <slug>[\s\S]*--help/);
  });

  it("exits 2 on an HTTP error and prints the server's own message with the status and code", async () => {
    const { err, io } = capture(async () => Response.json({ error: { code: 'UNAUTHENTICATED', message: 'The API token is invalid or has been revoked.' } }, { status: 401 }));
    expect(await runArena(['status', 'x'], env, io)).toBe(2);
    expect(err.join('')).toBe('arena: The API token is invalid or has been revoked. (HTTP 401 UNAUTHENTICATED)\n');
  });

  it('sends the token as a bearer header, streams the file, waits, and exits 1 when the submission fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arena-cli-'));
    const file = path.join(dir, 'preds.csv');
    fs.writeFileSync(file, 'id,score\n1,0.5\n');
    const calls: { url: string; method: string; auth: string | null; duplex?: unknown }[] = [];
    const base = { id: 'sub-1', challengeSlug: 'toy', phaseKey: 'open', fileName: 'preds.csv', rows: 1, source: 'api', teamName: null, finishedAt: null, publicScores: {} };
    let polls = 0;
    const { out, err, io } = capture(async (url, init) => {
      calls.push({ url, method: init?.method ?? 'GET', auth: new Headers(init?.headers).get('authorization'), duplex: (init as { duplex?: unknown } | undefined)?.duplex });
      if (init?.method === 'POST') return Response.json({ ...base, status: 'queued' }, { status: 202 });
      polls++;
      return Response.json(polls < 2 ? { ...base, status: 'scoring' } : { ...base, status: 'failed', error: 'The truth file is missing.' });
    });
    try {
      expect(await runArena(['submit', '--challenge', 'toy', '--file', file, '--wait'], env, io)).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(calls[0]).toEqual({ url: 'http://arena.test/api/v1/challenges/toy/submissions?fileName=preds.csv', method: 'POST', auth: `Bearer ${env.ARENA_TOKEN}`, duplex: 'half' });
    expect(calls.slice(1).every((c) => c.url === 'http://arena.test/api/v1/submissions/sub-1')).toBe(true);
    expect(err.join('')).toContain('status: failed');
    expect(out.join('')).toContain('Error: The truth file is missing.');
  });

  it('reads a relative --file from the caller\'s folder (not the project folder) and sends the description', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arena-cwd-'));
    fs.writeFileSync(path.join(dir, 'mine.csv'), 'id,score\n1,0.5\n');
    const urls: string[] = [];
    const { out, io } = capture(async (url) => {
      urls.push(url);
      return Response.json({ id: 'sub-2', rows: 1, status: 'queued' }, { status: 202 });
    });
    try {
      const code = await runArena(['submit', '--challenge', 'toy', '--file', 'mine.csv', '--description', 'BDT, 400 trees'], env, { ...io, cwd: dir });
      expect(code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(urls).toEqual(['http://arena.test/api/v1/challenges/toy/submissions?fileName=mine.csv&description=BDT%2C+400+trees']);
    expect(out.join('')).toBe('sub-2\n');
  });

  it('names the path it looked for when a relative --file is not in the caller\'s folder', async () => {
    const { err, io } = capture(() => Promise.reject(new Error('no request expected')));
    expect(await runArena(['submit', '--challenge', 'toy', '--file', 'absent.csv'], env, { ...io, cwd: '/nowhere' })).toBe(2);
    expect(err.join('')).toContain('--file absent.csv: no such file (looked for /nowhere/absent.csv)');
  });

  it('run through npm from another folder, takes --file from that folder (npm starts it in the project folder)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arena-npm-'));
    fs.writeFileSync(path.join(dir, 'here.csv'), 'id,score\n1,0.5\n');
    try {
      const result = spawnSync('npm', ['--prefix', path.resolve(__dirname, '..', '..'), 'run', '--silent', 'arena', '--', 'submit', '--challenge', 'toy', '--file', 'here.csv'], {
        cwd: dir,
        encoding: 'utf8',
        env: withoutInitCwd({ ...process.env, ARENA_URL: 'http://127.0.0.1:9', ARENA_TOKEN: env.ARENA_TOKEN }),
        timeout: 60_000,
      });
      expect(result.stderr).toContain('Uploading here.csv (15 B) to toy');
      expect(result.stderr).not.toContain('no such file');
      expect(result.status).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('says the server cannot be reached, naming the URL', async () => {
    const { err, io } = capture(async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:3000') });
    });
    expect(await runArena(['challenges'], env, io)).toBe(2);
    expect(err.join('')).toContain('Could not reach http://arena.test (connect ECONNREFUSED 127.0.0.1:3000)');
  });
});
