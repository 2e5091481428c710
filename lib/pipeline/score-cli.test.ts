import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeArrowTable } from '@/lib/shared/arrow';
import { getSklearnCaseOrThrow } from '@/tests/fixtures/scoring/sklearn-reference';
import { writeParquetTable } from '@/lib/shared/parquet/write-parquet-table';
import { bootstrapBinaryMetrics } from '@/scoring/bootstrap-binary';
import { binaryMetricIds } from '@/scoring/registry';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-cli-'));

const higgsLike = getSklearnCaseOrThrow('continuous scores, HiggsML-like yields');

type IntervalCase = {
  name: string;
  set_id: number[];
  mu_true: number[];
  mu_hat: number[];
  delta_mu_hat: number[];
  p16: number[];
  p84: number[];
  metrics: Record<string, number>;
  bootstrap?: Record<'quantile_score' | 'coverage' | 'interval_width', { mean: number; std: number; p16: number; p84: number }>;
};
const intervalReference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/scoring/fair-universe-interval.json'), 'utf8')) as {
  cases: IntervalCase[];
};

/** Runs the CLI as `npm run score` does: its precompiled bundle through scripts/cli.mjs. */
function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['scripts/cli.mjs', 'lib/pipeline/score-cli.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeFile(name: string, lines: string[]): string {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Deterministic permutation (Fisher–Yates with a fixed LCG). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let state = seed;
  for (let k = out.length - 1; k > 0; k--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (k + 1);
    [out[k], out[j]] = [out[j] as T, out[k] as T];
  }
  return out;
}

function expectRelativeClose(actual: number | null | undefined, expected: number | null, tolerance: number, what = ''): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(typeof actual, what).toBe('number');
  expect(Math.abs((actual as number) - expected) / Math.abs(expected), what).toBeLessThanOrEqual(tolerance);
}

type BinaryReport = {
  task: string;
  n: number;
  metrics: Record<string, number | null>;
  unbounded?: string[];
  intervals?: Record<string, [number | null, number | null]>;
};

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('score CLI, binary task (lib/pipeline/score-cli.ts)', () => {
  const ids = higgsLike.labels.map((_, k) => 200_000 + 3 * k);
  const truthRows = ids.map((id, k) => `${id},${higgsLike.labels[k]},${higgsLike.weights[k]}`);
  const predictionRows = ids.map((id, k) => `${id},${higgsLike.scores[k]}`);
  const truthPath = writeFile('truth.csv', ['id,label,weight', ...truthRows]);
  const predictionsPath = writeFile('predictions.csv', ['id,score', ...predictionRows]);

  it('prints one JSON object with every binary metric, matching scikit-learn and numpy to 1e-9', () => {
    const result = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(result.stdout) as BinaryReport;
    expect(Object.keys(report)).toEqual(['task', 'n', 'metrics']);
    expect(report.task).toBe('binary');
    expect(report.n).toBe(ids.length);
    expect(Object.keys(report.metrics)).toEqual(binaryMetricIds);
    const m = report.metrics;
    expectRelativeClose(m.auc, higgsLike.auc, 1e-9, 'auc');
    expectRelativeClose(m.ams_best, higgsLike.ams_best, 1e-9, 'ams_best');
    expectRelativeClose(m.log_loss, higgsLike.log_loss, 1e-9, 'log_loss');
    expectRelativeClose(m.accuracy, higgsLike.accuracy, 1e-9, 'accuracy');
    expectRelativeClose(m.ams, higgsLike.ams, 1e-9, 'ams');
    expectRelativeClose(m.significance_asimov, higgsLike.significance_asimov['0'], 1e-9, 'significance_asimov');
    for (const e of ['0.3', '0.5', '0.8'] as const) {
      expectRelativeClose(m[`rejection_at_${e}`], higgsLike.rejection_at[e], 1e-9, `rejection_at_${e}`);
      expectRelativeClose(m[`rejection_interp_at_${e}`], higgsLike.rejection_interp_at[e], 1e-9, `rejection_interp_at_${e}`);
    }
  });

  it('gives the same numbers when both files are in another row order', () => {
    const shuffledTruth = writeFile('truth-shuffled.csv', ['id,label,weight', ...shuffled(truthRows, 1)]);
    const shuffledPredictions = writeFile('predictions-shuffled.csv', ['id,score', ...shuffled(predictionRows, 2)]);
    const original = JSON.parse(runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath]).stdout) as BinaryReport;
    const result = runCli(['--task=binary', `--truth=${shuffledTruth}`, '--predictions', shuffledPredictions]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as BinaryReport;
    // Summation order inside a tie group may differ, hence a tolerance far below any reported precision.
    for (const id of binaryMetricIds) expectRelativeClose(report.metrics[id], original.metrics[id] ?? null, 1e-12, id);
  });

  it('uses --threshold, --background-uncertainty and a class column for the fixed-selection metrics', () => {
    const withClass = writeFile('predictions-class.csv', ['id,score,class', ...ids.map((id, k) => `${id},${higgsLike.scores[k]},${higgsLike.classes?.[k]}`)]);
    const report = JSON.parse(runCli(['--task', 'binary', '--truth', truthPath, '--predictions', withClass]).stdout) as BinaryReport;
    expectRelativeClose(report.metrics.accuracy, higgsLike.accuracy_classes ?? null, 1e-9, 'accuracy with classes');
    expectRelativeClose(report.metrics.ams, higgsLike.ams_classes ?? null, 1e-9, 'ams with classes');

    const uncertain = JSON.parse(
      runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath, '--background-uncertainty', '0.5']).stdout,
    ) as BinaryReport;
    expectRelativeClose(uncertain.metrics.significance_asimov, higgsLike.significance_asimov['0.5'], 1e-9, 'asimov r = 0.5');
    const strict = JSON.parse(runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath, '--threshold', '0.9']).stdout) as BinaryReport;
    expect(strict.metrics.accuracy).not.toBe(report.metrics.accuracy);
    expect(strict.metrics.auc).toBe(uncertain.metrics.auc);
  });

  it('prints null and lists the id under "unbounded" where a value is infinite (rejections, Asimov Z with b = 0)', () => {
    const twoEvents = getSklearnCaseOrThrow('two events');
    const truth = writeFile('truth-two.csv', ['id,label,weight', `1,${twoEvents.labels[0]},${twoEvents.weights[0]}`, `2,${twoEvents.labels[1]},${twoEvents.weights[1]}`]);
    const predictions = writeFile('predictions-two.csv', ['id,score', `1,${twoEvents.scores[0]}`, `2,${twoEvents.scores[1]}`]);
    const report = JSON.parse(runCli(['--task', 'binary', '--truth', truth, '--predictions', predictions]).stdout) as BinaryReport;
    expect(report.unbounded).toEqual([...binaryMetricIds.filter((id) => id.startsWith('rejection')), 'significance_asimov']);
    for (const id of report.unbounded ?? []) expect(report.metrics[id]).toBeNull();
    expect(report.metrics.auc).toBe(1);
  });

  it('adds [p16, p84] bootstrap intervals for every id, reproducible, identical with and without worker threads', () => {
    const args = ['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath, '--bootstrap', '30', '--seed', '3'];
    const inProcess = runCli([...args, '--workers', '1']);
    expect(inProcess.stderr).toBe('');
    const threaded = runCli([...args, '--workers', '2']);
    expect(threaded.stderr).toBe('');
    expect(threaded.stdout).toBe(inProcess.stdout);
    const report = JSON.parse(threaded.stdout) as BinaryReport;
    expect(Object.keys(report)).toEqual(['task', 'n', 'metrics', 'intervals']);
    expect(Object.keys(report.intervals ?? {})).toEqual(binaryMetricIds);
    const direct = bootstrapBinaryMetrics(
      { labels: Uint8Array.from(higgsLike.labels), scores: Float64Array.from(higgsLike.scores), weights: Float64Array.from(higgsLike.weights) },
      ['auc', 'log_loss'],
      { seed: 3, splitKey: 'all', replicas: 30 },
    );
    expect(report.intervals?.auc).toEqual(direct.intervals.auc);
    expect(report.intervals?.log_loss).toEqual(direct.intervals.log_loss);
  });

  it('reads Arrow IPC and Parquet files by extension, with the same numbers as CSV', () => {
    const truthArrow = path.join(workDir, 'truth.arrow');
    fs.writeFileSync(
      truthArrow,
      encodeArrowTable({ id: Float64Array.from(ids), label: Uint8Array.from(higgsLike.labels), weight: Float64Array.from(higgsLike.weights) }),
    );
    const predictionsParquet = path.join(workDir, 'predictions.parquet');
    fs.writeFileSync(predictionsParquet, writeParquetTable({ id: Float64Array.from(shuffled(ids, 5)), score: Float64Array.from(shuffled(higgsLike.scores, 5)) }));
    const predictionsFeather = path.join(workDir, 'predictions.feather');
    fs.writeFileSync(predictionsFeather, encodeArrowTable({ score: Float64Array.from(higgsLike.scores), id: Int32Array.from(ids) }));
    const csvReport = JSON.parse(runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath]).stdout) as BinaryReport;
    for (const predictions of [predictionsParquet, predictionsFeather]) {
      const result = runCli(['--task', 'binary', '--truth', truthArrow, '--predictions', predictions]);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as BinaryReport;
      for (const id of binaryMetricIds) expectRelativeClose(report.metrics[id], csvReport.metrics[id] ?? null, 1e-12, `${predictions} ${id}`);
    }
  });

  it('exits 2 with one line naming file, row and column for a bad Arrow or Parquet value', () => {
    const badArrow = path.join(workDir, 'bad-predictions.arrow');
    const scores = Float64Array.from(higgsLike.scores);
    scores[4] = 1.5;
    fs.writeFileSync(badArrow, encodeArrowTable({ id: Float64Array.from(ids), score: scores }));
    const result = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', badArrow]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${badArrow} row 5, column "score": expected a number in [0, 1], found 1.5`);

    const notParquet = writeFile('not.parquet', ['id,score']);
    const parquetResult = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', notParquet]);
    expect(parquetResult.status).toBe(2);
    expect(parquetResult.stderr).toContain('not.parquet');
  });

  it('exits 2 with one stderr line naming file, line and column for a bad predictions file', () => {
    const bad = predictionRows.slice();
    bad[6] = `${ids[6]},1.2`;
    const badPath = writeFile('bad-predictions.csv', ['id,score', ...bad]);
    const result = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', badPath]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${badPath} line 8, column "score": expected a number in [0, 1], found "1.2"`);
  });

  it('exits 2 naming the supported tasks for an unknown task, and for unusable option values', () => {
    const result = runCli(['--task', 'regression', '--truth', truthPath, '--predictions', predictionsPath]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown task "regression"; supported tasks: binary, interval');
    const badThreshold = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath, '--threshold', 'abc']);
    expect(badThreshold.status).toBe(2);
    expect(badThreshold.stderr).toContain('option --threshold expects a finite number; found "abc"');
    const badReplicas = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath, '--bootstrap', '-5']);
    expect(badReplicas.status).toBe(2);
    expect(badReplicas.stderr).toContain('option --bootstrap expects an integer ≥ 0');
  });

  it('exits 2 for an unknown option, a missing file and single-class truth', () => {
    const unknownOption = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath, '--fast']);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toContain('unknown option "--fast"');

    const missingFile = runCli(['--task', 'binary', '--truth', path.join(workDir, 'nope.csv'), '--predictions', predictionsPath]);
    expect(missingFile.status).toBe(2);
    expect(missingFile.stderr).toContain('nope.csv: no such file');

    const singleClass = writeFile('single-class.csv', ['id,label,weight', ...ids.map((id) => `${id},0,1`)]);
    const singleClassResult = runCli(['--task', 'binary', '--truth', singleClass, '--predictions', predictionsPath]);
    expect(singleClassResult.status).toBe(2);
    expect(singleClassResult.stderr).toContain('found only background (0)');
    expect(singleClassResult.stdout).toBe('');
  });
});

describe('score CLI, interval task', () => {
  const withSets = intervalReference.cases.find((c) => c.name.startsWith('10 sets'));
  if (!withSets?.bootstrap) throw new Error('fair-universe-interval.json has no 10-set case with a bootstrap');
  const peIds = withSets.mu_true.map((_, k) => 1000 + k);
  const truthPath = writeFile('interval-truth.csv', ['pe_id,mu_true,set_id', ...peIds.map((id, k) => `${id},${withSets.mu_true[k]},${withSets.set_id[k]}`)]);
  const predictionRows = peIds.map((id, k) => `${id},${withSets.mu_hat[k]},${withSets.delta_mu_hat[k]},${withSets.p16[k]},${withSets.p84[k]}`);
  const predictionsPath = writeFile('interval-predictions.csv', ['pe_id,mu_hat,delta_mu_hat,p16,p84', ...shuffled(predictionRows, 3)]);

  it("prints the pooled metrics and FAIR-Universe's bootstrap over sets, matching the numpy reference", () => {
    const result = runCli(['--task', 'interval', '--truth', truthPath, '--predictions', predictionsPath]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      task: string;
      n: number;
      metrics: Record<string, number>;
      sets: number;
      setBootstrap: { resamples: number; seed: number } & Record<string, { mean: number; std: number; p16: number; p84: number }>;
    };
    expect(Object.keys(report)).toEqual(['task', 'n', 'metrics', 'sets', 'setBootstrap']);
    expect(report.task).toBe('interval');
    expect(report.n).toBe(peIds.length);
    expect(Object.keys(report.metrics)).toEqual(['quantile_score', 'coverage', 'interval_width', 'rmse', 'mae']);
    for (const [id, expected] of Object.entries(withSets.metrics)) expectRelativeClose(report.metrics[id], expected, 1e-9, id);
    expect(report.sets).toBe(10);
    expect([report.setBootstrap.resamples, report.setBootstrap.seed]).toEqual([1000, 42]);
    for (const id of ['quantile_score', 'coverage', 'interval_width'] as const) {
      expectRelativeClose(report.setBootstrap[id]?.std, withSets.bootstrap?.[id].std ?? null, 1e-9, `${id} std`);
      expectRelativeClose(report.setBootstrap[id]?.mean, withSets.bootstrap?.[id].mean ?? null, 1e-9, `${id} mean`);
    }
  });

  it('omits the set fields without a set_id column, and the bootstrap with --bootstrap 0', () => {
    const noSets = writeFile('interval-truth-nosets.csv', ['pe_id,mu_true', ...peIds.map((id, k) => `${id},${withSets.mu_true[k]}`)]);
    const report = JSON.parse(runCli(['--task', 'interval', '--truth', noSets, '--predictions', predictionsPath]).stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['task', 'n', 'metrics']);
    const noBootstrap = JSON.parse(runCli(['--task', 'interval', '--truth', truthPath, '--predictions', predictionsPath, '--bootstrap', '0']).stdout) as Record<string, unknown>;
    expect(Object.keys(noBootstrap)).toEqual(['task', 'n', 'metrics', 'sets']);
  });

  it('exits 2 naming line and column for a bad interval file, and for binary-only options', () => {
    const bad = predictionRows.slice();
    bad[0] = `${peIds[0]},1.0,0.1,inf,1.2`;
    const badPath = writeFile('interval-bad.csv', ['pe_id,mu_hat,delta_mu_hat,p16,p84', ...bad]);
    const result = runCli(['--task', 'interval', '--truth', truthPath, '--predictions', badPath]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${badPath} line 2, column "p16": expected a finite number between -1e50 and 1e50, found "inf"`);
    const option = runCli(['--task', 'interval', '--truth', truthPath, '--predictions', predictionsPath, '--threshold', '0.5']);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('option --threshold applies to --task binary only');
  });
});
