import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// The shared `import` condition is forwarded to Node for external packages, which makes Express's
// CommonJS dependencies (is-promise) load their ESM entry through require(). The server's tests run
// Express and Fastify, so its conditions leave `import` out (everything else is the shared config).
const conditions = ['@scim/source', 'module', 'node', 'default'];

export default defineConfig({
  ...sharedConfig,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@scim/source'] } },
});
