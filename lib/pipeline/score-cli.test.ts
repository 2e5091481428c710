import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-cli-'));

type ReferenceCase = { name: string; labels: number[]; scores: number[]; weights: number[]; auc: number; ams_best: number };
const reference = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'tests/fixtures/scoring/sklearn-binary.json'), 'utf8'),
) as { cases: ReferenceCase[] };
// The scikit-learn case whose scores are probabilities, so it is a valid predictions file.
const referenceCase = reference.cases.find((c) => c.name === 'continuous scores, HiggsML-like yields');

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, ['lib/pipeline/score-cli.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
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

function expectRelativeClose(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('score CLI (lib/pipeline/score-cli.ts)', () => {
  if (!referenceCase) throw new Error('sklearn-binary.json has no case "continuous scores, HiggsML-like yields"');
  const ids = referenceCase.labels.map((_, k) => 200_000 + 3 * k);
  const truthRows = ids.map((id, k) => `${id},${referenceCase.labels[k]},${referenceCase.weights[k]}`);
  const predictionRows = ids.map((id, k) => `${id},${referenceCase.scores[k]}`);
  const truthPath = writeFile('truth.csv', ['id,label,weight', ...truthRows]);
  const predictionsPath = writeFile('predictions.csv', ['id,score', ...predictionRows]);

  it('prints exactly one JSON object with the scikit-learn AUC and the reference AMS', () => {
    const result = runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(result.stdout) as { task: string; n: number; metrics: Record<string, number> };
    expect(Object.keys(report)).toEqual(['task', 'n', 'metrics']);
    expect(report.task).toBe('binary');
    expect(report.n).toBe(ids.length);
    expect(Object.keys(report.metrics)).toEqual(['auc', 'ams_best']);
    expectRelativeClose(report.metrics.auc as number, referenceCase.auc, 1e-9);
    expectRelativeClose(report.metrics.ams_best as number, referenceCase.ams_best, 1e-9);
  });

  it('gives the same numbers when both files are in another row order', () => {
    const shuffledTruth = writeFile('truth-shuffled.csv', ['id,label,weight', ...shuffled(truthRows, 1)]);
    const shuffledPredictions = writeFile('predictions-shuffled.csv', ['id,score', ...shuffled(predictionRows, 2)]);
    const original = JSON.parse(runCli(['--task', 'binary', '--truth', truthPath, '--predictions', predictionsPath]).stdout);
    const result = runCli(['--task=binary', `--truth=${shuffledTruth}`, '--predictions', shuffledPredictions]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { metrics: { auc: number; ams_best: number } };
    // Summation order inside a tie group may differ, hence a tolerance far below any reported precision.
    expectRelativeClose(report.metrics.auc, original.metrics.auc, 1e-12);
    expectRelativeClose(report.metrics.ams_best, original.metrics.ams_best, 1e-12);
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

  it('exits 2 naming the supported tasks for an unknown task', () => {
    const result = runCli(['--task', 'regression', '--truth', truthPath, '--predictions', predictionsPath]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown task "regression"; supported tasks: binary');
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
