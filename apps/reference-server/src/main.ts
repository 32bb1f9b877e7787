// The source hooks must be registered before any workspace package is loaded, hence the dynamic import.
import './runtime/source-hooks.ts';

const { main } = await import('./server/main-entry.ts');
await main();
