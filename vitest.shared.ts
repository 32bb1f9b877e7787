import { defineConfig } from 'vitest/config';

/** Resolve workspace packages to their TypeScript sources, so tests need no prior build. */
const conditions = ['@scim/source', 'import', 'module', 'node', 'default'];

export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@scim/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // In CI each package also writes a JSON report that scripts/test-summary.mjs adds up.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
