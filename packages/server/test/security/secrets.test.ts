import { readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createSqliteStore } from '@scim/store-sqlite';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ScimServer,
  createScimServer,
  hashSecret,
  issueBasicCredential,
  issueToken,
  revokeToken,
  rotateToken,
  toNodeListener,
} from '../../src/index.js';
import { REQUEST_TIMEOUT_MS, type SecurityFixture, startFixture, userBody } from './fixture.js';

// Tokens are stored only as hashes, never logged, never returned after issue, and a revoked or
// rotated-out token is refused at once by every process sharing the database (here: a second
// server with its own SQLite connection on the same file, as a second process would have).

let fx: SecurityFixture;
let second: { url: string; close: () => Promise<void>; logs: string[]; scim: ScimServer };
const responses: string[] = [];

async function call(url: string, token: string, path = '/Users?count=1'): Promise<number> {
  const reply = await fetch(`${url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  responses.push(`${[...reply.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${await reply.text()}`);
  return reply.status;
}

beforeAll(async () => {
  fx = await startFixture();
  const store = createSqliteStore({ database: fx.databasePath });
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  let listener: ReturnType<typeof toNodeListener> | undefined;
  const http: Server = createServer((req, res) => listener?.(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/scim/v2`;
  const scim = createScimServer({
    store,
    baseUrl: url,
    logger,
    rateLimit: false,
    auth: { bearer: true, basic: true },
  });
  listener = toNodeListener(scim, { basePath: '/scim/v2' });
  second = {
    url,
    logs,
    scim,
    close: async () => {
      await scim.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
    },
  };
});

afterAll(async () => {
  await second?.close();
  await fx?.close();
});

describe('secrets', () => {
  it('the database holds only the SHA-256 of each token, never the token itself', async () => {
    const issued = await issueToken(fx.store, { tenantId: fx.a.id, name: 'raw-check' });
    const basic = await issueBasicCredential(fx.store, {
      tenantId: fx.a.id,
      name: 'basic-check',
      username: 'okta',
    });
    expect(basic.password.length).toBeGreaterThan(16);
    expect(await call(fx.url, issued.secret)).toBe(200);
    const database = new DatabaseSync(fx.databasePath, { readOnly: true });
    try {
      const rows = database.prepare('SELECT * FROM credentials').all() as Record<string, unknown>[];
      const row = rows.find((candidate) => candidate.id === issued.credential.id);
      expect(row?.hash).toBe(hashSecret(issued.secret));
      for (const candidate of rows) {
        for (const value of Object.values(candidate)) {
          for (const secret of [issued.secret, fx.a.token, fx.b.token, basic.password]) {
            expect(String(value)).not.toContain(secret);
          }
        }
      }
    } finally {
      database.close();
    }
    // Not in any page of the database file or its WAL either.
    const directory = dirname(fx.databasePath);
    for (const file of readdirSync(directory)) {
      const bytes = readFileSync(join(directory, file)).toString('latin1');
      for (const secret of [issued.secret, fx.a.token, fx.b.token, basic.password]) {
        expect(bytes.includes(secret), `${file} contains a secret`).toBe(false);
      }
    }
  });

  it('tokens are never returned after issue: credential listings and responses carry no secret', async () => {
    const issued = await issueToken(fx.store, { tenantId: fx.a.id, name: 'listing' });
    const listed = await fx.store.listCredentials(fx.a.id);
    expect(JSON.stringify(listed)).not.toContain(issued.secret);
    expect(JSON.stringify(listed)).not.toContain(fx.a.token);
    expect(Object.keys(issued.credential)).not.toContain('secret');
    expect(JSON.stringify(issued.credential)).not.toContain(issued.secret);
    await call(fx.url, issued.secret, '/ServiceProviderConfig');
    await call(fx.url, issued.secret, '/Users?count=5');
    for (const text of responses) expect(text).not.toContain(issued.secret);
  });

  it('tokens never appear in the logs, valid or not, in any header position', async () => {
    const wrong = `scim_${'W'.repeat(43)}`;
    await call(fx.url, fx.a.token);
    await call(fx.url, wrong);
    await call(second.url, fx.b.token);
    await call(second.url, wrong);
    for (const authorization of [
      `bearer ${fx.a.token}`,
      `Bearer  ${fx.a.token}  `,
      `Basic ${Buffer.from(`okta:${fx.a.token}`).toString('base64')}`,
      fx.a.token,
    ]) {
      await fetch(`${fx.url}/Users`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/scim+json', 'x-request-id': 'secret-test' },
        body: JSON.stringify(userBody('logs@example.com', { password: fx.a.token })),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).then((reply) => reply.text());
    }
    // A write whose body carries a secret-looking password: the password must not be logged either.
    const logs = fx.logText() + second.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [
      fx.a.token,
      fx.b.token,
      wrong,
      Buffer.from(`okta:${fx.a.token}`).toString('base64'),
    ]) {
      expect(logs.includes(secret), 'a token is in the log').toBe(false);
    }
  });

  it('a revoked token is refused at once by every process sharing the store', async () => {
    const issued = await issueToken(fx.store, { tenantId: fx.a.id, name: 'to-revoke' });
    expect(await call(fx.url, issued.secret)).toBe(200);
    expect(await call(second.url, issued.secret)).toBe(200);
    await revokeToken(fx.store, fx.a.id, issued.credential.id);
    // No cache, no grace: the very next request on either server is refused.
    expect(await call(fx.url, issued.secret)).toBe(401);
    expect(await call(second.url, issued.secret)).toBe(401);
  });

  it('a token rotated out with no grace period is refused at once; the new one works everywhere', async () => {
    const issued = await issueToken(fx.store, { tenantId: fx.a.id, name: 'to-rotate' });
    expect(await call(second.url, issued.secret)).toBe(200);
    const rotated = await rotateToken(fx.store, {
      tenantId: fx.a.id,
      credentialId: issued.credential.id,
      graceSeconds: 0,
    });
    expect(await call(fx.url, issued.secret)).toBe(401);
    expect(await call(second.url, issued.secret)).toBe(401);
    expect(await call(fx.url, rotated.secret)).toBe(200);
    expect(await call(second.url, rotated.secret)).toBe(200);
    // A token of one tenant revoked through the other tenant's id is not revoked (ids are scoped).
    await revokeToken(fx.store, fx.b.id, rotated.credential.id).catch(() => undefined);
    expect(await call(second.url, rotated.secret)).toBe(200);
  });

  it('unknown and revoked tokens are both a 401 with a Bearer challenge', async () => {
    const issued = await issueToken(fx.store, { tenantId: fx.a.id, name: 'oracle' });
    await revokeToken(fx.store, fx.a.id, issued.credential.id);
    const unknown = await fetch(`${fx.url}/Users`, {
      headers: { authorization: 'Bearer scim_unknown' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const revoked = await fetch(`${fx.url}/Users`, {
      headers: { authorization: `Bearer ${issued.secret}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    expect(unknown.status).toBe(401);
    expect(revoked.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(revoked.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
