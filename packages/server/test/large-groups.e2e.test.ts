import { createRequire } from 'node:module';
import { createSqliteStore } from '@scim/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

// better-sqlite3 is loaded untyped (this package has no @types for it); its type comes from the store.
type SqliteDatabase = Exclude<Parameters<typeof createSqliteStore>[0]['database'], string>;
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
  options: { verbose: (sql: unknown) => void },
) => SqliteDatabase;

// Every SQL statement the SQLite store runs, with its bound values (better-sqlite3's `verbose`):
// what a request did to the members table is read from here, not assumed.
let statements: string[];
let db: SqliteDatabase;
let client: TestClient;

const touchesMembers = (sql: string): boolean => /\bmembers\b/.test(sql);

async function seedGroup(size: number): Promise<{ groupId: string; userIds: string[] }> {
  const userIds: string[] = [];
  for (let i = 0; i < size; i += 1) {
    const created = await client.request('POST', '/Users', {
      body: { schemas: [USER_SCHEMA], userName: `member${i}@example.com` },
    });
    userIds.push(created.body.id);
  }
  const group = await client.request('POST', '/Groups?excludedAttributes=members', {
    body: {
      schemas: [GROUP_SCHEMA],
      displayName: 'Big group',
      members: userIds.slice(1).map((value) => ({ value })),
    },
  });
  expect(group.status).toBe(201);
  return { groupId: group.body.id, userIds };
}

beforeEach(async () => {
  statements = [];
  db = new Database(':memory:', { verbose: (sql) => statements.push(String(sql)) });
  const store = createSqliteStore({ database: db });
  // Short ids: verbose logging cuts bound strings at 32 characters.
  let next = 0;
  client = await startServer({
    store,
    policies: { groupPatchResponse: 'resource' },
    generateId: () => {
      next += 1;
      return `id-${next}`;
    },
  });
  // A mapped group makes the server recompute roles; that must not cost a read of the group either.
  await client.store.setRoleSettings('acme', {
    roles: ['admin', 'member'],
    defaultRole: 'member',
    mappings: [{ match: 'displayName', value: 'Big group', role: 'admin' }],
    deactivateUnmapped: false,
  });
});

afterEach(async () => {
  await client.close();
  await client.store.close();
  db.close();
});

describe('large groups over HTTP (SQLite store, every statement recorded)', () => {
  it('reads, lists and filters groups without touching the members table when members are not returned', async () => {
    const { groupId, userIds } = await seedGroup(120);
    const requests = [
      `/Groups?excludedAttributes=members`,
      `/Groups?attributes=displayName`,
      `/Groups?filter=${encodeURIComponent('displayName eq "Big group"')}&excludedAttributes=members`,
      `/Groups?filter=${encodeURIComponent('displayName sw "Big"')}&count=0`,
      `/Groups/${groupId}?excludedAttributes=members`,
      `/Groups/${groupId}?attributes=displayName,meta`,
    ];
    for (const path of requests) {
      statements.length = 0;
      const response = await client.request('GET', path);
      expect(response.status, path).toBe(200);
      expect(JSON.stringify(response.body), path).not.toContain(userIds[1]);
      expect(statements.filter(touchesMembers), path).toEqual([]);
    }
    // Control: a response that shows the members does read them.
    statements.length = 0;
    expect((await client.request('GET', `/Groups/${groupId}`)).body.members).toHaveLength(119);
    expect(statements.filter(touchesMembers).length).toBeGreaterThan(0);

    const search = await (async () => {
      statements.length = 0;
      return client.request('POST', '/Groups/.search', {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
          filter: 'displayName eq "Big group"',
          excludedAttributes: ['members'],
        },
      });
    })();
    expect(search.body.totalResults).toBe(1);
    expect(statements.filter(touchesMembers)).toEqual([]);

    // A filter on members is answered from the members table by the member's id, not by reading
    // the group's member list.
    statements.length = 0;
    const byMember = await client.request(
      'GET',
      `/Groups?filter=${encodeURIComponent(`members.value eq "${userIds[7]}"`)}&attributes=displayName`,
    );
    expect(byMember.body.totalResults).toBe(1);
    for (const sql of statements.filter(touchesMembers)) expect(sql).toContain(`'${userIds[7]}'`);
  });

  it('adds and removes members with statements that each name a changed member (O(members changed))', async () => {
    const { groupId, userIds } = await seedGroup(120);
    const patch = (query: string) => {
      statements.length = 0;
      return client.request('PATCH', `/Groups/${groupId}${query}`, {
        body: {
          schemas: [PATCH_SCHEMA],
          Operations: [
            { op: 'add', path: 'members', value: [{ value: userIds[0] }] },
            { op: 'remove', path: `members[value eq "${userIds[5]}"]` },
          ],
        },
      });
    };
    const answered = await patch('?excludedAttributes=members');
    expect(answered.status).toBe(200);
    expect(answered.body.members).toBeUndefined();
    const touching = statements.filter(touchesMembers);
    expect(touching.length).toBeGreaterThan(0);
    for (const sql of touching) expect(sql).toMatch(new RegExp(`'(${userIds[0]}|${userIds[5]})'`));

    // The roles of exactly the changed members were recomputed in that transaction.
    const events = await client.store.readJournal({
      tenantId: 'acme',
      types: ['scim.role.changed'],
      limit: 1000,
    });
    const changed = events
      .slice(-2)
      .map((event) => event.resourceId)
      .sort();
    expect(changed).toEqual([userIds[0], userIds[5]].sort());

    const group = await client.request('GET', `/Groups/${groupId}`);
    const members = group.body.members.map((m: { value: string }) => m.value);
    expect(members).toHaveLength(119);
    expect(members).toContain(userIds[0]);
    expect(members).not.toContain(userIds[5]);
  });
});
