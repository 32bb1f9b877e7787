import { createAdminRoutes } from '../admin-api/index.ts';
import { isConfigError, loadConfig, type ServerConfig } from '../config/index.ts';
import { startServer } from './start-server.ts';

/**
 * The `pnpm start` entry: loads the configuration (exit 2 with every problem listed when invalid),
 * starts the server and shuts it down gracefully on SIGTERM or SIGINT (a second signal forces exit).
 */
export async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (isConfigError(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // A reader of our output that went away (`pnpm start | pino-pretty`, then Ctrl-C) must not turn the
  // next line written into an uncaught EPIPE that kills the server without its graceful shutdown.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, {
      // The settings page (/admin) and its JSON API (/admin/api), enabled by SCIM_ADMIN_TOKEN.
      routes: createAdminRoutes({ adminToken: config.adminToken, defaultTenant: config.defaultTenant }),
    });
  } catch (error) {
    // A port in use, a store that cannot be opened or reached: say what to fix, not a stack trace.
    process.stderr.write(`Cannot start the SCIM server: ${startFailure(error, config)}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      server.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    server.logger.info({ signal }, 'signal received');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** What went wrong on start, in words that point at the setting to change. */
export function startFailure(error: unknown, config: ServerConfig): string {
  const {
    code,
    syscall,
    message = String(error),
  } = error as {
    code?: string;
    syscall?: string;
    message?: string;
  };
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE')
    return `port ${config.port} is already in use on ${config.host}; stop the other process or set PORT to a free port`;
  if (syscall === 'listen' && code === 'EACCES')
    return `no permission to listen on ${where}; set PORT to a port above 1023`;
  if (syscall === 'listen' || syscall === 'getaddrinfo')
    return `cannot listen on ${where} (${message}); set HOST to an address of this machine, or 0.0.0.0 for all`;
  const store =
    config.store.kind === 'sqlite'
      ? `the SQLite database ${config.store.path} (SCIM_SQLITE_PATH)`
      : `MongoDB database ${config.store.database} (SCIM_MONGODB_URI)`;
  return `cannot use ${store}: ${message}`;
}
