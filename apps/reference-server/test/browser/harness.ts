/**
 * Starts the real reference server (startServer with its SQLite store, SCIM API and the admin routes
 * exactly as main.ts mounts them) on a free 127.0.0.1 port, and Debian's Chromium through
 * playwright-core with a fresh profile.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createAdminRoutes } from '../../src/admin-api/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { type RunningServer, startServer } from '../../src/server/start-server.ts';

export const ADMIN_TOKEN = 'browser-test-admin-token-0123456789';
export const BOOTSTRAP_TOKEN = 'browser-test-bootstrap-token-012345';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Why the browser tests cannot run here, or undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `Chromium is not installed at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`;
}

export interface BrowserHarness {
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  origin: string;
  context: BrowserContext;
  /** Calls the admin API with the admin token. */
  admin(method: string, path: string, body?: unknown): Promise<any>;
  /** Calls the SCIM API with a token; answers status and JSON body. */
  scim(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A new tenant with its own SCIM token, so each test has data of its own. */
  createTenant(prefix: string): Promise<{ tenantId: string; scimToken: string }>;
  /** Opens the settings page in a new tab, signs in and selects the tenant. */
  openAdmin(tenantId: string): Promise<Page>;
  close(): Promise<void>;
}

let tenantCounter = 0;

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-admin-browser-'));
  const config = loadConfig({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      SCIM_STORE: 'sqlite',
      SCIM_SQLITE_PATH: join(dir, 'scim.sqlite'),
      SCIM_ADMIN_TOKEN: ADMIN_TOKEN,
      SCIM_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
      SCIM_RATE_LIMIT: 'off',
      LOG_LEVEL: 'silent',
    },
    baseDir: dir,
  });
  const server = await startServer(config, {
    print: () => {},
    routes: createAdminRoutes({ adminToken: config.adminToken, defaultTenant: config.defaultTenant }),
  });
  const origin = `http://127.0.0.1:${server.port}`;
  const userDataDir = join(dir, 'chromium-profile');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1366, height: 768 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  } catch (error) {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const json = async (response: Response) => {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${origin}/admin/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const data = await json(response);
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${JSON.stringify(data)}`);
    return data;
  };
  const scim = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${origin}/scim/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/scim+json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: await json(response) };
  };

  return {
    server,
    origin,
    context,
    admin,
    scim,
    async createTenant(prefix) {
      tenantCounter++;
      const tenantId = `${prefix}-${tenantCounter}-${Math.random().toString(36).slice(2, 7)}`;
      await admin('POST', '/tenants', { id: tenantId, name: `${prefix} tenant` });
      const { secret } = await admin('POST', `/tenants/${tenantId}/tokens`, { name: 'test IdP' });
      return { tenantId, scimToken: secret as string };
    },
    async openAdmin(tenantId) {
      const page = await context.newPage();
      await page.goto(`${origin}/admin#settings`);
      await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await page.getByLabel('Tenant').selectOption(tenantId);
      await page.locator('#status', { hasText: `Showing tenant ${tenantId}` }).waitFor();
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
