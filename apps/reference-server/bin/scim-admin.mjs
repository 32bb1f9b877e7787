#!/usr/bin/env node
// Runs the admin CLI from its TypeScript sources (Node >= 22.18 strips types natively); the source
// hooks add the @scim/source condition so the workspace packages load without a build.
await import('../src/cli/main.ts');
