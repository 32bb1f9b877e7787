import { type SchemaRegistry, type Store, isStoreError } from '@scim/core';
import { CONTRACT_EXTENSION_URN, contractRegistry } from '@scim/store-contract';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, createSqliteStore } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const NOW = '2024-06-01T08:00:00.000Z';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store on a temp file, plus a separate raw connection to inspect what was persisted. */
function open(registry?: SchemaRegistry): { store: Store; raw: Database.Database; path: string } {
  const database = tempDatabase();
  const store = createSqliteStore({ database: database.path, ...(registry ? { registry } : {}) });
  const raw = new Database(database.path, { readonly: true });
  cleanups.push(
    database.remove,
    async () => store.close(),
    () => raw.close(),
  );
  return { store, raw, path: database.path };
}

const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName,
  ...extra,
});

describe('what the SQLite store persists', () => {
  it('writes the resource, its derived columns and its journal event in one transaction', async () => {
    const { store, raw } = open();
    await store.transaction('t1', async (tx) => {
      await tx.create({
        resourceType: 'User',
        id: 'u1',
        now: NOW,
        data: user('Ada.Lovelace', {
          externalId: 'E-1',
          emails: [{ value: 'Ada@Example.com' }, { value: 'ada@example.com' }],
        }),
        access: { role: 'admin', status: 'active', reason: 'default role' },
      });
      await tx.appendEvents([
        { id: 'ev1', tenantId: 't1', type: 'scim.user.provisioned', time: NOW, resourceId: 'u1' },
      ]);
    });
    const row = raw.prepare('SELECT * FROM resources WHERE id = ?').get('u1') as Record<string, unknown>;
    expect(row).toMatchObject({
      tenant_id: 't1',
      resource_type: 'User',
      version: 1,
      user_name_ci: 'ada.lovelace',
      external_id: 'E-1',
      deprovisioned_at: null,
      last_modified_ms: Date.parse(NOW),
    });
    expect(JSON.parse(row.data as string)).toMatchObject({ userName: 'Ada.Lovelace' });
    expect(JSON.parse(row.access as string)).toEqual({
      role: 'admin',
      status: 'active',
      reason: 'default role',
    });
    // Both addresses fold to one indexed value.
    expect(raw.prepare('SELECT path, value_norm FROM value_index').all()).toEqual([
      { path: 'emails.value', value_norm: 'ada@example.com' },
    ]);
    expect(raw.prepare('SELECT position, id, type, resource_id FROM journal').all()).toEqual([
      { position: 1, id: 'ev1', type: 'scim.user.provisioned', resource_id: 'u1' },
    ]);
  });

  it('leaves no row behind when the callback throws, in any table', async () => {
    const { store, raw } = open();
    await store.transaction('t1', (tx) =>
      tx.create({
        resourceType: 'Group',
        id: 'g0',
        now: NOW,
        data: { schemas: [GROUP], displayName: 'Zero' },
      }),
    );
    await expect(
      store.transaction('t1', async (tx) => {
        await tx.create({
          resourceType: 'User',
          id: 'u1',
          now: NOW,
          data: user('ada', { emails: [{ value: 'a@x' }] }),
        });
        await tx.applyMemberDelta('g0', { add: [{ value: 'u1', type: 'User' }] });
        await tx.appendEvents([{ id: 'ev1', tenantId: 't1', type: 'scim.user.provisioned', time: NOW }]);
        await tx.touchLastSync(NOW);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    for (const table of ['value_index', 'members', 'journal', 'unique_values']) {
      expect((raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0);
    }
    expect(raw.prepare('SELECT id FROM resources').all()).toEqual([{ id: 'g0' }]);
  });

  it('keeps group members as rows keyed by (tenant, group, member) and removes them both ways on delete', async () => {
    const { store, raw } = open();
    await store.transaction('t1', async (tx) => {
      for (const id of ['u1', 'u2', 'u3']) {
        await tx.create({ resourceType: 'User', id, now: NOW, data: user(id) });
      }
      await tx.create({
        resourceType: 'Group',
        id: 'inner',
        now: NOW,
        data: { schemas: [GROUP], displayName: 'Inner' },
      });
      await tx.create({
        resourceType: 'Group',
        id: 'outer',
        now: NOW,
        data: { schemas: [GROUP], displayName: 'Outer' },
        members: [
          { value: 'u1', type: 'User', display: 'One' },
          { value: 'inner', type: 'Group' },
        ],
      });
      expect(
        await tx.applyMemberDelta('inner', {
          add: [
            { value: 'u2', type: 'User' },
            { value: 'u3', type: 'User' },
          ],
        }),
      ).toEqual({
        added: ['u2', 'u3'],
        removed: [],
      });
    });
    const members = () =>
      raw
        .prepare(
          'SELECT tenant_id, group_id, member_id, member_type, display FROM members ORDER BY group_id, member_id',
        )
        .all();
    expect(members()).toEqual([
      { tenant_id: 't1', group_id: 'inner', member_id: 'u2', member_type: 'User', display: null },
      { tenant_id: 't1', group_id: 'inner', member_id: 'u3', member_type: 'User', display: null },
      { tenant_id: 't1', group_id: 'outer', member_id: 'inner', member_type: 'Group', display: null },
      { tenant_id: 't1', group_id: 'outer', member_id: 'u1', member_type: 'User', display: 'One' },
    ]);
    // The group's data never holds its members.
    const data = JSON.parse(
      (raw.prepare("SELECT data FROM resources WHERE id = 'outer'").get() as { data: string }).data,
    );
    expect(data).toEqual({ schemas: [GROUP], displayName: 'Outer' });

    await store.transaction('t1', (tx) => tx.delete('Group', 'inner'));
    expect(members()).toEqual([
      { tenant_id: 't1', group_id: 'outer', member_id: 'u1', member_type: 'User', display: 'One' },
    ]);
  });

  it('decides the version check inside the UPDATE and leaves the row untouched on a mismatch', async () => {
    const { store, raw } = open();
    await store.transaction('t1', (tx) =>
      tx.create({ resourceType: 'User', id: 'u1', now: NOW, data: user('ada') }),
    );
    const error = await store
      .transaction('t1', (tx) =>
        tx.update({ resourceType: 'User', id: 'u1', now: NOW, expectedVersion: 7, data: user('eve') }),
      )
      .catch((caught: unknown) => caught);
    expect(isStoreError(error) && error.reason).toBe('precondition_failed');
    expect(raw.prepare("SELECT version, user_name_ci FROM resources WHERE id = 'u1'").get()).toEqual({
      version: 1,
      user_name_ci: 'ada',
    });
  });

  it('makes the database reject a second userName that differs only in case, deprovisioned holders included', async () => {
    const { store } = open();
    await store.transaction('t1', async (tx) => {
      await tx.create({ resourceType: 'User', id: 'u1', now: NOW, data: user('Ada') });
      await tx.update({ resourceType: 'User', id: 'u1', now: NOW, deprovisionedAt: NOW });
    });
    const error = await store
      .transaction('t1', (tx) => tx.create({ resourceType: 'User', id: 'u2', now: NOW, data: user('ADA') }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'StoreError', reason: 'conflict', attribute: 'userName' });
    // Another tenant may use it.
    await store.transaction('t2', (tx) =>
      tx.create({ resourceType: 'User', id: 'u2', now: NOW, data: user('ADA') }),
    );
  });

  it('never shows uncommitted writes to readers outside the transaction', async () => {
    const { store } = open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let created!: () => void;
    const createdSignal = new Promise<void>((resolve) => {
      created = resolve;
    });
    const transaction = store.transaction('t1', async (tx) => {
      await tx.create({ resourceType: 'User', id: 'u1', now: NOW, data: user('ada') });
      await tx.appendEvents([{ id: 'ev1', tenantId: 't1', type: 'scim.user.provisioned', time: NOW }]);
      expect(await tx.getResource('User', 'u1')).toBeDefined();
      created();
      await gate;
    });
    await createdSignal;
    expect(await store.getResource('t1', 'User', 'u1')).toBeUndefined();
    expect(await store.readJournal({ tenantId: 't1' })).toEqual([]);
    expect(await store.countResources('t1', 'User')).toBe(0);
    release();
    await transaction;
    expect((await store.getResource('t1', 'User', 'u1'))?.data.userName).toBe('ada');
    expect((await store.readJournal({ tenantId: 't1' })).map((event) => event.position)).toEqual([1]);
  });

  it('applies migrations once: re-opening the file is idempotent', async () => {
    const { store, raw, path } = open();
    await store.transaction('t1', (tx) =>
      tx.create({ resourceType: 'User', id: 'u1', now: NOW, data: user('ada') }),
    );
    const again = createSqliteStore({ database: path });
    cleanups.push(async () => again.close());
    expect((await again.getResource('t1', 'User', 'u1'))?.data.userName).toBe('ada');
    expect(raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(
      MIGRATIONS.map((migration) => ({ version: migration.version, name: migration.name })),
    );
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});

describe('what the SQLite store reads', () => {
  it('reads a group without touching the members table unless members are asked for', async () => {
    const statements: string[] = [];
    const db = new Database(':memory:', { verbose: (sql) => statements.push(String(sql)) });
    const store = createSqliteStore({ database: db });
    cleanups.push(async () => {
      await store.close();
      db.close();
    });
    await store.transaction('t1', async (tx) => {
      await tx.create({ resourceType: 'User', id: 'u1', now: NOW, data: user('ada') });
      await tx.create({
        resourceType: 'Group',
        id: 'g1',
        now: NOW,
        data: { schemas: [GROUP], displayName: 'G' },
        members: [{ value: 'u1', type: 'User' }],
      });
    });

    statements.length = 0;
    expect((await store.getResource('t1', 'Group', 'g1'))?.members).toBeUndefined();
    await store.queryResources('t1', { resourceType: 'Group', count: 10 });
    expect(statements.filter((sql) => /\bmembers\b/.test(sql))).toEqual([]);

    statements.length = 0;
    expect((await store.getResource('t1', 'Group', 'g1', { includeMembers: true }))?.members).toEqual([
      { value: 'u1', type: 'User' },
    ]);
    expect(statements.filter((sql) => /\bmembers\b/.test(sql))).toHaveLength(1);
  });

  it('adds and removes one member with statements that never read the whole group', async () => {
    const statements: string[] = [];
    const db = new Database(':memory:', { verbose: (sql) => statements.push(String(sql)) });
    const store = createSqliteStore({ database: db });
    cleanups.push(async () => {
      await store.close();
      db.close();
    });
    await store.transaction('t1', async (tx) => {
      const members = [];
      for (let i = 0; i < 200; i++) {
        await tx.create({ resourceType: 'User', id: `u${i}`, now: NOW, data: user(`user${i}`) });
        members.push({ value: `u${i}`, type: 'User' as const });
      }
      await tx.create({
        resourceType: 'Group',
        id: 'g1',
        now: NOW,
        data: { schemas: [GROUP], displayName: 'G' },
        members: members.slice(1),
      });
    });
    statements.length = 0;
    await store.transaction('t1', async (tx) => {
      await tx.applyMemberDelta('g1', { add: [{ value: 'u0', type: 'User' }], remove: ['u5'] });
    });
    const touchingMembers = statements.filter((sql) => /\bmembers\b/.test(sql));
    expect(touchingMembers.length).toBeGreaterThan(0);
    // Every statement on the members table names the member (verbose logs the bound values):
    // a primary-key lookup, never a read of the whole group. (Parameters are written `+?`.)
    for (const sql of touchingMembers) {
      expect(sql).toMatch(/member_id = \+?'|VALUES \(\+?'t1', \+?'g1', \+?'u0'/);
    }
    expect(await store.countMembers('t1', 'g1')).toBe(199);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN DELETE FROM members WHERE tenant_id = ? AND group_id = ? AND member_id = ?',
      )
      .all('t1', 'g1', 'u5') as { detail: string }[];
    expect(plan.map((row) => row.detail).join('\n')).toMatch(
      /SEARCH members USING PRIMARY KEY \(tenant_id=\? AND group_id=\? AND member_id=\?\)/,
    );
  });
});

describe('updates rewrite only what changed', () => {
  it('leaves the same lookup columns, value rows and unique rows as creating the final data', async () => {
    const registry = contractRegistry();
    const updated = open(registry);
    const fresh = open(registry);
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n); // the high bits: the low ones of this generator cycle
    };
    const pick = <T>(values: T[]): T => values[rand(values.length)]!;
    const dataFor = (i: number, round: number): Record<string, unknown> => {
      const data: Record<string, unknown> = {
        schemas: [USER, CONTRACT_EXTENSION_URN],
        userName: pick([`u${i}`, `U${i}`, `user-${i}`]),
      };
      if (rand(3) > 0) data.externalId = pick([`e${i}`, `E${i}`]);
      if (rand(3) > 0) data.displayName = pick([`Name ${i}`, `name ${i}`, `Other ${i}`]);
      const emails = [`a${i}@x.test`, `b${i}@x.test`, `A${i}@X.test`].filter(() => rand(2) === 1);
      if (emails.length > 0) data.emails = emails.map((value) => ({ value }));
      if (rand(2) === 1) data[CONTRACT_EXTENSION_URN] = { employeeKey: pick([`k${i}`, `K${i}-${round}`]) };
      return data;
    };
    const ids = Array.from({ length: 30 }, (_, i) => `u${i}`);
    await updated.store.transaction('t1', async (tx) => {
      for (const [i, id] of ids.entries()) {
        await tx.create({ resourceType: 'User', id, now: NOW, data: dataFor(i, 0) });
      }
    });
    const last = new Map<string, Record<string, unknown>>();
    for (let round = 1; round <= 8; round++) {
      await updated.store.transaction('t1', async (tx) => {
        for (const [i, id] of ids.entries()) {
          const data = dataFor(i, round);
          last.set(id, data);
          await tx.update({ resourceType: 'User', id, now: NOW, data });
        }
      });
    }
    await fresh.store.transaction('t1', async (tx) => {
      for (const id of ids) await tx.create({ resourceType: 'User', id, now: NOW, data: last.get(id)! });
    });
    const snapshot = (raw: Database.Database) => ({
      columns: raw
        .prepare('SELECT id, user_name_ci, external_id, display_name_ci FROM resources ORDER BY id')
        .all(),
      values: raw
        .prepare(
          'SELECT r.id, v.path, v.value_norm FROM value_index v JOIN resources r ON r.pk = v.resource_pk ORDER BY 1, 2, 3',
        )
        .all(),
      unique: raw
        .prepare(
          'SELECT r.id, u.scope, u.attribute, u.value_norm FROM unique_values u JOIN resources r ON r.pk = u.resource_pk ORDER BY 1, 2, 3, 4',
        )
        .all(),
    });
    const expected = snapshot(fresh.raw);
    expect(expected.values.length).toBeGreaterThan(10);
    expect(expected.unique.length).toBeGreaterThan(3);
    expect(snapshot(updated.raw)).toEqual(expected);
  });
});
