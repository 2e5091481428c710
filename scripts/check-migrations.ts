/**
 * Fails when db/schema and the committed migrations disagree: runs `drizzle-kit generate` against a copy of
 * db/migrations and checks that it has nothing to add. The working tree is never touched.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-migrations-'));
const copy = path.join(scratch, 'migrations');
fs.cpSync(path.join(root, 'db', 'migrations'), copy, { recursive: true });
const config = path.join(scratch, 'drizzle.config.json');
// drizzle-kit prefixes `out` with './', so it must be relative to the working directory.
fs.writeFileSync(config, JSON.stringify({ dialect: 'postgresql', schema: 'db/schema/index.ts', out: path.relative(root, copy) }));
const before = new Set(fs.readdirSync(copy));
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', config, '--name', 'schema-drift'], {
  cwd: root,
  encoding: 'utf8',
});
const added = fs.readdirSync(copy).filter((f) => !before.has(f));
fs.rmSync(scratch, { recursive: true, force: true });
// drizzle-kit exits 0 on some failures; its output says so.
if (run.status !== 0 || /error/i.test(`${run.stdout}${run.stderr}`)) {
  console.error(`drizzle-kit generate failed:\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
}
if (added.length > 0) {
  console.error(`db/schema has changes that no committed migration covers (drizzle-kit would add ${added.join(', ')}).`);
  console.error('Run `npm run db:generate -- --name <what-changed>` and commit db/migrations.');
  process.exit(1);
}
console.log('migrations match db/schema');
