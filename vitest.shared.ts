import { defineConfig } from 'vitest/config';

/** Resolve workspace packages to their TypeScript sources, so tests need no prior build. */
const conditions = ['@scim/source', 'import', 'module', 'node', 'default'];

export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@scim/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
