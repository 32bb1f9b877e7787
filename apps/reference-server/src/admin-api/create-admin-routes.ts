import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '@scim/core';
import type { Logger } from 'pino';
import { createAdminPage } from '../admin-page/serve-admin-page.ts';
import { type AdminApiHandler, createAdminApi } from './create-admin-api.ts';

/** What the admin routes need from the running server (a subset of `RunningServer`). */
export interface AdminRouteServer {
  store: Store;
  /** The SCIM base URL shown on the page. */
  baseUrl: string;
  logger?: Pick<Logger, 'error'>;
}

/** Options of {@link createAdminRoutes}. */
export interface AdminRoutesOptions {
  /** `SCIM_ADMIN_TOKEN`; absent, the page still loads and the API answers 503 saying how to enable it. */
  adminToken: string | undefined;
  /** The tenant the page opens on. @default 'default' */
  defaultTenant?: string;
}

/**
 * The admin API (`/admin/api`) and settings page (`/admin`) as one `routes` hook for the reference
 * server's `startServer`. The API is built on first use from the running server's store and base URL.
 *
 * @example
 * await startServer(config, { routes: createAdminRoutes({ adminToken: config.adminToken, defaultTenant: config.defaultTenant }) });
 */
export function createAdminRoutes(
  options: AdminRoutesOptions,
): (req: IncomingMessage, res: ServerResponse, server: AdminRouteServer) => Promise<boolean> | boolean {
  const page = createAdminPage();
  let api: AdminApiHandler | undefined;
  let apiStore: Store | undefined;
  const serve = async (req: IncomingMessage, res: ServerResponse, server: AdminRouteServer) => {
    if (!api || apiStore !== server.store) {
      apiStore = server.store;
      api = createAdminApi({
        store: server.store,
        adminToken: options.adminToken,
        scimBaseUrl: server.baseUrl,
        defaultTenant: options.defaultTenant ?? 'default',
        ...(server.logger ? { logger: server.logger } : {}),
      });
    }
    if (await api(req, res)) return true;
    return page(req, res);
  };
  // Every SCIM request passes through here first: anything outside /admin is declined at once,
  // without parsing its URL or awaiting anything.
  return (req, res, server) => {
    const url = req.url ?? '/';
    if (!url.startsWith(ADMIN_PREFIX)) return false;
    const next = url.charAt(ADMIN_PREFIX.length);
    if (next !== '' && next !== '/' && next !== '?') return false;
    return serve(req, res, server);
  };
}

/** The path both the page (`/admin`) and its API (`/admin/api`) live under. */
const ADMIN_PREFIX = '/admin';
