import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_NODE_FLAGS } from '@/lib/shared/recipes/build-node-flags';
import { buildClis, buildManifest, findStaleReason, listCliEntries, outputOf, root } from '@/scripts/build-clis.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'precompiled-clis-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function run(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const fromBundle = (entry: string, args: string[], cwd?: string) => run([path.join(root, 'scripts', 'cli.mjs'), entry, ...args], cwd);
const fromTypeScript = (entry: string, args: string[], cwd?: string) => run(['--conditions=react-server', '--import', 'tsx', path.join(root, entry), ...args], cwd);

const scoreArgs = ['--task', 'binary', '--truth', 'examples/scoring/truth.csv', '--predictions', 'examples/scoring/predictions.csv'];

describe('precompiled CLIs (scripts/build-clis.mjs, scripts/cli.mjs)', () => {
  it('precompiles every package.json script that starts scripts/cli.mjs, score, pipeline and arena among them', async () => {
    const entries = listCliEntries();
    expect(entries).toEqual(expect.arrayContaining(['lib/cli/arena.ts', 'lib/pipeline/score-cli.ts', 'scripts/pipeline.ts']));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of ['score', 'pipeline', 'arena']) expect(pkg.scripts[name], name).toMatch(/^node (--[\w-]+(=\S+)? )*scripts\/cli\.mjs \S+\.ts$/);
    // A build from the command line runs with the node flags of queued build steps and of the benchmark.
    expect(pkg.scripts.pipeline).toBe(`node ${BUILD_NODE_FLAGS.join(' ')} scripts/cli.mjs scripts/pipeline.ts`);
    expect(pkg.scripts.prepare).toBe('node scripts/build-clis.mjs');
    const manifest = await buildClis();
    for (const entry of entries) {
      expect(fs.existsSync(outputOf(entry)), entry).toBe(true);
      expect(findStaleReason(entry), entry).toBeNull();
    }
    // The build output is ignored by git, so `npm install` leaves the tree clean.
    expect(spawnSync('git', ['check-ignore', 'dist/cli/build.json'], { cwd: root, encoding: 'utf8' }).stdout.trim()).toBe('dist/cli/build.json');
    expect(Object.keys(manifest.inputs)).toContain('lib/pipeline/score-cli.ts');
  });

  it('prints exactly what the TypeScript entry prints, on success and on bad input (same exit code and message)', () => {
    const cases: Array<[string, string[]]> = [
      ['lib/pipeline/score-cli.ts', scoreArgs],
      ['lib/pipeline/score-cli.ts', [...scoreArgs, '--bootstrap', '40', '--seed', '3', '--workers', '2']],
      ['lib/pipeline/score-cli.ts', ['--task', 'binary', '--truth', 'examples/scoring/truth.csv', '--predictions', 'no-such-file.csv']],
      ['lib/pipeline/cli.ts', ['--help']],
      ['lib/pipeline/cli.ts', ['no-such-command']],
      ['scripts/pipeline.ts', ['--help']],
      ['lib/cli/arena.ts', ['--help']],
      ['lib/cli/arena.ts', ['submit', '--challenge']],
    ];
    for (const [entry, args] of cases) {
      const bundled = fromBundle(entry, args);
      const source = fromTypeScript(entry, args);
      expect(bundled.status, `${entry} ${args.join(' ')}`).toBe(source.status);
      expect(bundled.stdout, `${entry} ${args.join(' ')}`).toBe(source.stdout);
      expect(bundled.stderr, `${entry} ${args.join(' ')}`).toBe(source.stderr);
    }
    // The bootstrap on two worker threads really ran (worker bundle beside the entry) and gave intervals.
    expect(JSON.parse(fromBundle('lib/pipeline/score-cli.ts', [...scoreArgs, '--bootstrap', '40', '--workers', '2']).stdout).intervals.auc).toHaveLength(2);
  });

  it('resolves relative paths against the caller\'s working directory, as from TypeScript', () => {
    fs.copyFileSync(path.join(root, 'examples/scoring/truth.csv'), path.join(workDir, 'truth.csv'));
    fs.copyFileSync(path.join(root, 'examples/scoring/predictions.csv'), path.join(workDir, 'predictions.csv'));
    const args = ['--task', 'binary', '--truth', 'truth.csv', '--predictions', 'predictions.csv'];
    const bundled = fromBundle('lib/pipeline/score-cli.ts', args, workDir);
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toBe(fromBundle('lib/pipeline/score-cli.ts', scoreArgs).stdout);
  });

  it('names a source file changed since the build and rebuilds before running, so a CLI never runs stale code', async () => {
    // A file of this suite's own entry, so that no other tool's source is touched.
    const entry = 'tests/architecture/fixtures/print-source-location.ts';
    await buildClis([entry]);
    const source = path.join(root, entry);
    const before = fs.statSync(source);
    try {
      const later = new Date(before.mtimeMs + 60_000);
      fs.utimesSync(source, later, later);
      expect(findStaleReason(entry)).toBe(`${entry} changed`);
      expect(findStaleReason('lib/pipeline/score-cli.ts')).toBe(`${entry} changed`);
      const builtBefore = fs.statSync(buildManifest).mtimeMs;
      const result = fromBundle(entry, []);
      expect(result.status).toBe(0);
      expect(fs.statSync(buildManifest).mtimeMs).toBeGreaterThan(builtBefore);
      expect(findStaleReason(entry)).toBeNull();
    } finally {
      fs.utimesSync(source, before.atime, before.mtime);
    }
  });

  it('lets CLIs started together after a change wait for one build and all run it', () => {
    const entry = 'tests/architecture/fixtures/print-source-location.ts';
    const source = path.join(root, entry);
    const now = new Date();
    fs.utimesSync(source, now, now);
    const script = `Promise.all([0, 1, 2].map(() => new Promise((resolve) => { const c = require('child_process').spawn(process.execPath, ['scripts/cli.mjs', '${entry}', 'x']); let out = ''; c.stdout.on('data', (d) => (out += d)); c.stderr.on('data', (d) => (out += d)); c.on('close', (code) => resolve({ code, out })); }))).then((r) => process.stdout.write(JSON.stringify(r)));`;
    const results = JSON.parse(run(['-e', script]).stdout) as Array<{ code: number; out: string }>;
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out).args).toEqual(['x']);
    }
    expect(fs.existsSync(path.join(root, 'dist', 'cli.lock'))).toBe(false);
  });

  it('gives bundled code its own source location for __dirname and __filename', () => {
    const entry = 'tests/architecture/fixtures/print-source-location.ts';
    const result = fromBundle(entry, ['a', 'b'], workDir);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      dirname: path.join(root, 'tests/architecture/fixtures'),
      filename: path.join(root, entry),
      args: ['a', 'b'],
      cwd: fs.realpathSync(workDir),
    });
  });
});
