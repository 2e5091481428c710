import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { forgetWorkerBundles, prepareWorkerThread, startWorkerThread } from './start-worker-thread';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-bundle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function answer(entry: string): Promise<unknown> {
  const worker = startWorkerThread(pathToFileURL(path.join(dir, 'caller.ts')).href, entry, null);
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', reject);
  });
}

describe('startWorkerThread from TypeScript', () => {
  it('runs the current code of the entry and what it imports: a bundle kept by an earlier process is reused only while none of its files changed', async () => {
    const entry = path.join(dir, 'entry.ts');
    const helper = path.join(dir, 'helper.ts');
    fs.writeFileSync(entry, "import { parentPort } from 'node:worker_threads';\nimport { value } from './helper';\nparentPort?.postMessage(value);\n");
    fs.writeFileSync(helper, "export const value: string = 'first';\n");
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(helper, past, past);
    fs.utimesSync(entry, past, past);
    expect(await answer('entry')).toBe('first');
    // A new process (the memo forgotten) with unchanged files: the kept bundle.
    forgetWorkerBundles();
    await prepareWorkerThread(pathToFileURL(path.join(dir, 'caller.ts')).href, 'entry');
    expect(await answer('entry')).toBe('first');
    // An imported file changes: bundled again, never the stale code.
    forgetWorkerBundles();
    fs.writeFileSync(helper, "export const value: string = 'second, longer';\n");
    fs.utimesSync(helper, new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
    expect(await answer('entry')).toBe('second, longer');
    forgetWorkerBundles();
    fs.writeFileSync(helper, "export const value: string = 'third!!';\n");
    await prepareWorkerThread(pathToFileURL(path.join(dir, 'caller.ts')).href, 'entry');
    expect(await answer('entry')).toBe('third!!');
  });
});
