import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every published package uses: ESM only, declarations, source maps.
 * Declarations are built against the other packages' published `types` (not their sources), so a
 * package's .d.ts never inlines another package.
 */
export function packageConfig(entry: Record<string, string>, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node22',
    platform: 'neutral',
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    ...extra,
  });
}
