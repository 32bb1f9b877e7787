/**
 * Lets Node run the workspace's TypeScript sources directly (`node --conditions=@scim/source`):
 * the sources import each other as `./x.js` (NodeNext style), and this resolve hook falls back to
 * `./x.ts` when the `.js` file does not exist. Benchmarks import this first, then load the store
 * with a dynamic `import()` so that the hook is in place.
 */
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
