import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FilterNode,
  type ScimResource,
  type Store,
  evaluateFilter,
  isScimError,
  isStoreError,
  parseAttributePath,
  parseFilter,
} from '@scim/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';

// Hostile filter values and attribute names against the real SQLite database: every value is a
// bound parameter, every LIKE metacharacter matches literally, attribute names reach SQL only as the
// registry spells them, and one tenant never sees, changes or links to another's resources.

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const NOW = '2024-05-01T10:00:00.000Z';
const A = 'tenant-a';
const B = 'tenant-b';

/** Values that try to escape a string literal, a LIKE pattern, a JSON path or a statement. */
const PAYLOADS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '" OR 1=1 --',
  '"); DROP TABLE resources; --',
  "'); DROP TABLE resources; --",
  '1; DELETE FROM resources',
  "x' UNION SELECT data FROM resources WHERE tenant_id='tenant-b' --",
  '%',
  '_',
  '\\',
  '%%',
  '\\%',
  '\\_',
  '100%',
  'a_c',
  'a%c',
  '[a-z]*',
  '$."userName"',
  "json_extract(data, '$')",
  '*',
  '?',
  ':1',
  '@p1',
];

/** Users of tenant A whose values contain the payloads, next to near misses that LIKE would match. */
function tenantAUsers(): { id: string; data: Record<string, unknown> }[] {
  const users = PAYLOADS.map((payload, index) => ({
    id: `a-${index}`,
    data: {
      schemas: [USER, ENTERPRISE],
      userName: `user${index}${payload}`,
      displayName: payload,
      title: `t${payload}t`,
      emails: [{ value: `${payload}@example.com`, type: 'work' }],
      [ENTERPRISE]: { department: payload },
    },
  }));
  for (const [id, userName] of [
    ['a-abc', 'abc'],
    ['a-axc', 'axc'],
    ['a-100x', '100x'],
    ['a-plain', 'plain'],
    ['a-backslash-x', 'back\\x'],
  ] as const) {
    users.push({
      id,
      data: {
        schemas: [USER, ENTERPRISE],
        userName,
        displayName: userName,
        title: userName,
        emails: [{ value: `${userName}@example.com`, type: 'work' }],
        [ENTERPRISE]: { department: userName },
      },
    });
  }
  return users;
}

const directory = mkdtempSync(join(tmpdir(), 'scim-sqlite-security-'));
const databasePath = join(directory, 'scim.db');
let store: Store;
let raw: BetterSqlite3.Database;
let schemaBefore: string;
const usersA = tenantAUsers();

function schemaOf(database: BetterSqlite3.Database): string {
  return JSON.stringify(database.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all());
}

function counts(database: BetterSqlite3.Database): Record<string, number> {
  const result: Record<string, number> = {};
  for (const table of ['resources', 'members', 'journal', 'tenants', 'credentials']) {
    result[table] = (database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  return result;
}

beforeAll(async () => {
  store = createSqliteStore({ database: databasePath });
  for (const id of [A, B]) await store.createTenant({ id, name: id, createdAt: NOW });
  await store.transaction(A, async (tx) => {
    for (const user of usersA)
      await tx.create({ resourceType: 'User', id: user.id, now: NOW, data: user.data });
    await tx.create({
      resourceType: 'Group',
      id: 'a-group',
      now: NOW,
      data: { schemas: [GROUP], displayName: 'A admins' },
      members: [{ value: 'a-0', type: 'User' }],
    });
    // The same id in both tenants: ids are scoped by tenant, not global.
    await tx.create({
      resourceType: 'User',
      id: 'shared-id',
      now: NOW,
      data: { schemas: [USER], userName: 'a-shared' },
    });
  });
  await store.transaction(B, async (tx) => {
    await tx.create({
      resourceType: 'User',
      id: 'b-secret',
      now: NOW,
      data: { schemas: [USER], userName: 'b-secret-user', title: "' OR 1=1 --" },
    });
    await tx.create({
      resourceType: 'User',
      id: 'shared-id',
      now: NOW,
      data: { schemas: [USER], userName: 'b-shared' },
    });
    await tx.create({
      resourceType: 'Group',
      id: 'b-group',
      now: NOW,
      data: { schemas: [GROUP], displayName: 'B admins' },
      members: [{ value: 'b-secret', type: 'User' }],
    });
  });
  raw = new BetterSqlite3(databasePath, { readonly: true });
  schemaBefore = schemaOf(raw);
});

afterAll(async () => {
  raw?.close();
  await store?.close();
  rmSync(directory, { recursive: true, force: true });
});

function view(stored: { id: string; data: Record<string, unknown> }): ScimResource {
  return {
    ...(stored.data as ScimResource),
    id: stored.id,
    meta: { resourceType: 'User', created: NOW, lastModified: NOW, version: 'W/"1"' },
  };
}

async function queryIds(
  tenantId: string,
  resourceType: string,
  filter: FilterNode | string,
): Promise<string[]> {
  const node = typeof filter === 'string' ? parseFilter(filter, { resourceType }) : filter;
  const result = await store.queryResources(tenantId, { resourceType, filter: node, count: 1000 });
  return result.resources.map((resource) => resource.id).sort();
}

/** Ids of tenant A's users that the reference evaluator matches. */
function expectedIds(filter: string): string[] {
  const all = [...usersA, { id: 'shared-id', data: { schemas: [USER], userName: 'a-shared' } }];
  return all
    .filter((user) => evaluateFilter(filter, view(user), { resourceType: 'User' }))
    .map((user) => user.id)
    .sort();
}

/** A filter string literal for `text` (RFC 7159 escaping, as the SCIM filter grammar uses). */
const literal = (text: string) => JSON.stringify(text);

describe('filter values are inert', () => {
  const attributes = [
    'userName',
    'displayName',
    'title',
    'emails.value',
    `${ENTERPRISE}:department`,
    'id',
    'externalId',
  ];
  const operators = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'le'];

  it('every payload in every operator matches exactly what the reference evaluator matches', async () => {
    let compared = 0;
    for (const payload of PAYLOADS) {
      for (const attribute of attributes) {
        for (const op of operators) {
          const filter = `${attribute} ${op} ${literal(payload)}`;
          expect(await queryIds(A, 'User', filter), filter).toStrictEqual(expectedIds(filter));
          compared += 1;
        }
      }
    }
    expect(compared).toBe(PAYLOADS.length * attributes.length * operators.length);
  });

  it('payloads inside value filters and boolean combinations match exactly what the reference matches', async () => {
    for (const payload of PAYLOADS) {
      for (const filter of [
        `emails[value sw ${literal(payload)} and type eq "work"]`,
        `userName eq ${literal(payload)} or displayName eq ${literal(payload)}`,
        `not (displayName co ${literal(payload)})`,
        `emails[not (value ew ${literal(payload)})]`,
      ]) {
        expect(await queryIds(A, 'User', filter), filter).toStrictEqual(expectedIds(filter));
      }
    }
  });

  it('LIKE metacharacters in co, sw and ew match literally', async () => {
    const byName = (name: string) => `a-${PAYLOADS.indexOf(name)}`;
    expect(await queryIds(A, 'User', 'displayName eq "%"')).toStrictEqual([byName('%')]);
    expect(await queryIds(A, 'User', 'displayName co "%"')).toStrictEqual(
      ['%', '%%', '\\%', '100%', 'a%c'].map(byName).sort(),
    );
    // As patterns, `a_` would also match "abc" and "axc", and `a%` every name starting with "a".
    expect(await queryIds(A, 'User', 'displayName sw "a_"')).toStrictEqual([byName('a_c')]);
    expect(await queryIds(A, 'User', 'displayName sw "a%"')).toStrictEqual([byName('a%c')]);
    expect(await queryIds(A, 'User', 'displayName ew "0%"')).toStrictEqual([byName('100%')]);
    expect(await queryIds(A, 'User', 'displayName eq "_"')).toStrictEqual([byName('_')]);
    expect(await queryIds(A, 'User', 'displayName co "\\\\"')).toStrictEqual(
      [...['\\', '\\%', '\\_'].map(byName), 'a-backslash-x'].sort(),
    );
    expect(await queryIds(A, 'User', 'displayName co "\\\\%"')).toStrictEqual([byName('\\%')]);
    expect(await queryIds(A, 'User', 'title sw "t%"')).toStrictEqual(['%', '%%'].map(byName).sort());
    expect(await queryIds(A, 'User', 'emails.value sw "_@"')).toStrictEqual([byName('_')]);
  });

  it('stored payloads round-trip byte for byte', async () => {
    for (const user of usersA) {
      const stored = await store.getResource(A, 'User', user.id);
      expect(stored?.data).toStrictEqual(user.data);
    }
  });

  it('nothing was dropped, deleted or added by any of the queries above', () => {
    expect(schemaOf(raw)).toBe(schemaBefore);
    expect(counts(raw).resources).toBe(usersA.length + 2 + 3);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('attribute names are never SQL', () => {
  const HOSTILE_NAMES = [
    'userName) OR 1=1 --',
    "userName' OR '1'='1",
    'userName"',
    'userName; DROP TABLE resources',
    'data',
    'tenant_id',
    'r.tenant_id',
    '$.userName',
    'userName--',
    'json_extract(data,"$")',
  ];

  it('the parser refuses them with 400 invalidFilter before the store sees them', () => {
    for (const name of HOSTILE_NAMES) {
      for (const text of [`${name} eq "x"`, `${name} pr`, `emails[${name} eq "x"]`, `name.${name} pr`]) {
        try {
          parseFilter(text, { resourceType: 'User' });
          expect.unreachable(`"${text}" must not parse`);
        } catch (error) {
          expect(isScimError(error), text).toBe(true);
          expect((error as { status: number; scimType: string }).status).toBe(400);
          expect((error as { scimType: string }).scimType).toBe('invalidFilter');
        }
      }
    }
  });

  it('a hand-built, unresolved AST with a hostile name is refused by the store with 400', async () => {
    for (const attribute of HOSTILE_NAMES) {
      const filter = { op: 'eq', path: { attribute }, value: 'x' } as FilterNode;
      await expect(
        store.queryResources(A, { resourceType: 'User', filter, count: 10 }),
        attribute,
      ).rejects.toMatchObject({ name: 'ScimError', status: 400 });
    }
  });

  it('a forged "resolved" AST cannot leave its JSON path: the name is a bound parameter or refused', async () => {
    const resolved = {
      schema: USER,
      extension: false,
      type: 'string',
      caseExact: false,
      multiValued: false,
      complex: false,
    };
    for (const attribute of [
      "x') OR 1=1 --",
      'x" OR 1=1 --',
      'userName"]',
      "x'||(SELECT data FROM resources)||'",
    ]) {
      const filter = { op: 'ne', path: { attribute, resolved }, value: 'zzz' } as unknown as FilterNode;
      try {
        const result = await store.queryResources(A, { resourceType: 'User', filter, count: 1000 });
        // `ne` on a missing attribute is true for every row: all of tenant A's users and no other tenant's.
        for (const resource of result.resources) {
          expect(await store.getResource(A, 'User', resource.id)).toBeDefined();
          expect(resource.data.userName).not.toMatch(/^b-/);
        }
      } catch (error) {
        expect(isScimError(error), String(error)).toBe(true);
        expect((error as { status: number }).status).toBe(400);
      }
    }
    expect(schemaOf(raw)).toBe(schemaBefore);
  });

  it('a hostile sortBy is refused with 400 and a hostile cursor with 400 invalidCursor', async () => {
    for (const attribute of HOSTILE_NAMES) {
      await expect(
        store.queryResources(A, { resourceType: 'User', sortBy: { attribute }, count: 10 }),
      ).rejects.toMatchObject({ name: 'ScimError', status: 400 });
      expect(() => parseAttributePath(attribute, { resourceType: 'User' })).toThrow();
    }
    for (const cursor of ["' OR 1=1 --", 'eyJ0IjoiYiJ9', '%', '\u0000', 'x'.repeat(5000), '', '====']) {
      try {
        const result = await store.queryResources(A, { resourceType: 'User', cursor, count: 10 });
        for (const resource of result.resources) expect(resource.data.userName).not.toMatch(/^b-/);
      } catch (error) {
        expect(isScimError(error), String(error)).toBe(true);
        expect(error).toMatchObject({ status: 400, scimType: 'invalidCursor' });
      }
    }
  });
});

describe('tenant isolation with guessed ids', () => {
  it('reads by id, by filter and by listing never return the other tenant', async () => {
    expect(await store.getResource(A, 'User', 'b-secret')).toBeUndefined();
    expect(await store.getResource(A, 'Group', 'b-group')).toBeUndefined();
    expect(await store.getResource(A, 'User', 'b-secret', { includeDeprovisioned: true })).toBeUndefined();
    expect((await store.getResource(A, 'User', 'shared-id'))?.data.userName).toBe('a-shared');
    expect((await store.getResource(B, 'User', 'shared-id'))?.data.userName).toBe('b-shared');
    expect(await queryIds(A, 'User', 'id eq "b-secret"')).toStrictEqual([]);
    expect(await queryIds(A, 'User', 'userName sw "b-"')).toStrictEqual([]);
    expect(await queryIds(A, 'User', 'title eq "\' OR 1=1 --"')).toStrictEqual([]);
    expect(await queryIds(A, 'Group', 'members.value eq "b-secret"')).toStrictEqual([]);
    expect(await queryIds(A, 'User', 'groups.value eq "b-group"')).toStrictEqual([]);
    const all = await store.queryResources(A, { resourceType: 'User', count: 1000 });
    expect(all.resources.every((resource) => !String(resource.data.userName).startsWith('b-'))).toBe(true);
    expect(all.totalResults).toBe(usersA.length + 1);
    expect(await store.listGroupsOf(A, 'b-secret')).toStrictEqual([]);
    expect((await store.listMembers(A, 'b-group')).members).toStrictEqual([]);
    expect(await store.countMembers(A, 'b-group')).toBe(0);
  });

  it('a cursor issued to tenant B pages only tenant A when replayed by A', async () => {
    const first = await store.queryResources(B, { resourceType: 'User', count: 1, cursor: '' });
    expect(first.resources).toHaveLength(1);
    const cursor = first.nextCursor;
    expect(cursor).toBeTypeOf('string');
    try {
      const replay = await store.queryResources(A, {
        resourceType: 'User',
        count: 1000,
        cursor: cursor as string,
      });
      for (const resource of replay.resources) expect(String(resource.data.userName)).not.toMatch(/^b-/);
    } catch (error) {
      expect(error).toMatchObject({ name: 'ScimError', status: 400 });
    }
  });

  it('updates and deletes by a guessed id are not_found and change nothing', async () => {
    const before = await store.getResource(B, 'User', 'b-secret');
    for (const write of [
      (tx: Parameters<Parameters<Store['transaction']>[1]>[0]) =>
        tx.update({
          resourceType: 'User',
          id: 'b-secret',
          now: NOW,
          data: { schemas: [USER], userName: 'stolen' },
        }),
      (tx: Parameters<Parameters<Store['transaction']>[1]>[0]) => tx.delete('User', 'b-secret'),
      (tx: Parameters<Parameters<Store['transaction']>[1]>[0]) =>
        tx.update({
          resourceType: 'Group',
          id: 'b-group',
          now: NOW,
          memberDelta: { add: [{ value: 'a-0', type: 'User' }] },
        }),
      (tx: Parameters<Parameters<Store['transaction']>[1]>[0]) =>
        tx.update({ resourceType: 'User', id: 'b-secret', now: NOW, deprovisionedAt: NOW }),
    ]) {
      let failure: unknown;
      try {
        await store.transaction(A, async (tx) => {
          await write(tx);
        });
      } catch (error) {
        failure = error;
      }
      expect(isStoreError(failure) && failure.reason === 'not_found', String(failure)).toBe(true);
    }
    expect(await store.getResource(B, 'User', 'b-secret')).toStrictEqual(before);
    expect((await store.listMembers(B, 'b-group')).members.map((member) => member.value)).toStrictEqual([
      'b-secret',
    ]);
  });

  it("adding another tenant's user as a member is refused and links nothing", async () => {
    let failure: unknown;
    try {
      await store.transaction(A, async (tx) => {
        await tx.applyMemberDelta('a-group', { add: [{ value: 'b-secret', type: 'User' }] });
      });
    } catch (error) {
      failure = error;
    }
    expect(isStoreError(failure) || isScimError(failure), String(failure)).toBe(true);
    expect((await store.listMembers(A, 'a-group')).members.map((member) => member.value)).toStrictEqual([
      'a-0',
    ]);
    expect(await store.listGroupsOf(B, 'b-secret')).toStrictEqual([
      { id: 'b-group', displayName: 'B admins' },
    ]);
    expect(await store.getResource(A, 'User', 'b-secret')).toBeUndefined();
    expect(await queryIds(A, 'User', 'groups.value eq "a-group"')).toStrictEqual(['a-0']);
  });

  it('the raw rows of tenant B are untouched by everything tenant A did', () => {
    const rows = raw
      .prepare('SELECT id, version, data FROM resources WHERE tenant_id = ? ORDER BY id')
      .all(B) as { id: string; version: number; data: string }[];
    expect(rows.map((row) => [row.id, row.version])).toStrictEqual([
      ['b-group', 1],
      ['b-secret', 1],
      ['shared-id', 1],
    ]);
    expect(raw.prepare('SELECT group_id, member_id FROM members WHERE tenant_id = ?').all(B)).toStrictEqual([
      { group_id: 'b-group', member_id: 'b-secret' },
    ]);
  });
});
