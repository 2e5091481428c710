import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { buildRecipe } from '@/lib/pipeline/recipes/build-recipe';
const dir = '/tmp/recipes-golden';
const golden = JSON.parse(fs.readFileSync(path.join(dir, 'golden.json'), 'utf8'));
async function main() {
  const jobs = Number(process.argv[2] ?? 1);
  for (const r of ['a', 'b']) {
    const o = path.join(dir, `new-${r}-${jobs}`);
    fs.rmSync(o, { recursive: true, force: true });
    const t = performance.now();
    await buildRecipe({ recipe: { kind: 'json', path: path.join(dir, `recipe-${r}.json`) }, outDir: o, createdAt: '2026-01-01T00:00:00Z', jobs, onProgress: (m) => process.env.V && console.error(m) });
    const got = Object.fromEntries(fs.readdirSync(o).sort().map((f) => [f, createHash('sha256').update(fs.readFileSync(path.join(o, f))).digest('hex')]));
    const bad = Object.keys({ ...golden[r], ...got }).filter((f) => f !== 'manifest.json' && golden[r][f] !== got[f]);
    console.log(r, 'jobs', jobs, ((performance.now() - t) / 1000).toFixed(1), 's', bad.length === 0 ? 'IDENTICAL' : `DIFFER: ${bad.join(', ')}`);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
