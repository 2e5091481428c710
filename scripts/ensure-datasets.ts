import fs from 'node:fs';
import path from 'node:path';
import { builtinChallenges } from '@/challenges';
import { importHiggsml2014Csv } from '@/lib/pipeline/importers/higgsml-2014-csv';
import { buildHiggsSignalStrengthToyDataset } from '@/lib/pipeline/toy/higgs-signal-strength-toy';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { buildTopTaggingToyDataset, hiddenClusterVariation } from '@/lib/pipeline/toy/top-tagging-toy';
import { buildTrackmlToyDataset } from '@/lib/pipeline/toy/trackml-toy';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';

/**
 * `full`: the served dataset. `smoke`: the same recipe at a few hundred events, for tests of the builders (the real
 * HiggsML sample is small enough to be imported whole either way).
 */
export type BuiltinDatasetSize = 'full' | 'smoke';

const createdAt = '2026-01-01T00:00:00.000Z';

/** The real events shipped with the repository (CC0; see its SOURCE.md), imported into the real-data challenge. */
export const higgsml2014SampleFiles = ['train_sml_bg.csv.gz', 'train_sml_sig.csv.gz'].map((name) =>
  path.resolve(__dirname, '..', 'challenges', 'higgsml-2014-sample', 'data', name),
);

/**
 * Builders of the built-in datasets, by `<dataset>@<version>`: the seeded toys and the real HiggsML 2014 sample. Seeds
 * and timestamps are fixed, so every fresh clone serves byte-identical data; each full build takes a few seconds.
 */
export const builtinDatasetBuilders: Record<string, (outDir: string, size?: BuiltinDatasetSize) => Promise<DatasetManifest>> = {
  'higgs-tautau-toy@1.0.0': (outDir, size = 'full') =>
    buildHiggsTautauToyDataset({
      outDir,
      seed: 20_260_101,
      trainEvents: size === 'full' ? 100_000 : 600,
      testEvents: size === 'full' ? 50_000 : 300,
      luminosityFb: 10,
      createdAt,
    }),
  'top-tagging-toy@1.0.0': (outDir, size = 'full') =>
    buildTopTaggingToyDataset({
      outDir,
      seed: 20_260_102,
      trainJets: size === 'full' ? 40_000 : 200,
      testJets: size === 'full' ? 20_000 : 100,
      // CSV beside Arrow, so that pandas alone (without pyarrow) reads every table, as the starting kit does.
      writeCsv: true,
      createdAt,
    }),
  // The model track: another seed (no test jet in common with 1.0.0) and a variation whose test set stays on the server.
  'top-tagging-toy@1.0.0-models': (outDir, size = 'full') =>
    buildTopTaggingToyDataset({
      outDir,
      seed: 20_260_104,
      trainJets: size === 'full' ? 20_000 : 200,
      testJets: size === 'full' ? 10_000 : 100,
      createdAt,
      version: '1.0.0-models',
      writeCsv: true,
      serverOnlyVariations: [hiddenClusterVariation],
    }),
  'higgs-signal-strength-toy@1.0.0': (outDir, size = 'full') =>
    buildHiggsSignalStrengthToyDataset({
      outDir,
      seed: 20_260_103,
      trainEvents: size === 'full' ? 30_000 : 500,
      sourceEvents: size === 'full' ? 30_000 : 500,
      sets: size === 'full' ? 20 : 2,
      experimentsPerSet: size === 'full' ? 10 : 2,
      createdAt,
    }),
  'trackml-toy@1.0.0': (outDir, size = 'full') =>
    buildTrackmlToyDataset({
      outDir,
      seed: 20_260_104,
      trainEvents: size === 'full' ? 20 : 3,
      testEvents: size === 'full' ? 24 : 4,
      meanParticles: size === 'full' ? 200 : 60,
      createdAt,
    }),
  // 30 % of each class held out as test (1,500 + 1,500 events), weights rescaled to the release's expected yields.
  'higgsml-2014@1.0.0-sample': (outDir) =>
    importHiggsml2014Csv({ inputs: higgsml2014SampleFiles, outDir, seed: 20_140_915, testFraction: 0.3, version: '1.0.0-sample', createdAt }),
};

/** The builder key of a challenge's dataset. */
export function builtinDatasetKey(dataset: { id: string; version: string }): string {
  return `${dataset.id}@${dataset.version}`;
}

/**
 * Builds every built-in challenge's dataset version that is missing under `<dataDir>/datasets` (or those `isWanted`
 * picks by `<dataset>@<version>`), before the server starts (the server registers what it finds; it never generates
 * data itself).
 */
export async function ensureBuiltinDatasets(dataDir: string, log: (line: string) => void = console.log, isWanted: (key: string) => boolean = () => true): Promise<void> {
  const done = new Set<string>();
  for (const challenge of builtinChallenges) {
    const key = builtinDatasetKey(challenge.dataset);
    if (done.has(key) || !isWanted(key)) continue;
    done.add(key);
    const outDir = path.join(dataDir, 'datasets', challenge.dataset.id, challenge.dataset.version);
    if (fs.existsSync(path.join(outDir, 'manifest.json'))) continue;
    const build = builtinDatasetBuilders[key];
    if (!build) {
      log(`[hep-arena] ${key} is not in ${outDir}; import it with npm run pipeline before publishing ${challenge.slug}`);
      continue;
    }
    const started = Date.now();
    log(`[hep-arena] ${key.startsWith('higgsml-2014@') ? 'importing the real HiggsML 2014 sample as' : 'generating toy dataset'} ${key} …`);
    await build(outDir);
    log(`[hep-arena] built ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
