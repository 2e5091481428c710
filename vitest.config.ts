import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = {
  '@': path.resolve(__dirname),
  'server-only': path.resolve(__dirname, 'tests/support/server-only-stub.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['scoring/**/*.test.ts', 'lib/**/*.test.ts', 'challenges/**/*.test.ts', 'recipes/**/*.test.ts', 'db/**/*.test.ts', 'tests/architecture/**/*.test.ts'],
          testTimeout: 60_000,
          // Two files at a time on the 2-core machines (vitest would run one): about 175 → 125 s.
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file opens its own database; two at a time fits the 2-core machines.
          maxWorkers: 2,
        },
      },
    ],
  },
});
