import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one way tests reach the read-only real-data fixtures in ../shared/data (override with FIXTURES_DIR).
 * They are never copied into the repository.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.resolve(process.env.FIXTURES_DIR ?? path.join(repoRoot, '..', 'shared', 'data'));

export function fixturePath(relativePath: string): string {
  return path.join(fixturesDir, relativePath);
}

/**
 * Whether a fixture can be read. Under CI a missing fixture is an error, elsewhere the test is skipped with a
 * message saying where it was looked for.
 */
export function hasFixture(relativePath: string): boolean {
  const full = fixturePath(relativePath);
  if (fs.existsSync(full)) return true;
  const message = `fixture ${relativePath} not found at ${full}; set FIXTURES_DIR to the folder holding shared/data`;
  if (process.env.CI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}
