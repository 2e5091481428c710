import fs from 'node:fs';
import path from 'node:path';
import { builtinChallenges } from '@/challenges';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';

/** Seeds of the built-in toy datasets: fixed, so every fresh clone serves byte-identical data. */
const toyBuilders: Record<string, (outDir: string) => Promise<unknown>> = {
  'higgs-tautau-toy@1.0.0': (outDir) =>
    buildHiggsTautauToyDataset({
      outDir,
      seed: 20_260_101,
      trainEvents: 100_000,
      testEvents: 50_000,
      luminosityFb: 10,
      createdAt: '2026-01-01T00:00:00.000Z',
    }),
};

/**
 * Builds every built-in challenge's dataset version that is missing under `<dataDir>/datasets`, before the
 * server starts (the server registers what it finds; it never generates data itself).
 */
export async function ensureBuiltinDatasets(dataDir: string, log: (line: string) => void = console.log): Promise<void> {
  for (const challenge of builtinChallenges) {
    const key = `${challenge.dataset.id}@${challenge.dataset.version}`;
    const outDir = path.join(dataDir, 'datasets', challenge.dataset.id, challenge.dataset.version);
    if (fs.existsSync(path.join(outDir, 'manifest.json'))) continue;
    const build = toyBuilders[key];
    if (!build) {
      log(`[hep-arena] ${key} is not in ${outDir}; import it with npm run pipeline before publishing ${challenge.slug}`);
      continue;
    }
    const started = Date.now();
    log(`[hep-arena] generating toy dataset ${key} …`);
    await build(outDir);
    log(`[hep-arena] generated ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
