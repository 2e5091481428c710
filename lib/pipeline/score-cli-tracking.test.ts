import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeArrowTable } from '@/lib/shared/arrow';
import { writeParquetTable } from '@/lib/shared/parquet/write-parquet-table';
import { scoreTrackingFiles } from './scoring/score-tracking-files';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const cases = path.join(repoRoot, 'tests/fixtures/trackml/cases');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-tracking-'));

type ReferenceCase = { name: string; hits: number; events: number; event_scores: Record<string, number>; trackml_score: number };
const reference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/trackml/reference.json'), 'utf8')) as { cases: ReferenceCase[] };

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, ['lib/pipeline/score-cli.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const fileOf = (name: string, part: 'truth' | 'submission') => path.join(cases, name, `${part}.csv`);

function writeFile(name: string, text: string): string {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, text);
  return file;
}

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('score CLI, tracking task (the exact contract of issue 18)', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('agrees with the pandas reference on case %s, per event and in the mean', async (name, expected) => {
    const report = await scoreTrackingFiles({ truthPath: fileOf(name, 'truth'), predictionsPath: fileOf(name, 'submission'), perEvent: true });
    expect(report.n).toBe(expected.hits);
    expect(report.events).toBe(expected.events);
    expect(report.metrics.trackml_score).toBeCloseTo(expected.trackml_score, 12);
    for (const [eventId, score] of Object.entries(expected.event_scores)) expect(report.eventScores?.[eventId]).toBeCloseTo(score, 12);
  });

  it.each(['big-particle-ids', 'tie-noise-wins', 'merged-tracks', 'random-mixed-big-ids'])('prints exactly {"task","n","events","metrics":{"trackml_score"}} for case %s', (name) => {
    const expected = reference.cases.find((c) => c.name === name) as ReferenceCase;
    const result = runCli(['--task', 'tracking', '--truth', fileOf(name, 'truth'), '--predictions', fileOf(name, 'submission')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['task', 'n', 'events', 'metrics']);
    expect(report.task).toBe('tracking');
    expect(report.n).toBe(expected.hits);
    expect(report.events).toBe(expected.events);
    const metrics = report.metrics as Record<string, number>;
    expect(Object.keys(metrics)).toEqual(['trackml_score']);
    expect(metrics.trackml_score).toBeCloseTo(expected.trackml_score, 12);
  });

  it('reads Arrow IPC and Parquet submissions and truths by extension, with the same score as CSV', async () => {
    const name = 'random-split';
    const rows = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const submission = rows(fileOf(name, 'submission'));
    const truth = rows(fileOf(name, 'truth'));
    const columns = {
      event_id: Int32Array.from(submission, (r) => Number(r[0])),
      hit_id: Int32Array.from(submission, (r) => Number(r[1])),
      track_id: Float64Array.from(submission, (r) => Number(r[2])),
    };
    const arrow = writeFile('submission.arrow', '');
    fs.writeFileSync(arrow, encodeArrowTable(columns));
    const parquet = writeFile('submission.parquet', '');
    fs.writeFileSync(parquet, writeParquetTable(columns));
    const truthArrow = writeFile('truth.arrow', '');
    fs.writeFileSync(
      truthArrow,
      encodeArrowTable({
        hit_id: Int32Array.from(truth, (r) => Number(r[1])),
        weight: Float64Array.from(truth, (r) => Number(r[3])),
        particle_id: BigUint64Array.from(truth, (r) => BigInt(r[2] as string)),
        event_id: Int32Array.from(truth, (r) => Number(r[0])),
      }),
    );
    const expected = (reference.cases.find((c) => c.name === name) as ReferenceCase).trackml_score;
    for (const [truthPath, predictionsPath] of [
      [fileOf(name, 'truth'), arrow],
      [fileOf(name, 'truth'), parquet],
      [truthArrow, fileOf(name, 'submission')],
    ] as const) {
      expect((await scoreTrackingFiles({ truthPath, predictionsPath })).metrics.trackml_score).toBeCloseTo(expected, 12);
    }
    const bigIds = 'random-mixed-big-ids';
    const bigTruth = rows(fileOf(bigIds, 'truth'));
    const bigArrow = writeFile('big-truth.arrow', '');
    fs.writeFileSync(
      bigArrow,
      encodeArrowTable({
        event_id: Int32Array.from(bigTruth, (r) => Number(r[0])),
        hit_id: Int32Array.from(bigTruth, (r) => Number(r[1])),
        particle_id: BigInt64Array.from(bigTruth, (r) => BigInt(r[2] as string)),
        weight: Float64Array.from(bigTruth, (r) => Number(r[3])),
      }),
    );
    const bigExpected = (reference.cases.find((c) => c.name === bigIds) as ReferenceCase).trackml_score;
    expect((await scoreTrackingFiles({ truthPath: bigArrow, predictionsPath: fileOf(bigIds, 'submission') })).metrics.trackml_score).toBeCloseTo(bigExpected, 12);
  });

  it('reads the columns in any order, and ids written as integer-valued decimals (12.0, 1e3) as float columns do', async () => {
    const name = 'merged-tracks';
    const expected = (reference.cases.find((c) => c.name === name) as ReferenceCase).trackml_score;
    const rows = fs.readFileSync(fileOf(name, 'submission'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const reordered = writeFile('reordered.csv', `track_id,event_id,hit_id\n${rows.map((r) => `${r[2]}.0,${r[0]},${r[1]}`).join('\n')}\n`);
    expect((await scoreTrackingFiles({ truthPath: fileOf(name, 'truth'), predictionsPath: reordered })).metrics.trackml_score).toBeCloseTo(expected, 12);
    const exponent = writeFile('exponent.csv', `event_id,hit_id,track_id\n${rows.map((r) => `${r[0]},${r[1]},${r[2]}e3`).join('\n')}\n`);
    expect((await scoreTrackingFiles({ truthPath: fileOf(name, 'truth'), predictionsPath: exponent })).metrics.trackml_score).toBeCloseTo(expected, 12);
  });

  it('adds a bootstrap interval over events with --bootstrap, reproducible for a seed', () => {
    const args = ['--task', 'tracking', '--truth', fileOf('random-shuffle-5pct', 'truth'), '--predictions', fileOf('random-shuffle-5pct', 'submission'), '--bootstrap', '100', '--seed', '3'];
    const first = runCli(args);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as { metrics: { trackml_score: number }; intervals: { trackml_score: [number, number] } };
    const [low, high] = report.intervals.trackml_score;
    expect(low).toBeLessThanOrEqual(high);
    expect(low).toBeGreaterThan(0.8);
    expect(runCli(args).stdout).toBe(first.stdout);
  });

  it('exits 2 with one line naming file, line, column, expected and found for invalid input', () => {
    const truth = fileOf('split-tracks', 'truth');
    const bad = [
      ['negative.csv', 'event_id,hit_id,track_id\n0,1,1\n0,2,-1\n', /negative\.csv line 3, column "track_id": expected a non-negative integer, found "-1"/],
      ['unknown-hit.csv', 'event_id,hit_id,track_id\n0,1,1\n0,99,1\n', /unknown-hit\.csv line 3, column "hit_id": expected a hit id of event 0 \(hit ids 1 … 12\), found "99", which is not a hit of that event/],
      ['unknown-event.csv', 'event_id,hit_id,track_id\n5,1,1\n', /unknown-event\.csv line 2, column "event_id": expected a test event \(event 0\), found "5", which is not a test event/],
      ['twice.csv', 'event_id,hit_id,track_id\n0,1,1\n0,2,1\n0,1,4\n', /twice\.csv line 4, column "hit_id": expected each hit of each event exactly once, found hit "1" of event 0 again \(already on line 2\)/],
      ['missing.csv', 'event_id,hit_id,track_id\n0,1,1\n0,2,1\n', /missing\.csv is missing 10 of the 12 hits, in 1 of the 1 test events \(event 0 hit 3, event 0 hit 4/],
      ['header.csv', 'event_id,track,hit_id\n0,1,1\n', /header\.csv line 1: expected the header "event_id,hit_id,track_id" \(columns in any order\), found "event_id,track,hit_id" \(unknown column "track"\)/],
      ['float.csv', 'event_id,hit_id,track_id\n0,1,1.5\n', /float\.csv line 2, column "track_id": expected a non-negative integer, found "1\.5"/],
    ] as const;
    for (const [name, text, message] of bad) {
      const result = runCli(['--task', 'tracking', '--truth', truth, '--predictions', writeFile(name, text)]);
      expect(result.status, name).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n'), name).toHaveLength(1);
      expect(result.stderr, name).toMatch(message);
    }
  });

  it('exits 2 for an unusable truth: bad particle id, negative weight, an event without weight, a repeated hit', async () => {
    const submission = writeFile('one.csv', 'event_id,hit_id,track_id\n0,1,1\n');
    const truths = [
      ['particle.csv', 'event_id,hit_id,particle_id,weight\n0,1,-4,1\n', /particle\.csv line 2, column "particle_id": expected a non-negative integer below 2\^64, found "-4"/],
      ['weight.csv', 'event_id,hit_id,particle_id,weight\n0,1,4,-1\n', /weight\.csv line 2, column "weight": expected a finite number ≥ 0, found "-1"/],
      ['zero.csv', 'event_id,hit_id,particle_id,weight\n0,1,4,0\n', /zero\.csv: Event 0 has a total hit weight of 0/],
      ['repeated.csv', 'event_id,hit_id,particle_id,weight\n0,1,4,1\n0,1,4,1\n', /lists hit 1 of event 0 twice/],
      ['columns.csv', 'event_id,hit_id,weight\n0,1,1\n', /columns\.csv line 1: expected the columns event_id,hit_id,particle_id,weight .*found no column "particle_id"/],
    ] as const;
    for (const [name, text, message] of truths) {
      await expect(scoreTrackingFiles({ truthPath: writeFile(name, text), predictionsPath: submission }), name).rejects.toThrow(message);
    }
    const result = runCli(['--task', 'tracking', '--truth', path.join(workDir, 'zero.csv'), '--predictions', submission]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
