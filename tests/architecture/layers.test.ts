import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer table of ARCHITECTURE.md §2, checked through the project's own ESLint config on probe sources.
const eslint = new ESLint({ cwd: path.resolve(__dirname, '..', '..') });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.resolve(__dirname, '..', '..', file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import directions are enforced by lint', () => {
  it.each([
    ['scoring/probe.ts', "import fs from 'node:fs';"],
    ['scoring/probe.ts', "import { z } from 'zod';"],
    ['scoring/probe.ts', "import { AppError } from '@/lib/shared/app-error';"],
    ['db/probe.ts', "import { env } from '@/lib/env';"],
    ['db/probe.ts', "import { getMetric } from '@/scoring/registry';"],
    ['lib/shared/probe.ts', "import { users } from '@/db/schema';"],
    ['lib/shared/probe.ts', "import fs from 'node:fs';"],
    ['lib/client/probe.ts', "import { getDatabase } from '@/lib/server/database';"],
    ['lib/server/probe.ts', "import { cli } from '@/lib/pipeline/cli';"],
    ['lib/pipeline/probe.ts', "import { getDatabase } from '@/lib/server/database';"],
    ['challenges/probe.ts', "import { users } from '@/db/schema';"],
    ['app/probe.tsx', "import { users } from '@/db/schema';"],
  ])('refuses %s: %s', async (file, source) => {
    expect(await importErrors(file, `${source}\nexport {};\n`)).not.toEqual([]);
  });

  it.each([
    ['lib/server/probe.ts', "import { users } from '@/db/schema';\nimport { getMetric } from '@/scoring/registry';"],
    ['lib/pipeline/probe.ts', "import fs from 'node:fs';\nimport { assignPublicSplit } from '@/scoring/split';"],
    ['app/probe.tsx', "import { getRequestContext } from '@/lib/server/request-context';"],
    ['challenges/probe.ts', "import { isMetricId } from '@/scoring/registry';"],
  ])('allows %s: %s', async (file, source) => {
    expect(await importErrors(file, `${source}\nexport {};\n`)).toEqual([]);
  });
});
