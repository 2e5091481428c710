import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '@/db/client';
import { registerDatasetVersion, type RegisterDatasetOptions } from './register-dataset-version';

/**
 * Registers every `<dataDir>/datasets/<dataset>/<version>/manifest.json` found; returns what was registered. A dataset
 * seen for the first time is owned by `options.ownerId` (see registerDatasetVersion).
 */
export async function registerLocalDatasetVersions(db: Database, dataDir: string, options: RegisterDatasetOptions = {}): Promise<string[]> {
  const root = path.join(dataDir, 'datasets');
  if (!fs.existsSync(root)) return [];
  const registered: string[] = [];
  for (const dataset of fs.readdirSync(root, { withFileTypes: true })) {
    if (!dataset.isDirectory()) continue;
    for (const version of fs.readdirSync(path.join(root, dataset.name), { withFileTypes: true })) {
      // Skip folders a build is still writing (`<version>.tmp-…`).
      if (!version.isDirectory() || version.name.includes('.tmp-')) continue;
      const relative = path.join('datasets', dataset.name, version.name);
      if (!fs.existsSync(path.join(dataDir, relative, 'manifest.json'))) continue;
      await registerDatasetVersion(db, dataDir, relative, options);
      registered.push(`${dataset.name}@${version.name}`);
    }
  }
  return registered;
}
