import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isAdminError } from '../admin/admin-error.ts';
import { createAdminService } from '../admin/service.ts';
import { isConfigError, loadConfig } from '../config/index.ts';
import { type OpenedStore, openStore as defaultOpenStore } from '../server/open-store.ts';
import { type CliIO, COMMANDS, type Command, UsageError } from './commands.ts';

/** Inputs of {@link runCli}; they default to the real process. */
export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  io?: CliIO;
  signal?: AbortSignal;
  openStore?: (config: Parameters<typeof defaultOpenStore>[0]) => Promise<OpenedStore>;
}

const GLOBAL_OPTIONS = {
  tenant: { type: 'string', short: 't' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The help text: every command with its usage. */
export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'scim-admin: administer the reference SCIM server (uses the same configuration variables as the server).',
    '',
    'Usage: scim-admin <command> [arguments] [--tenant <id>] [--json]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --tenant, -t <id>  tenant to act on (default: SCIM_DEFAULT_TENANT or "default")',
    '  --json             machine-readable output',
    "  --help, -h         this text, or a command's usage with `scim-admin <command> --help`",
    '',
    'Exit codes: 0 done, 1 refused or failed, 2 bad usage or configuration.',
  ].join('\n');
}

function findCommand(argv: string[]): { command?: Command; rest: string[] } {
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  for (const length of [2, 1]) {
    const name = words.slice(0, length).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command) {
      const rest = [...argv];
      for (const word of name.split(' ')) rest.splice(rest.indexOf(word), 1);
      return { command, rest };
    }
  }
  return { rest: argv };
}

/**
 * Runs `scim-admin` with the given arguments and returns the exit code: 0 done, 1 refused or
 * failed, 2 bad usage or configuration.
 *
 * @example
 * process.exitCode = await runCli(['tokens', 'list', '--tenant', 'acme']);
 */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  const io: CliIO = options.io ?? { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
  const env = options.env ?? process.env;
  const fail = (message: string, code: number) => {
    io.stderr.write(`scim-admin: ${message}\n`);
    return code;
  };

  const { command, rest } = findCommand(argv);
  if (!command) {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
      io.stdout.write(`${helpText()}\n`);
      return 0;
    }
    return fail(
      `unknown command '${argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}'\n\n${helpText()}`,
      2,
    );
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message}\nusage: scim-admin ${command.usage}`, 2);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    io.stdout.write(`${command.summary}\nusage: scim-admin ${command.usage}\n`);
    return 0;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ env });
  } catch (error) {
    if (isConfigError(error)) return fail(error.message, 2);
    throw error;
  }

  // Run from the wrong directory, the default ./data/scim.sqlite would be a new, empty database: a
  // token issued there would never work against the running server. Only the server creates it.
  if (
    !options.openStore &&
    config.store.kind === 'sqlite' &&
    config.store.path !== ':memory:' &&
    !existsSync(config.store.path)
  ) {
    return fail(
      `there is no database at ${config.store.path}. Run scim-admin from the directory you ran 'pnpm start' in, or set SCIM_SQLITE_PATH (or SCIM_STORE=mongodb) as the server has it; the server creates the database on its first start.`,
      1,
    );
  }
  const open = options.openStore ?? defaultOpenStore;
  let opened: OpenedStore;
  try {
    opened = await open(config.store);
  } catch (error) {
    return fail(`cannot open the store (${config.store.kind}): ${(error as Error).message}`, 1);
  }
  const baseUrl = `${config.publicUrl ?? `http://localhost:${config.port}`}${config.basePath}`;
  const admin = createAdminService({ store: opened.store, baseUrl: () => baseUrl });
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (!options.signal) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  try {
    await command.run(
      {
        admin,
        store: opened.store,
        config,
        tenant: typeof values.tenant === 'string' ? values.tenant : config.defaultTenant,
        json: values.json === true,
        io,
        signal: controller.signal,
        openStore: open,
      },
      parsed.positionals,
      values,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, 2);
    if (isAdminError(error)) return fail(error.message, 1);
    const name = (error as { name?: string }).name;
    if (name === 'ScimError' || name === 'StoreError') return fail(`${name}: ${(error as Error).message}`, 1);
    // Anything else (a file that cannot be read or written, a target store that cannot be reached)
    // is still the admin's to fix: say what failed instead of crashing with a stack trace.
    return fail(error instanceof Error ? error.message : String(error), 1);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await opened.close();
  }
}
