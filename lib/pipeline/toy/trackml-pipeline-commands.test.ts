import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreTrackingFiles } from '../scoring/score-tracking-files';
import { runPipelineCli } from '../run-pipeline-cli';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-trackml-cli-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe('pipeline commands for tracking', () => {
  it('writes toy events in the TrackML layout, imports them with the baseline, and the baseline scores as submitted', async () => {
    const events = path.join(tmpRoot, 'events');
    const wrote = await run('trackml-toy-events', '--out', events, '--events', '4', '--seed', '9', '--first-event', '2000', '--particles', '60');
    expect(wrote.code).toBe(0);
    expect(JSON.parse(wrote.stdout[0] as string)).toMatchObject({ events: 4 });
    expect(fs.readdirSync(events).filter((f) => f.endsWith('-hits.csv'))).toEqual(['event000002000-hits.csv', 'event000002001-hits.csv', 'event000002002-hits.csv', 'event000002003-hits.csv']);

    const out = path.join(tmpRoot, 'dataset', '1.0.0');
    const imported = await run('import-trackml', '--out', out, events, '--test-events', '2', '--baseline', '--dataset', 'my-tracks', '--created-at', '2026-01-01T00:00:00Z');
    expect(imported.code).toBe(0);
    const summary = JSON.parse(imported.stdout[0] as string) as { dataset: string; rows: Record<string, number> };
    expect(summary.dataset).toBe('my-tracks');
    expect(summary.rows['baseline_submission.csv']).toBe(summary.rows['test_hits.arrow']);
    expect(imported.stderr.join('\n')).toMatch(/ran the Hough baseline on 2 test events/);

    // The same baseline from the participant's command, on the downloaded test hits: identical to the stored one.
    const mine = path.join(tmpRoot, 'mine.csv');
    const baseline = await run('trackml-baseline', '--input', path.join(out, 'test_hits.csv'), '--out', mine);
    expect(baseline.code).toBe(0);
    expect(fs.readFileSync(mine, 'utf8')).toBe(fs.readFileSync(path.join(out, 'baseline_submission.csv'), 'utf8'));

    // And it scores against the test events' truth (written by the toy in the TrackML layout) like any submission.
    const truth = ['event_id,hit_id,particle_id,weight'];
    for (const id of [2002, 2003]) {
      const lines = fs.readFileSync(path.join(events, `event00000${id}-truth.csv`), 'utf8').trim().split('\n').slice(1);
      for (const line of lines) {
        const f = line.split(',');
        truth.push(`${id},${f[0]},${f[1]},${f[8]}`);
      }
    }
    fs.writeFileSync(path.join(tmpRoot, 'truth.csv'), `${truth.join('\n')}\n`);
    const report = await scoreTrackingFiles({ truthPath: path.join(tmpRoot, 'truth.csv'), predictionsPath: mine });
    expect(report.events).toBe(2);
    expect(report.metrics.trackml_score).toBeGreaterThan(0.3);
  });

  it('rejects missing options and options of other commands with exit code 2', async () => {
    expect((await run('trackml-toy-events', '--out', path.join(tmpRoot, 'x'))).code).toBe(2);
    expect((await run('import-trackml', '--out', path.join(tmpRoot, 'y'))).stderr.join('\n')).toMatch(/needs at least one folder/);
    expect((await run('toy-trackml', '--out', path.join(tmpRoot, 'z'), '--lumi', '3')).code).toBe(2);
    expect((await run('trackml-baseline', '--input', path.join(tmpRoot, 'missing.csv'), '--out', path.join(tmpRoot, 'o.csv'))).stderr.join('\n')).toMatch(/missing\.csv: no such file/);
  });
});
