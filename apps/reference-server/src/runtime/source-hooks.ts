/**
 * Lets Node run the workspace packages straight from their TypeScript sources: adds the
 * `@scim/source` export condition (so `scim-admin` works without `--conditions`), maps a relative
 * `./x.js` import of a `.ts` file to `./x.ts` (the packages follow the NodeNext convention, which
 * Node's type stripping does not rewrite), and transforms the rare TypeScript syntax that plain type
 * stripping refuses. Must be imported before any workspace package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';

const CONDITION = '@scim/source';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const conditions = context.conditions.includes(CONDITION)
      ? context.conditions
      : [...context.conditions, CONDITION];
    const next = { ...context, conditions };
    if (
      specifier.startsWith('.') &&
      specifier.endsWith('.js') &&
      context.parentURL?.startsWith('file:') &&
      context.parentURL.endsWith('.ts')
    ) {
      const candidate = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
      if (!existsSync(new URL(specifier, context.parentURL)) && existsSync(candidate)) {
        return nextResolve(candidate.href, next);
      }
    }
    return nextResolve(specifier, next);
  },
  load(url, context, nextLoad) {
    try {
      return nextLoad(url, context);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || !url.endsWith('.ts'))
        throw error;
      const source = readFileSync(fileURLToPath(url), 'utf8');
      return {
        format: 'module',
        source: stripTypeScriptTypes(source, { mode: 'transform', sourceUrl: url }),
        shortCircuit: true,
      };
    }
  },
});
