// The source hooks must be registered before any workspace package is loaded, hence the dynamic import.
import '../runtime/source-hooks.ts';

const { runCli } = await import('./run-cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
