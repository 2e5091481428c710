import fs from 'node:fs';
import path from 'node:path';

const pageNames = ['overview', 'evaluation', 'data', 'terms'] as const;

/**
 * Reads the markdown pages of a built-in challenge from challenges/<slug>/<page>.md. Resolved from the working
 * directory (the repository root for `next start`, the tests and the CLIs), because inside a Next bundle
 * import.meta.url points into .next/.
 */
export function readChallengePages(slug: string): Record<(typeof pageNames)[number], string> {
  const folder = path.resolve('challenges', slug);
  const entries = pageNames.map((name) => {
    const file = path.join(folder, `${name}.md`);
    if (!fs.existsSync(file)) throw new Error(`challenge "${slug}" has no ${name}.md in ${folder}`);
    return [name, fs.readFileSync(file, 'utf8')] as const;
  });
  return Object.fromEntries(entries) as Record<(typeof pageNames)[number], string>;
}
