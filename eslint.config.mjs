// Lint enforces the import directions of the layer table in ../shared/docs/ARCHITECTURE.md §2.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, patterns, message, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

const relativeEscape = ['../../*', '../../../*', '../../../../*'];

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'stubs/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(
    ['scoring/**/*.ts'],
    ['@/*', 'node:*', 'fs', 'path', 'crypto', 'next', 'next/*', 'react', 'react-*', 'drizzle-orm', 'drizzle-orm/*', 'zod', 'apache-arrow', ...relativeEscape, '../*'],
    'scoring/ is pure: typed arrays and numbers in, numbers out; it imports nothing outside scoring/ and no Node API.',
  ),
  layer(
    ['db/**/*.ts'],
    ['@/app/*', '@/lib/*', '@/challenges/*', '@/scoring/*', '@/tests/*', '../*'],
    'db/ imports nothing outside db/: pass configuration in as arguments.',
  ),
  layer(
    ['challenges/**/*.ts'],
    ['@/app/*', '@/lib/*', '@/db/*', '@/tests/*', 'drizzle-orm', 'drizzle-orm/*', 'next', 'next/*'],
    'challenges/ may import only scoring/ (metric ids and types).',
  ),
  layer(
    ['recipes/**/*.ts'],
    ['@/app/*', '@/lib/server/*', '@/lib/client/*', '@/db/*', '@/tests/*', '@/challenges/*', 'node:*', 'fs', 'path', 'child_process'],
    'recipes/ are data-as-code: they import the recipe kit (@/lib/pipeline/recipes), pure feature and display modules, and lib/shared.',
  ),
  layer(
    ['lib/shared/**/*.ts'],
    ['@/app/*', '@/lib/server/*', '@/lib/client/*', '@/lib/pipeline/*', '@/db/*', '@/challenges/*', 'node:*', 'drizzle-orm', 'drizzle-orm/*', 'next', 'next/*'],
    'lib/shared/ runs in browser and server: it may import only scoring/ and no Node API.',
  ),
  layer(
    ['lib/client/**/*.ts', 'lib/client/**/*.tsx'],
    ['@/app/*', '@/lib/server/*', '@/lib/pipeline/*', '@/db/*', 'node:*', 'drizzle-orm', 'drizzle-orm/*'],
    'lib/client/ is browser code: it may import scoring/ and lib/shared/ only.',
  ),
  layer(
    ['lib/server/**/*.ts'],
    ['@/app/*', '@/lib/client/*', '@/lib/pipeline/*', '@/tests/*'],
    'lib/server/ may import db/, challenges/, scoring/ and lib/shared/ only.',
  ),
  layer(
    ['lib/pipeline/**/*.ts'],
    ['@/app/*', '@/lib/server/*', '@/lib/client/*', '@/db/*', '@/tests/*'],
    'lib/pipeline/ may import lib/shared/, challenges/ and scoring/ only.',
  ),
  layer(
    ['lib/cli/**/*.ts'],
    ['@/app/*', '@/lib/server/*', '@/lib/client/*', '@/lib/pipeline/*', '@/db/*', '@/challenges/*', '@/tests/*'],
    'lib/cli/ is the arena CLI, a client of the HTTP API: it may import lib/shared/ only.',
    ['lib/cli/admin/**'],
  ),
  layer(
    ['lib/cli/admin/**/*.ts'],
    ['@/app/*', '@/lib/client/*', '@/lib/pipeline/*', '@/tests/*'],
    'lib/cli/admin/ is the operator\'s console on the server: it runs lib/server services, nothing from app/ or the browser.',
  ),
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@/db/*', 'drizzle-orm', 'drizzle-orm/*'], message: 'app/ is thin: queries live in lib/server.' },
        { group: ['@/lib/pipeline/*'], message: 'app/ reaches datasets through lib/server.' },
      ] }],
    },
  },
  // Tests may import anything (fixtures, node:fs); the layer rules are for the code they test.
  { files: ['**/*.test.ts', '**/*.test.tsx'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['app/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}', 'db/**/*.ts', 'scoring/**/*.ts', 'challenges/**/*.ts', 'recipes/**/*.ts'],
    // The arena CLI runs on the participant's machine and reads ARENA_URL / ARENA_TOKEN itself.
    ignores: ['lib/env.ts', 'lib/cli/**', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through lib/env.ts.' }],
    },
  },
  // Plain Node scripts (run by npm install before anything is compiled).
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: Object.fromEntries(['process', 'console', 'URL', 'performance', 'Buffer', 'setTimeout'].map((name) => [name, 'readonly'])) },
  },
);
