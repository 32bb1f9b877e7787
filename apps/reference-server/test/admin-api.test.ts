import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@scim/core';
import { createScimServer, issueToken, toNodeListener } from '@scim/server';
import { createSqliteStore } from '@scim/store-sqlite';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminRoutes } from '../src/admin-api/index.ts';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => { close(): void };
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Harness {
  origin: string;
  scimToken: string;
  store: Store;
  admin(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  scim(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The reference server's composition in miniature: admin routes first, then SCIM, on a real SQLite file. */
async function startHarness(
  options: { adminToken?: string } = { adminToken: ADMIN_TOKEN },
): Promise<Harness> {
  const { adminToken } = options;
  const dir = mkdtempSync(join(tmpdir(), 'scim-admin-api-'));
  const database = new Database(join(dir, 'scim.sqlite'));
  const store = createSqliteStore({ database: database as never });
  await store.createTenant({ id: 'default', name: 'Default tenant', createdAt: new Date().toISOString() });
  const { secret: scimToken } = await issueToken(store, { tenantId: 'default', name: 'okta' });
  const logger = pino({ level: 'silent' });
  let origin = '';
  const routes = createAdminRoutes({ adminToken, defaultTenant: 'default' });
  let listener: ReturnType<typeof toNodeListener> | undefined;
  const server: Server = createServer(async (req, res) => {
    if (await routes(req, res, { store, baseUrl: `${origin}/scim/v2`, logger })) return;
    listener?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scimServer = createScimServer({ store, baseUrl: `${origin}/scim/v2`, logger, rateLimit: false });
  listener = toNodeListener(scimServer, { basePath: '/scim/v2' });

  const call = async (url: string, method: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    origin,
    scimToken,
    store,
    admin: (method, path, body, token = ADMIN_TOKEN) =>
      call(
        `${origin}/admin/api${path}`,
        method,
        body,
        token === null ? {} : { authorization: `Bearer ${token}` },
      ),
    scim: (method, path, body, token = scimToken) =>
      call(`${origin}/scim/v2${path}`, method, body, { authorization: `Bearer ${token}` }),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scimServer.close?.();
      await store.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('admin API: authentication', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('answers 503 with how to enable it when SCIM_ADMIN_TOKEN is not configured', async () => {
    h = await startHarness({});
    const res = await h.admin('GET', '/session', undefined, 'anything-at-all');
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('admin_api_disabled');
    expect(res.body.detail).toContain('SCIM_ADMIN_TOKEN');
  });

  it('refuses a missing or wrong token with 401 and a challenge', async () => {
    h = await startHarness();
    const missing = await h.admin('GET', '/session', undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body.detail).toContain('Authorization: Bearer');
    const wrong = await h.admin('GET', '/session', undefined, `${ADMIN_TOKEN}x`);
    expect(wrong.status).toBe(401);
  });

  it('refuses a SCIM token on the admin API, and the admin token on the SCIM API', async () => {
    h = await startHarness();
    const withScim = await h.admin('GET', '/tenants', undefined, h.scimToken);
    expect(withScim.status).toBe(401);
    expect(withScim.body.detail).toContain('SCIM tokens are not accepted');
    expect((await h.scim('GET', '/Users', undefined, h.scimToken)).status).toBe(200);
    expect((await h.scim('GET', '/Users', undefined, ADMIN_TOKEN)).status).toBe(401);
    expect((await h.admin('GET', '/session')).body).toEqual({ defaultTenant: 'default' });
  });

  it('refuses the admin API when the admin token was also made a SCIM token', async () => {
    h = await startHarness();
    await issueToken(h.store, { tenantId: 'default', name: 'same value', secret: ADMIN_TOKEN });
    const res = await h.admin('GET', '/tenants');
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('admin_token_reused');
  });
});

describe('admin API: operations', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it('shows tenants with the SCIM base URL, counts and last-sync time', async () => {
    const before = await h.admin('GET', '/tenants/default');
    expect(before.status).toBe(200);
    expect(before.body.baseUrl).toBe(`${h.origin}/scim/v2`);
    expect(before.body.lastSyncAt).toBeUndefined();
    await h.scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'sync@example.com' });
    const after = await h.admin('GET', '/tenants/default');
    expect(after.body.counts.users).toBe(1);
    expect(Date.parse(after.body.lastSyncAt)).not.toBeNaN();
    const list = await h.admin('GET', '/tenants');
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual(['default']);
    expect((await h.admin('GET', '/tenants/nope')).status).toBe(404);
    const created = await h.admin('POST', '/tenants', { id: 'acme', name: 'Acme' });
    expect(created.status).toBe(201);
    expect((await h.admin('POST', '/tenants', { id: 'acme' })).status).toBe(409);
    const bad = await h.admin('POST', '/tenants', { id: 'Not OK' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('lower-case');
  });

  it('issues a token shown once that works on SCIM, rotates it with a grace period and revokes it', async () => {
    const issued = await h.admin('POST', '/tenants/default/tokens', { name: 'Entra ID' });
    expect(issued.status).toBe(201);
    const { secret, token } = issued.body;
    expect(typeof secret).toBe('string');
    expect(token.state).toBe('active');
    expect((await h.scim('GET', '/Users', undefined, secret)).status).toBe(200);

    const list = await h.admin('GET', '/tenants/default/tokens');
    const row = list.body.items.find((t: { id: string }) => t.id === token.id);
    expect(row.name).toBe('Entra ID');
    expect(Date.parse(row.lastUsedAt)).not.toBeNaN();
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain('hash');

    const rotated = await h.admin('POST', `/tenants/default/tokens/${token.id}/rotate`, {
      graceSeconds: 3600,
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(secret);
    expect(Date.parse(rotated.body.previous.expiresAt)).toBeGreaterThan(Date.now());
    expect((await h.scim('GET', '/Users', undefined, secret)).status).toBe(200);
    expect((await h.scim('GET', '/Users', undefined, rotated.body.secret)).status).toBe(200);

    const revoked = await h.admin('POST', `/tenants/default/tokens/${rotated.body.token.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token.state).toBe('revoked');
    expect((await h.scim('GET', '/Users', undefined, rotated.body.secret)).status).toBe(401);
    const again = await h.admin('POST', `/tenants/default/tokens/${rotated.body.token.id}/rotate`, {
      graceSeconds: 0,
    });
    expect(again.status).toBe(409);
    expect((await h.admin('DELETE', `/tenants/default/tokens/${token.id}`)).body.token.state).toBe('revoked');
  });

  it('answers bad token input with 400/404 saying what to fix', async () => {
    const noName = await h.admin('POST', '/tenants/default/tokens', {});
    expect(noName.status).toBe(400);
    expect(noName.body.detail).toContain("'name'");
    const chosen = await h.admin('POST', '/tenants/default/tokens', {
      name: 'x',
      secret: 'my-own-secret-123456',
    });
    expect(chosen.status).toBe(400);
    const past = await h.admin('POST', '/tenants/default/tokens', {
      name: 'x',
      expiresAt: '2001-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.detail).toContain('in the past');
    const badTime = await h.admin('POST', '/tenants/default/tokens', { name: 'x', expiresAt: 'tomorrow' });
    expect(badTime.status).toBe(400);
    const [first] = (await h.admin('GET', '/tenants/default/tokens')).body.items;
    const grace = await h.admin('POST', `/tenants/default/tokens/${first.id}/rotate`, { graceSeconds: -5 });
    expect(grace.status).toBe(400);
    expect(grace.body.detail).toContain('graceSeconds');
    expect((await h.admin('POST', '/tenants/default/tokens/nope/revoke')).status).toBe(404);
    expect((await h.admin('POST', '/tenants/default/tokens', '{not json')).status).toBe(400);
    expect((await h.admin('POST', '/tenants/default/tokens', '[1,2]')).body.error).toBe('invalid_body');
  });

  it('edits roles and group mappings, and a provisioned user gets the mapped role with the reason', async () => {
    const roles = await h.admin('PUT', '/tenants/default/roles', {
      roles: ['admin', 'member', 'viewer'],
      defaultRole: 'viewer',
    });
    expect(roles.status).toBe(200);
    expect(roles.body.settings.roles).toEqual(['admin', 'member', 'viewer']);
    const badDefault = await h.admin('PUT', '/tenants/default/roles', {
      roles: ['admin'],
      defaultRole: 'owner',
    });
    expect(badDefault.status).toBe(400);
    expect(badDefault.body.detail).toContain("default role 'owner'");
    expect(
      (await h.admin('PUT', '/tenants/default/roles', { roles: 'admin', defaultRole: null })).status,
    ).toBe(400);

    const mapped = await h.admin('POST', '/tenants/default/mappings', {
      match: 'displayName',
      value: 'Engineering',
      role: 'member',
    });
    expect(mapped.status).toBe(201);
    const duplicate = await h.admin('POST', '/tenants/default/mappings', {
      value: 'engineering',
      role: 'admin',
    });
    expect(duplicate.status).toBe(409);
    const unknownRole = await h.admin('POST', '/tenants/default/mappings', { value: 'Ops', role: 'owner' });
    expect(unknownRole.status).toBe(400);
    expect(
      (await h.admin('POST', '/tenants/default/mappings', { match: 'name', value: 'Ops', role: 'admin' }))
        .status,
    ).toBe(400);

    const user = await h.scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'ada@example.com',
      displayName: 'Ada',
    });
    const other = await h.scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'bob@example.com' });
    await h.scim('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Engineering',
      members: [{ value: user.body.id }],
    });

    const users = await h.admin('GET', '/tenants/default/users');
    const ada = users.body.items.find((u: { userName: string }) => u.userName === 'ada@example.com');
    expect(ada.role).toBe('member');
    expect(ada.reason).toContain('Engineering');
    const bob = users.body.items.find((u: { id: string }) => u.id === other.body.id);
    expect(bob.role).toBe('viewer');

    // Edit: first the role only, then the group it matches (the user loses the mapped role).
    const edited = await h.admin('PUT', '/tenants/default/mappings/displayName/Engineering', {
      role: 'admin',
    });
    expect(edited.status).toBe(200);
    expect((await h.admin('GET', `/tenants/default/users/${ada.id}`)).body.row.role).toBe('admin');
    const moved = await h.admin('PUT', '/tenants/default/mappings/displayName/Engineering', {
      match: 'displayName',
      value: 'Platform',
      role: 'admin',
    });
    expect(moved.body.settings.mappings).toEqual([
      { match: 'displayName', value: 'Platform', role: 'admin' },
    ]);
    expect((await h.admin('GET', '/tenants/default/users/ada@example.com')).body.row.role).toBe('viewer');
    expect(
      (await h.admin('PUT', '/tenants/default/mappings/displayName/Engineering', { role: 'admin' })).status,
    ).toBe(404);
    expect(
      (await h.admin('PUT', '/tenants/default/mappings/name/Engineering', { role: 'admin' })).status,
    ).toBe(404);

    const removed = await h.admin('DELETE', '/tenants/default/mappings/displayName/Platform');
    expect(removed.body.settings.mappings).toEqual([]);
    expect((await h.admin('DELETE', '/tenants/default/mappings/displayName/Platform')).status).toBe(404);
    const unmapOrphan = await h.admin('PUT', '/tenants/default/roles', {
      roles: ['viewer'],
      defaultRole: 'viewer',
    });
    expect(unmapOrphan.status).toBe(200);
  });

  it('lists users with search, status and deprovisioned filters, and groups with member counts', async () => {
    const a = await h.scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'alice@example.com',
      displayName: 'Alice',
    });
    const b = await h.scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'bruno@example.com',
      displayName: 'Bruno',
    });
    await h.scim('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Sales',
      members: [{ value: a.body.id }, { value: b.body.id }],
    });
    await h.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Empty' });

    const search = await h.admin('GET', '/tenants/default/users?q=ALI');
    expect(search.body.items.map((u: { userName: string }) => u.userName)).toEqual(['alice@example.com']);
    const quoted = await h.admin('GET', `/tenants/default/users?q=${encodeURIComponent('a"b\\')}`);
    expect(quoted.status).toBe(200);
    expect(quoted.body.items).toEqual([]);

    await h.scim('PATCH', `/Users/${b.body.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    const inactive = await h.admin('GET', '/tenants/default/users?status=inactive');
    expect(inactive.body.items.map((u: { id: string }) => u.id)).toEqual([b.body.id]);
    expect(inactive.body.items[0].active).toBe(false);

    await h.scim('DELETE', `/Users/${a.body.id}`);
    const visible = await h.admin('GET', '/tenants/default/users');
    expect(visible.body.items.map((u: { id: string }) => u.id)).toEqual([b.body.id]);
    const all = await h.admin('GET', '/tenants/default/users?includeDeprovisioned=true');
    const gone = all.body.items.find((u: { id: string }) => u.id === a.body.id);
    expect(gone.status).toBe('inactive');
    expect(gone.reason).toContain('deprovisioned');

    const groups = await h.admin('GET', '/tenants/default/groups');
    const counts = Object.fromEntries(
      groups.body.items.map((g: { displayName: string; memberCount: number }) => [
        g.displayName,
        g.memberCount,
      ]),
    );
    expect(counts).toEqual({ Sales: 1, Empty: 0 });
    expect((await h.admin('GET', '/tenants/default/groups?q=sal')).body.items).toHaveLength(1);
    expect((await h.admin('GET', '/tenants/default/groups/Sales')).body.members).toHaveLength(1);

    const badFilter = await h.admin(
      'GET',
      `/tenants/default/users?filter=${encodeURIComponent('userName zz "a"')}`,
    );
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.detail).toContain('filter');
    expect((await h.admin('GET', '/tenants/default/users?status=gone')).status).toBe(400);
    expect((await h.admin('GET', '/tenants/default/users?count=0')).status).toBe(400);
    expect((await h.admin('GET', '/tenants/default/users/nobody')).status).toBe(404);
  });

  it('pages through the audit log by event type and time', async () => {
    for (const name of ['u1', 'u2', 'u3']) {
      await h.scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: `${name}@example.com` });
    }
    await h.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'G' });
    await h.admin('POST', '/tenants/default/tokens', { name: 'audit me' });

    const first = await h.admin('GET', '/tenants/default/audit?type=scim.user.*&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items.every((e: { type: string }) => e.type.startsWith('scim.user.'))).toBe(true);
    expect(first.body.items[0].position).toBeGreaterThan(first.body.items[1].position);
    const second = await h.admin(
      'GET',
      `/tenants/default/audit?type=scim.user.*&limit=2&before=${first.body.nextBefore}`,
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextBefore).toBeUndefined();

    const admin = await h.admin('GET', '/tenants/default/audit?type=admin.*');
    expect(admin.body.items.map((e: { type: string }) => e.type)).toContain('admin.token.issued');
    const both = await h.admin('GET', '/tenants/default/audit?type=scim.group.*,admin.token.issued');
    expect(new Set(both.body.items.map((e: { type: string }) => e.type))).toEqual(
      new Set(['scim.group.created', 'admin.token.issued']),
    );

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await h.admin('GET', `/tenants/default/audit?since=${future}`)).body.items).toEqual([]);
    expect(
      (await h.admin('GET', `/tenants/default/audit?until=${future}`)).body.items.length,
    ).toBeGreaterThan(4);
    const badSince = await h.admin('GET', '/tenants/default/audit?since=yesterday');
    expect(badSince.status).toBe(400);
    expect(badSince.body.detail).toContain('ISO 8601');
    expect(
      (await h.admin('GET', `/tenants/default/audit?since=${future}&until=2001-01-01T00:00:00Z`)).status,
    ).toBe(400);
    expect((await h.admin('GET', '/tenants/default/audit?type=scim.user.*;drop')).status).toBe(400);
  });

  it('answers unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    const missing = await h.admin('GET', '/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found' });
    const method = await h.admin('PATCH', '/tenants/default/tokens');
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET, POST');
    const malformed = await fetch(`${h.origin}/admin/api/tenants/%E0%A4%A/tokens`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(malformed.status).toBe(400);
  });
});

describe('admin page', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('serves the page and its assets with a strict content security policy, and nothing else', async () => {
    h = await startHarness({});
    const page = await fetch(`${h.origin}/admin`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/admin/app.js"></script>');
    expect((await fetch(`${h.origin}/admin/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${h.origin}/admin/app.css`)).status).toBe(200);
    expect((await fetch(`${h.origin}/admin/serve-admin-page.ts`)).status).not.toBe(200);
    expect((await fetch(`${h.origin}/admin/%2e%2e/admin-api/index.ts`)).status).not.toBe(200);
    expect((await fetch(`${h.origin}/admin`, { method: 'POST' })).status).toBe(405);
  });
});
