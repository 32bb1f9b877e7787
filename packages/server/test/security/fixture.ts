import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@scim/core';
import { createSqliteStore } from '@scim/store-sqlite';
import pino from 'pino';
import {
  type ScimServer,
  type ScimServerOptions,
  createScimServer,
  issueToken,
  toNodeListener,
} from '../../src/index.js';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** No single request of these tests may take longer than this: a hang is a failure, not a wait. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface Tenant {
  id: string;
  token: string;
  credentialId: string;
}

/** One SCIM server on 127.0.0.1 over @scim/store-sqlite on a temporary file, with two tenants. */
export interface SecurityFixture {
  url: string;
  databasePath: string;
  store: Store;
  scim: ScimServer;
  a: Tenant;
  b: Tenant;
  /** Every log line the server wrote, as text. */
  logText(): string;
  send(
    method: string,
    path: string,
    options?: {
      token?: string | null;
      body?: unknown;
      raw?: string | Uint8Array;
      headers?: Record<string, string>;
    },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Starts a server on a temp SQLite file; `options` are passed to `createScimServer`. */
export async function startFixture(options: Partial<ScimServerOptions> = {}): Promise<SecurityFixture> {
  const directory = await mkdtemp(join(tmpdir(), 'scim-security-'));
  const databasePath = join(directory, 'scim.db');
  const store = createSqliteStore({ database: databasePath });
  const tenants: Tenant[] = [];
  for (const id of ['tenant-a', 'tenant-b']) {
    await store.createTenant({ id, name: id, createdAt: new Date().toISOString() });
    const { secret, credential } = await issueToken(store, { tenantId: id, name: `${id}-idp` });
    tenants.push({ id, token: secret, credentialId: credential.id });
  }
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  let listener: ((req: never, res: never) => void) | undefined;
  const http: Server = createServer((req, res) => listener?.(req as never, res as never));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/scim/v2`;
  const scim = createScimServer({ rateLimit: false, logger, ...options, store, baseUrl: url });
  listener = toNodeListener(scim, { basePath: '/scim/v2' }) as typeof listener;
  const [a, b] = tenants as [Tenant, Tenant];

  return {
    url,
    databasePath,
    store,
    scim,
    a,
    b,
    logText: () => logLines.join(''),
    async send(method, path, request = {}) {
      const headers: Record<string, string> = { ...(request.headers ?? {}) };
      const token = request.token === undefined ? a.token : request.token;
      if (token !== null && headers.authorization === undefined) headers.authorization = `Bearer ${token}`;
      let body: string | Uint8Array | undefined = request.raw;
      if (request.body !== undefined) body = JSON.stringify(request.body);
      if (body !== undefined) headers['content-type'] ??= 'application/scim+json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    async close() {
      await scim.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A minimal valid user. */
export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [USER], userName, active: true, name: { givenName: 'G', familyName: 'F' }, ...extra };
}

/**
 * Fails unless `reply` is a well-formed SCIM response: a 2xx/304 with a JSON body or none, or an
 * error with the RFC 7644 3.12 body whose `status` equals the HTTP status. `allowed` lists the
 * statuses the caller accepts; a 5xx is never accepted unless listed (501 for /Me).
 */
export function wellFormed(reply: Reply, label: string, allowed?: readonly number[]): string | undefined {
  if (allowed !== undefined && !allowed.includes(reply.status))
    return `${label}: status ${reply.status} ${reply.text.slice(0, 300)}`;
  if (reply.status >= 500 && reply.status !== 501 && reply.status !== 503)
    return `${label}: server error ${reply.status} ${reply.text.slice(0, 300)}`;
  if (reply.status >= 400) {
    const body = reply.body as { schemas?: unknown; status?: unknown; detail?: unknown } | undefined;
    if (body === undefined)
      return `${label}: error ${reply.status} without a JSON body: ${reply.text.slice(0, 200)}`;
    if (!Array.isArray(body.schemas) || !body.schemas.includes(ERROR))
      return `${label}: error body without the Error schema`;
    if (body.status !== String(reply.status))
      return `${label}: body status ${String(body.status)} != ${reply.status}`;
    if (typeof body.detail !== 'string' || body.detail.length === 0)
      return `${label}: error without a detail`;
    return undefined;
  }
  if (reply.text !== '' && reply.body === undefined) return `${label}: ${reply.status} with a non-JSON body`;
  return undefined;
}

/** A small deterministic PRNG (mulberry32): a failing seed can be replayed with SCIM_FUZZ_SEED. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number): boolean => next() < p;
  return { next, int, pick, chance };
}

export type Random = ReturnType<typeof prng>;
