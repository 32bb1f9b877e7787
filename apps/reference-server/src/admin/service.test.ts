import type { Store } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { createScimServer, type ScimServer } from '@scim/server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@scim/store-sqlite';
import { beforeEach, describe, expect, it } from 'vitest';
import { isAdminError } from './admin-error.ts';
import {
  type AdminService,
  countTenant,
  createAdminService,
  type ExportRecord,
  importTenant,
  migrateTenant,
} from './service.ts';

const BASE = 'http://localhost:8080/scim/v2';

let store: Store;
let admin: AdminService;
let scim: ScimServer;
let token: string;

/** Sends one SCIM request with the tenant's token and returns status and JSON body. */
async function call(method: string, path: string, body?: unknown, bearer = token) {
  const response = await scim.handle({
    method,
    path,
    query: new URLSearchParams(),
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/scim+json',
      accept: 'application/scim+json',
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: response.body ? JSON.parse(response.body) : undefined };
}

async function createUser(userName: string) {
  const response = await call('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    active: true,
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

async function createGroup(displayName: string, members: string[]) {
  const response = await call('POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName,
    members: members.map((value) => ({ value })),
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

/** The AdminError a promise rejects with. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAdminError(error)).toBe(true);
  return error as Error & { reason: string };
}

beforeEach(async () => {
  store = createMemoryStore();
  admin = createAdminService({ store, baseUrl: () => BASE });
  scim = createScimServer({ store, baseUrl: BASE, rateLimit: false, logger: undefined });
  await admin.createTenant({ id: 'acme', name: 'Acme' });
  token = (await admin.issueToken('acme', { name: 'okta' })).secret;
});

describe('tenants', () => {
  it('creates, lists and shows tenants with base URL and counts', async () => {
    await createUser('ada@example.com');
    const tenant = await admin.getTenant('acme');
    expect(tenant).toMatchObject({
      id: 'acme',
      name: 'Acme',
      baseUrl: BASE,
      counts: { users: 1, groups: 0, deprovisionedUsers: 0, activeTokens: 1 },
    });
    expect(tenant.lastSyncAt).toBeDefined();
    expect((await admin.listTenants()).map((t) => t.id)).toEqual(['acme']);
  });

  it('refuses bad and duplicate ids and unknown tenants with a message saying what to do', async () => {
    expect((await refusal(admin.createTenant({ id: 'Bad Id' }))).message).toMatch(/lower-case letters/);
    expect((await refusal(admin.createTenant({ id: 'acme' }))).reason).toBe('conflict');
    const missing = await refusal(admin.getTenant('nope'));
    expect(missing.reason).toBe('not_found');
    expect(missing.message).toMatch(/tenants list/);
  });
});

describe('tokens', () => {
  it('issues (secret once), lists without secrets, rotates with a grace period and revokes', async () => {
    const issued = await admin.issueToken('acme', { name: 'entra' });
    expect((await call('GET', '/Users', undefined, issued.secret)).status).toBe(200);
    const listed = await admin.listTokens('acme');
    expect(listed.map((t) => t.name).sort()).toEqual(['entra', 'okta']);
    expect(JSON.stringify(listed)).not.toContain(issued.secret);
    expect(JSON.stringify(listed)).not.toContain('hash');

    const rotated = await admin.rotateToken('acme', issued.token.id, { graceSeconds: 3600 });
    expect(rotated.previous.state).toBe('active');
    expect(rotated.previous.expiresAt).toBeDefined();
    expect((await call('GET', '/Users', undefined, issued.secret)).status).toBe(200);
    expect((await call('GET', '/Users', undefined, rotated.secret)).status).toBe(200);

    const revoked = await admin.revokeToken('acme', rotated.token.id);
    expect(revoked.state).toBe('revoked');
    expect((await call('GET', '/Users', undefined, rotated.secret)).status).toBe(401);

    const types = (await admin.queryJournal('acme', { types: ['admin.token.*'], order: 'ascending' })).map(
      (e) => e.type,
    );
    expect(types).toEqual([
      'admin.token.issued',
      'admin.token.issued',
      'admin.token.rotated',
      'admin.token.revoked',
    ]);
  });

  it('rotating with no grace stops the old token at once', async () => {
    const issued = await admin.issueToken('acme', { name: 'x' });
    await admin.rotateToken('acme', issued.token.id, { graceSeconds: 0 });
    expect((await call('GET', '/Users', undefined, issued.secret)).status).toBe(401);
  });

  it('refuses unknown tokens, empty names and past expiries', async () => {
    expect((await refusal(admin.revokeToken('acme', 'nope'))).message).toMatch(/tokens list/);
    expect((await refusal(admin.issueToken('acme', { name: ' ' }))).message).toMatch(/needs a name/);
    expect(
      (await refusal(admin.issueToken('acme', { name: 'x', expiresAt: '2000-01-01T00:00:00Z' }))).message,
    ).toMatch(/in the past/);
  });
});

describe('roles', () => {
  it('maps a group to a role and the member’s effective role changes, with the reason', async () => {
    const ada = await createUser('ada@example.com');
    const bob = await createUser('bob@example.com');
    await createGroup('Engineering Admins', [ada]);
    await admin.setRoles('acme', { roles: ['admin', 'member'], defaultRole: 'member' });

    let users = await admin.listUsers('acme');
    expect(users.items.map((u) => [u.userName, u.role, u.status])).toEqual(
      expect.arrayContaining([
        ['ada@example.com', 'member', 'active'],
        ['bob@example.com', 'member', 'active'],
      ]),
    );

    const mapped = await admin.mapGroup('acme', { value: 'engineering admins', role: 'admin' });
    expect(mapped.usersChanged).toBe(1);
    users = await admin.listUsers('acme', { role: 'admin' });
    expect(users.items.map((u) => u.id)).toEqual([ada]);
    expect(users.items[0]!.reason).toMatch(/Engineering Admins/);

    const explained = await admin.explainUser('acme', 'ADA@example.com');
    expect(explained.resolution.role).toBe('admin');
    expect(explained.groups.map((g) => g.displayName)).toEqual(['Engineering Admins']);

    const changes = await admin.queryJournal('acme', { types: ['scim.role.changed'], resourceId: ada });
    // member (when the roles were set) then admin (when the group was mapped), newest first.
    expect(changes.map((e) => (e.data as { after: { role: string } }).after.role)).toEqual([
      'admin',
      'member',
    ]);

    await admin.unmapGroup('acme', { value: 'Engineering Admins' });
    expect((await admin.getUser('acme', ada)).row.role).toBe('member');
    expect((await admin.getUser('acme', bob)).row.role).toBe('member');
  });

  it('deactivates unmapped users when asked, and lists by status', async () => {
    await createUser('carol@example.com');
    await admin.setRoles('acme', { roles: ['admin', 'member'], defaultRole: null, deactivateUnmapped: true });
    const inactive = await admin.listUsers('acme', { status: 'inactive' });
    expect(inactive.items.map((u) => u.userName)).toEqual(['carol@example.com']);
  });

  it('refuses inconsistent settings with the fix in the message', async () => {
    expect((await refusal(admin.setRoles('acme', { roles: ['a'], defaultRole: 'b' }))).message).toMatch(
      /default role 'b' is not one of the roles/,
    );
    expect((await refusal(admin.setRoles('acme', { roles: ['a', 'a'], defaultRole: null }))).message).toMatch(
      /listed twice/,
    );
    await admin.setRoles('acme', { roles: ['admin', 'member'], defaultRole: 'member' });
    expect((await refusal(admin.mapGroup('acme', { value: 'G', role: 'owner' }))).message).toMatch(
      /'owner' is not one of the tenant's roles \(admin, member\)/,
    );
    await admin.mapGroup('acme', { value: 'G', role: 'admin' });
    expect(
      (await refusal(admin.setRoles('acme', { roles: ['member'], defaultRole: 'member' }))).message,
    ).toMatch(/unmap them first/);
    expect((await refusal(admin.unmapGroup('acme', { value: 'H' }))).reason).toBe('not_found');
  });
});

describe('users, groups and the journal', () => {
  it('shows deactivation and deprovisioning in the users table and the journal', async () => {
    const ada = await createUser('ada@example.com');
    const patched = await call('PATCH', `/Users/${ada}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(patched.status).toBe(200);
    expect((await admin.getUser('acme', ada)).row).toMatchObject({ active: false, status: 'inactive' });

    expect((await call('DELETE', `/Users/${ada}`)).status).toBe(204);
    expect((await admin.listUsers('acme')).items).toEqual([]);
    const all = await admin.listUsers('acme', { includeDeprovisioned: true });
    expect(all.items[0]).toMatchObject({ id: ada, status: 'inactive' });
    expect(all.items[0]!.deprovisionedAt).toBeDefined();

    const userEvents = await admin.queryJournal('acme', {
      types: ['scim.user.*'],
      resourceId: ada,
      order: 'ascending',
    });
    expect(userEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['scim.user.provisioned', 'scim.user.deactivated']),
    );
    const none = await admin.queryJournal('acme', { types: ['scim.user.*'], until: '2000-01-01T00:00:00Z' });
    expect(none).toEqual([]);
    expect((await refusal(admin.queryJournal('acme', { since: 'yesterday' }))).message).toMatch(/ISO 8601/);
  });

  it('names users by displayName, else name.formatted, else given and family name', async () => {
    const post = async (userName: string, extra: Record<string, unknown>) =>
      call('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, ...extra });
    await post('okta@example.com', { name: { givenName: 'Ada', familyName: 'Lovelace' } });
    await post('formatted@example.com', { name: { formatted: 'Dr. Grace Hopper', givenName: 'Grace' } });
    await post('entra@example.com', { displayName: 'Alan Turing', name: { givenName: 'A' } });
    await post('bare@example.com', {});
    const names = Object.fromEntries(
      (await admin.listUsers('acme')).items.map((row) => [row.userName, row.displayName]),
    );
    expect(names).toEqual({
      'okta@example.com': 'Ada Lovelace',
      'formatted@example.com': 'Dr. Grace Hopper',
      'entra@example.com': 'Alan Turing',
      'bare@example.com': undefined,
    });
  });

  it('lists groups with member counts, filters and pages', async () => {
    const ids = [];
    for (const name of ['a', 'b', 'c']) ids.push(await createUser(`${name}@example.com`));
    await createGroup('Sales', ids);
    await createGroup('Support', ids.slice(0, 1));
    const groups = await admin.listGroups('acme');
    expect(groups.items.map((g) => [g.displayName, g.memberCount]).sort()).toEqual([
      ['Sales', 3],
      ['Support', 1],
    ]);
    const detail = await admin.getGroup('acme', 'Sales');
    expect(detail.members.map((m) => m.value).sort()).toEqual([...ids].sort());

    const first = await admin.listUsers('acme', { count: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.total).toBe(3);
    const second = await admin.listUsers('acme', { count: 2, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(new Set([...first.items, ...second.items].map((u) => u.id)).size).toBe(3);

    const filtered = await admin.listUsers('acme', { filter: 'userName sw "b"' });
    expect(filtered.items.map((u) => u.userName)).toEqual(['b@example.com']);
    expect((await refusal(admin.listUsers('acme', { filter: 'userName zz "b"' }))).message).toMatch(/filter/);
  });

  it('follows the journal live until aborted', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const event of admin.followJournal(
        'acme',
        { types: ['scim.user.*'] },
        { signal: controller.signal, pollIntervalMs: 20 },
      )) {
        seen.push(event.type);
        if (seen.length === 2) controller.abort();
      }
    })();
    await createUser('x@example.com');
    await createUser('y@example.com');
    await following;
    expect(seen).toEqual(['scim.user.provisioned', 'scim.user.provisioned']);
  });
});

describe('export, import and migrate', () => {
  async function seed() {
    const ids = [await createUser('a@example.com'), await createUser('b@example.com')];
    await createGroup('Team', ids);
    await call('DELETE', `/Users/${ids[1]}`);
    await admin.setRoles('acme', { roles: ['admin', 'member'], defaultRole: 'member' });
    return ids;
  }

  it('round-trips a tenant through JSON lines, and re-importing skips what is there', async () => {
    const ids = await seed();
    const lines: string[] = [];
    for await (const record of admin.exportTenant('acme')) lines.push(JSON.stringify(record));
    const records = lines.map((l) => JSON.parse(l) as ExportRecord);
    expect(records[0]!.kind).toBe('tenant');
    expect(records.at(-1)).toMatchObject({ kind: 'end', counts: { users: 2, groups: 1, memberships: 1 } });
    expect(lines.join('\n')).not.toContain(token);

    const target = createMemoryStore();
    const first = await importTenant(target, records);
    expect(first.counts).toMatchObject({ users: 2, groups: 1, memberships: 1, credentials: 1 });
    const again = await importTenant(target, records);
    expect(again.written).toBe(0);
    expect(again.counts).toEqual(first.counts);

    const copy = await target.getResource('acme', 'User', ids[1]!, { includeDeprovisioned: true });
    expect(copy?.deprovisionedAt).toBeDefined();
    expect(await target.getRoleSettings('acme')).toMatchObject({ roles: ['admin', 'member'] });
    // Tokens keep working against the copy: the hash was carried over.
    const copyServer = createScimServer({ store: target, baseUrl: BASE, rateLimit: false });
    const response = await copyServer.handle({
      method: 'GET',
      path: '/Users',
      query: new URLSearchParams(),
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
  });

  it('imports a copy under another tenant id into the same SQLite file, and a re-run skips it all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-import-as-'));
    const sqlite = createSqliteStore({ database: join(dir, 'scim.sqlite') });
    try {
      // The same seed as the other tests, on the real database.
      store = sqlite;
      admin = createAdminService({ store, baseUrl: () => BASE });
      scim = createScimServer({ store, baseUrl: BASE, rateLimit: false });
      await admin.createTenant({ id: 'acme', name: 'Acme' });
      token = (await admin.issueToken('acme', { name: 'okta' })).secret;
      await seed();
      const records: ExportRecord[] = [];
      for await (const record of admin.exportTenant('acme')) records.push(record);

      const copy = await importTenant(sqlite, records, { tenantId: 'acme-copy' });
      const original = await countTenant(sqlite, 'acme');
      expect(copy.counts).toEqual({ ...original, credentials: 0 });
      expect(copy.counts.events).toBeGreaterThan(0);
      const again = await importTenant(sqlite, records, { tenantId: 'acme-copy' });
      expect(again.written).toBe(0);
      expect(again.counts).toEqual(copy.counts);
      // The original tenant is untouched and its journal still its own.
      expect(await countTenant(sqlite, 'acme')).toEqual(original);
      const copied = await admin.queryJournal('acme-copy', { order: 'ascending' });
      expect(copied.map((e) => e.type)).toEqual(
        (await admin.queryJournal('acme', { order: 'ascending' })).map((e) => e.type),
      );
    } finally {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates between stores, resumes after an interruption and verifies the counts', async () => {
    await seed();
    const target = createMemoryStore();
    // An interrupted run: only the first records made it.
    const partial: ExportRecord[] = [];
    for await (const record of admin.exportTenant('acme')) {
      partial.push(record);
      if (partial.length === 4) break;
    }
    await importTenant(target, partial);
    const progress: string[] = [];
    const result = await migrateTenant({
      from: store,
      to: target,
      tenantId: 'acme',
      onProgress: (p) => progress.push(p.phase),
    });
    expect(result.verified).toBe(true);
    expect(result.mismatches).toEqual([]);
    expect(result.skipped).toBeGreaterThan(0);
    expect(result.counts).toEqual(result.source);
    expect(progress).toContain('resources');
    expect(progress.at(-1)).toBe('verify');
  });

  it('refuses an export that does not start with a tenant', async () => {
    expect(
      (
        await refusal(
          importTenant(createMemoryStore(), [
            {
              kind: 'roleSettings',
              settings: { roles: [], defaultRole: null, mappings: [], deactivateUnmapped: false },
            },
          ]),
        )
      ).message,
    ).toMatch(/does not start with a tenant/);
  });
});

describe('passwords', () => {
  it('never shows a stored password (not even a hash) when showing or explaining a user, but exports it', async () => {
    // As a row written before passwords were discarded, or a hash under policies.passwords = 'hash'.
    const now = new Date().toISOString();
    await store.transaction('acme', (tx) =>
      tx.create({
        resourceType: 'User',
        id: 'u-with-password',
        now,
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'pw@example.com',
          password: 'secret-1',
        },
      }),
    );
    for (const detail of [
      await admin.getUser('acme', 'u-with-password'),
      await admin.explainUser('acme', 'pw@example.com'),
    ]) {
      expect(detail.resource.data).not.toHaveProperty('password');
      expect(JSON.stringify(detail)).not.toContain('secret-1');
      expect(detail.resource.data.userName).toBe('pw@example.com');
    }
    const exported: unknown[] = [];
    for await (const record of admin.exportTenant('acme')) exported.push(record);
    expect(JSON.stringify(exported)).toContain('secret-1');
  });
});
