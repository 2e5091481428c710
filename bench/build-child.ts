/**
 * One measured run of `npm run bench -- build`, in a process of its own so that its peak RSS is its own:
 * `build <recipe.json> <outDir> <jobs>` builds the version, `read <recipe.json> <jobs>` only reads the recipe's branches
 * of every file. Prints {"ms", "cpuSeconds", "maxRssMb", …} as JSON: cpuSeconds is the CPU time of every thread of the
 * process (reader, worker and writer threads, V8's own) over the run, so cpuSeconds / (ms / 1000) is the number of cores
 * it kept busy on average.
 */
import fs from 'node:fs';
import { withOverrides } from '@/lib/pipeline/recipes/build-plan';
import { buildRecipe, planRecipeBuild } from '@/lib/pipeline/recipes/build-recipe';
import { branchesOfRecipe } from '@/lib/pipeline/recipes/define-recipe';
import { loadRecipe } from '@/lib/pipeline/recipes/load-recipe';
import { openPhysliteFile } from '@/lib/pipeline/recipes/open-physlite-file';

async function main() {
  const [mode, recipePath, ...rest] = process.argv.slice(2);
  const ref = { kind: 'json' as const, path: recipePath as string };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let extra: Record<string, unknown> = {};
  if (mode === 'build') {
    const [outDir, jobs] = rest;
    fs.rmSync(outDir as string, { recursive: true, force: true });
    const manifest = await buildRecipe({ recipe: ref, outDir: outDir as string, jobs: Number(jobs), createdAt: '2026-01-01T00:00:00Z' });
    extra = { rows: manifest.files.find((f) => f.name === 'train.arrow')?.rows };
  } else {
    const plan = await planRecipeBuild({ recipe: ref });
    const recipe = withOverrides(await loadRecipe(ref), plan.overrides);
    let entries = 0;
    for (const part of plan.parts) {
      const file = await openPhysliteFile(part.file, { tree: recipe.tree, branches: branchesOfRecipe(recipe) });
      for await (const batch of file.readBatches({ jobs: Number(rest[0] ?? 1) })) entries += batch.numRows;
      await file.close();
    }
    extra = { entries };
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ ms, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
