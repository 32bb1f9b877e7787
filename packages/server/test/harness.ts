import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Store } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { createSqliteStore } from '@scim/store-sqlite';
import pino from 'pino';
import {
  createScimServer,
  issueToken,
  type ScimServer,
  type ScimServerOptions,
  toNodeListener,
} from '../src/index.js';

/** Captured log lines of a test server. */
export interface LogCapture {
  lines: Record<string, unknown>[];
  text: () => string;
}

export function captureLogger(): { logger: pino.Logger; capture: LogCapture } {
  const raw: string[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        raw.push(line);
      },
    },
  );
  return {
    logger,
    capture: {
      get lines() {
        return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
      },
      text: () => raw.join(''),
    },
  };
}

export interface TestClient {
  baseUrl: string;
  token: string;
  store: Store;
  scim: ScimServer;
  logs: LogCapture;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; token?: string | null; rawBody?: string },
  ): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  close(): Promise<void>;
}

export type StoreFactory = () => Promise<{ store: Store; destroy?: () => Promise<void> }>;

export const memoryStoreFactory: StoreFactory = async () => ({ store: createMemoryStore() });

/** Starts a SCIM server on 127.0.0.1:0 under /scim/v2 with one tenant and one token. */
export async function startServer(
  options: Partial<ScimServerOptions> & { tenantId?: string } = {},
  factory: StoreFactory = defaultFactory,
): Promise<TestClient> {
  const { store, destroy } = options.store ? { store: options.store, destroy: undefined } : await factory();
  const tenantId = options.tenantId ?? 'acme';
  if ((await store.getTenant(tenantId)) === undefined) {
    await store.createTenant({ id: tenantId, name: tenantId, createdAt: new Date().toISOString() });
  }
  const { secret } = await issueToken(store, { tenantId, name: 'test' });
  const { logger, capture } = captureLogger();
  let listener: ((req: any, res: any) => void) | undefined;
  const server: Server = createServer((req, res) => listener!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}/scim/v2`;
  const scim = createScimServer({ logger, ...options, store, baseUrl } as ScimServerOptions);
  listener = toNodeListener(scim, { basePath: '/scim/v2' });
  const client: TestClient = {
    baseUrl,
    token: secret,
    store,
    scim,
    logs: capture,
    async request(method, path, requestOptions = {}) {
      const headers: Record<string, string> = { ...(requestOptions.headers ?? {}) };
      const token = requestOptions.token === undefined ? secret : requestOptions.token;
      if (token !== null && headers.authorization === undefined) headers.authorization = `Bearer ${token}`;
      let body: string | undefined = requestOptions.rawBody;
      if (requestOptions.body !== undefined) {
        body = JSON.stringify(requestOptions.body);
        headers['content-type'] ??= 'application/scim+json';
      }
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      await scim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await destroy?.();
    },
  };
  return client;
}

/** @scim/store-sqlite on a fresh temporary file, removed afterwards. */
export const sqliteStoreFactory: StoreFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scim-server-'));
  const store = createSqliteStore({ database: join(dir, 'scim.db') });
  return {
    store,
    destroy: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

let defaultFactory: StoreFactory = sqliteStoreFactory;

/** Switches the store the harness uses by default (SQLite once it is available). */
export function useStoreFactory(factory: StoreFactory): void {
  defaultFactory = factory;
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
