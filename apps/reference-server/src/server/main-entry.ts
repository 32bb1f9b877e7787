import { createAdminRoutes } from '../admin-api/index.ts';
import { isConfigError, loadConfig } from '../config/index.ts';
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
  const server = await startServer(config, {
    // The settings page (/admin) and its JSON API (/admin/api), enabled by SCIM_ADMIN_TOKEN.
    routes: createAdminRoutes({ adminToken: config.adminToken, defaultTenant: config.defaultTenant }),
  });
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
