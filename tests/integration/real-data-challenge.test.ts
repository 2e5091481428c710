import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import higgsml2014Sample from '@/challenges/higgsml-2014-sample/challenge';
import type { DatabaseHandle } from '@/db/client';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import { listChallenges } from '@/lib/server/challenges/list-challenges';
import { loadTruth } from '@/lib/server/datasets/load-truth';
import { registerLocalDatasetVersions } from '@/lib/server/datasets/register-local-dataset-versions';
import { computeBinaryScores } from '@/lib/server/scoring/compute-binary-scores';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { type DatasetManifest, datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { pairedTieGroups } from '@/scoring/tie-groups';
import { builtinDatasetBuilders, builtinDatasetKey, ensureBuiltinDatasets, higgsml2014SampleFiles } from '@/scripts/ensure-datasets';
import { makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { fixturePath, hasFixture } from '../support/fixtures';
import { openTestDatabase } from '../support/test-database';

const challengeDir = path.resolve(__dirname, '..', '..', 'challenges', 'higgsml-2014-sample');
const dataDir = makeDataDir();
const versionDir = path.join(dataDir, 'datasets', higgsml2014Sample.dataset.id, higgsml2014Sample.dataset.version);
let handle: DatabaseHandle;
let manifest: DatasetManifest;

beforeAll(async () => {
  handle = await openTestDatabase();
  // Exactly what `npm start` does before the server starts: the built-in datasets that are missing are built.
  await ensureBuiltinDatasets(dataDir, () => {}, (key) => key === builtinDatasetKey(higgsml2014Sample.dataset));
  manifest = datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(versionDir, 'manifest.json'), 'utf8')));
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The score of each test event under a formula of its features, as a participant would compute it. */
function scoreTest(formula: (row: Record<string, number>) => number): Map<number, number> {
  const test = decodeArrowTable(fs.readFileSync(path.join(versionDir, 'test.arrow')));
  const ids = test.columns.id as ArrayLike<number>;
  const scores = new Map<number, number>();
  for (let i = 0; i < test.numRows; i++) {
    const row = Object.fromEntries(Object.entries(test.columns).map(([name, column]) => [name, Number((column as ArrayLike<number>)[i])]));
    scores.set(Number(ids[i]), formula(row));
  }
  return scores;
}

async function scoreOnBoard(scores: Map<number, number>) {
  const truth = await loadTruth(dataDir, path.relative(dataDir, versionDir), manifest);
  const column = new Float64Array(truth.ids.length);
  for (const [id, score] of scores) column[truth.rowById.get(id) as number] = score;
  const result = computeBinaryScores({ nominal: truth, variations: new Map() }, new Map([['nominal', column]]), higgsml2014Sample, manifest);
  const find = (split: 'public' | 'private', metric: string) => {
    const row = result.scores.find((s) => s.split === split && s.variation === 'nominal' && s.metric === metric);
    if (!row) throw new Error(`no ${split} ${metric}`);
    return row;
  };
  return { publicAms: find('public', 'ams_best'), privateAms: find('private', 'ams_best') };
}

describe('the real-data challenge of the first start (HiggsML 2014, 9,998 ATLAS events)', () => {
  it('ships the sample gzip-compressed, byte for byte the CSVs that SOURCE.md lists (and the shared fixture)', () => {
    const source = fs.readFileSync(path.join(challengeDir, 'data', 'SOURCE.md'), 'utf8');
    expect(fs.readFileSync(path.join(challengeDir, 'data', 'LICENCE.md'), 'utf8')).toContain('CC0 1.0');
    for (const file of higgsml2014SampleFiles) {
      const csv = zlib.gunzipSync(fs.readFileSync(file));
      const name = path.basename(file);
      const listed = new RegExp(`\\| \`${name.replace(/\./g, '\\.')}\` \\| 4,999 \\|[^|]*\\| \`([0-9a-f]{64})\` \\|`).exec(source);
      expect(listed?.[1], `${name} in SOURCE.md`).toBe(sha256(csv));
      expect(csv.toString('utf8').trim().split('\n')).toHaveLength(5000);
      const fixture = `higgsml_2014_sample/${name.replace(/\.gz$/, '')}`;
      if (hasFixture(fixture)) expect(sha256(csv)).toBe(sha256(fs.readFileSync(fixturePath(fixture))));
    }
  });

  it('is imported at start into a real (not toy) CC0 dataset version of 6,998 training and 3,000 test events', () => {
    expect(manifest.isToy).toBe(false);
    expect(manifest.licence).toBe('CC0-1.0');
    expect(manifest.sources.map((s) => s.doi)).toContain('10.7483/OPENDATA.ATLAS.ZBP2.M5T8');
    const rows = Object.fromEntries(manifest.files.map((f) => [f.name, f.rows]));
    expect(rows).toMatchObject({ 'train.arrow': 6998, 'test.arrow': 3000, 'truth.arrow': 3000 });
  });

  it('builds byte-identical files at every start (fixed seed and date)', async () => {
    const again = path.join(dataDir, 'again');
    const build = builtinDatasetBuilders[builtinDatasetKey(higgsml2014Sample.dataset)];
    const second = await build?.(again);
    expect(second?.files.map((f) => [f.name, f.sha256])).toEqual(manifest.files.map((f) => [f.name, f.sha256]));
  });

  it('is listed beside the toys and marked as real data', async () => {
    await registerLocalDatasetVersions(handle.db, dataDir);
    await syncChallengeDefinition(handle.db, higgsml2014Sample, { publish: true });
    const listed = await listChallenges(makeContext(handle, dataDir, null, makeRecordingQueue()));
    expect(listed.find((c) => c.slug === higgsml2014Sample.slug)).toMatchObject({ isToy: false, title: higgsml2014Sample.title });
  });

  it('gives the numbers its overview quotes: wide intervals, and two one-variable scores in one tie group', async () => {
    const overview = fs.readFileSync(path.join(challengeDir, 'overview.md'), 'utf8');
    const quotedMt = /public\s+AMS of \*\*([\d.]+), with a 68 % bootstrap interval of ([\d.]+)–([\d.]+)\*\*, and ([\d.]+) on the private split/.exec(overview);
    const quotedMmc = /gives a public\s+AMS of \*\*([\d.]+) \(([\d.]+)–([\d.]+)\)\*\*/.exec(overview);
    expect(quotedMt, 'the transverse-mass example of overview.md').not.toBeNull();
    expect(quotedMmc, 'the MMC example of overview.md').not.toBeNull();

    // The formulas exactly as the overview writes them.
    const mt = await scoreOnBoard(scoreTest((e) => 1 / (1 + (e.DER_mass_transverse_met_lep as number) / 100)));
    const mmc = await scoreOnBoard(scoreTest((e) => ((e.DER_mass_MMC as number) < 0 ? 0 : Math.exp(-((((e.DER_mass_MMC as number) - 125) / 25) ** 2)))));
    const two = (x: number | null) => (x ?? NaN).toFixed(2);
    expect([two(mt.publicAms.value), two(mt.publicAms.ciLow), two(mt.publicAms.ciHigh), two(mt.privateAms.value)]).toEqual(quotedMt?.slice(1, 5));
    expect([two(mmc.publicAms.value), two(mmc.publicAms.ciLow), two(mmc.publicAms.ciHigh)]).toEqual(quotedMmc?.slice(1, 4));

    // "Wide": the 68 % interval spans more than a tenth of the value.
    expect(((mt.publicAms.ciHigh as number) - (mt.publicAms.ciLow as number)) / (mt.publicAms.value as number)).toBeGreaterThan(0.1);
    const groups = pairedTieGroups(
      [
        { key: 'mt', value: mt.publicAms.value as number, replicaValues: Float64Array.from(mt.publicAms.replicas ?? []) },
        { key: 'mmc', value: mmc.publicAms.value as number, replicaValues: Float64Array.from(mmc.publicAms.replicas ?? []) },
      ],
      'maximize',
    );
    expect(new Set(groups.map((g) => g.group)).size).toBe(1);
    expect(groups.every((g) => g.rankInterval[0] === 1 && g.rankInterval[1] === 2)).toBe(true);
  });
});
