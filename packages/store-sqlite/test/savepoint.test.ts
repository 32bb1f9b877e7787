import { type Store, type StoreTransaction, isStoreError } from '@scim/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const NOW = '2024-06-01T08:00:00.000Z';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(): { store: Store; raw: Database.Database } {
  const database = tempDatabase();
  const store = createSqliteStore({ database: database.path });
  const raw = new Database(database.path, { readonly: true });
  cleanups.push(
    database.remove,
    async () => store.close(),
    () => raw.close(),
  );
  return { store, raw };
}

/** One unit as a /Bulk create does it: the resource and its journal event. */
async function createWithEvent(tx: StoreTransaction, id: string, userName: string): Promise<void> {
  await tx.create({
    resourceType: 'User',
    id,
    now: NOW,
    data: { schemas: [USER], userName, emails: [{ value: `${userName}@example.com` }] },
  });
  await tx.appendEvents([
    { id: `ev-${id}`, tenantId: 't1', type: 'scim.user.provisioned', time: NOW, resourceId: id },
  ]);
}

const count = (raw: Database.Database, sql: string, ...args: unknown[]): number =>
  (raw.prepare(sql).get(...args) as { n: number }).n;

describe('savepoints inside a transaction', () => {
  it('undoes exactly the failing unit (row, side tables, journal) and commits the others', async () => {
    const { store, raw } = open();
    const outcomes: string[] = [];
    await store.transaction('t1', async (tx) => {
      for (const [id, userName] of [
        ['u1', 'ada'],
        ['u2', 'ADA'], // same userName, case-insensitively: a conflict
        ['u3', 'grace'],
      ] as const) {
        try {
          await tx.savepoint!(() => createWithEvent(tx, id, userName));
          outcomes.push(`${id}:ok`);
        } catch (error) {
          outcomes.push(`${id}:${isStoreError(error) ? error.reason : 'other'}`);
        }
      }
    });
    expect(outcomes).toEqual(['u1:ok', 'u2:conflict', 'u3:ok']);
    expect(raw.prepare('SELECT id FROM resources ORDER BY id').pluck().all()).toEqual(['u1', 'u3']);
    expect(raw.prepare('SELECT resource_id FROM journal ORDER BY position').pluck().all()).toEqual([
      'u1',
      'u3',
    ]);
    expect(count(raw, 'SELECT count(*) AS n FROM value_index')).toBe(2);
  });

  it('rolls back a unit that throws after writing, even when the error is not a store error', async () => {
    const { store, raw } = open();
    await store.transaction('t1', async (tx) => {
      await expect(
        tx.savepoint!(async () => {
          await createWithEvent(tx, 'u1', 'ada');
          throw new Error('validation failed after the write');
        }),
      ).rejects.toThrow('validation failed after the write');
      // The transaction is still usable, and sees nothing of the undone unit.
      expect(await tx.getResource('User', 'u1')).toBeUndefined();
      await tx.savepoint!(() => createWithEvent(tx, 'u1', 'ada'));
    });
    expect(count(raw, 'SELECT count(*) AS n FROM resources')).toBe(1);
    expect(count(raw, 'SELECT count(*) AS n FROM journal')).toBe(1);
  });

  it('nests, and a failing outer transaction loses its committed savepoints too', async () => {
    const { store, raw } = open();
    await store.transaction('t1', async (tx) => {
      await tx.savepoint!(async () => {
        await createWithEvent(tx, 'u1', 'ada');
        await expect(tx.savepoint!(() => createWithEvent(tx, 'u2', 'ada'))).rejects.toMatchObject({
          reason: 'conflict',
        });
        await createWithEvent(tx, 'u3', 'grace');
      });
    });
    expect(raw.prepare('SELECT id FROM resources ORDER BY id').pluck().all()).toEqual(['u1', 'u3']);

    await expect(
      store.transaction('t1', async (tx) => {
        await tx.savepoint!(() => createWithEvent(tx, 'u4', 'alan'));
        throw new Error('the batch fails as a whole');
      }),
    ).rejects.toThrow('the batch fails as a whole');
    expect(count(raw, "SELECT count(*) AS n FROM resources WHERE id = 'u4'")).toBe(0);
    expect(count(raw, "SELECT count(*) AS n FROM journal WHERE resource_id = 'u4'")).toBe(0);
  });

  it('refuses a savepoint once the transaction has ended', async () => {
    const { store } = open();
    let leaked: StoreTransaction | undefined;
    await store.transaction('t1', async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.savepoint!(async () => undefined)).rejects.toMatchObject({ reason: 'unavailable' });
  });
});

describe('group commit of concurrent transactions', () => {
  it('keeps each transaction atomic and isolated from a failing neighbour in the same group', async () => {
    const { store, raw } = open();
    // Started in the same turn of the event loop: they share one SQLite transaction.
    const results = await Promise.allSettled([
      store.transaction('t1', (tx) => createWithEvent(tx, 'u1', 'ada')),
      store.transaction('t1', async (tx) => {
        await createWithEvent(tx, 'u2', 'grace');
        throw new Error('fails after writing');
      }),
      store.transaction('t1', (tx) => createWithEvent(tx, 'u3', 'ADA')), // conflicts with u1
      store.transaction('t1', async (tx) => {
        // Sees what the earlier members of the group wrote, as if they had committed before it.
        expect(await tx.getResource('User', 'u1')).toBeDefined();
        expect(await tx.getResource('User', 'u2')).toBeUndefined();
        await createWithEvent(tx, 'u4', 'alan');
        return 'fourth';
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'fails after writing' });
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ reason: 'conflict' });
    expect((results[3] as PromiseFulfilledResult<string>).value).toBe('fourth');
    expect(raw.prepare('SELECT id FROM resources ORDER BY id').pluck().all()).toEqual(['u1', 'u4']);
    expect(raw.prepare('SELECT resource_id FROM journal ORDER BY position').pluck().all()).toEqual([
      'u1',
      'u4',
    ]);
  });

  it('resolves a transaction only once its writes are visible to committed reads', async () => {
    const { store } = open();
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store
          .transaction('t1', (tx) => createWithEvent(tx, `u${i}`, `user${i}`))
          .then(() => store.getResource('t1', 'User', `u${i}`)),
      ),
    );
    expect(seen.every((resource) => resource !== undefined)).toBe(true);
  });

  it('runs transactions queued before close, then refuses new ones', async () => {
    const { store, raw } = open();
    const pending = store.transaction('t1', (tx) => createWithEvent(tx, 'u1', 'ada'));
    const closing = store.close();
    await pending;
    await closing;
    expect(count(raw, 'SELECT count(*) AS n FROM resources')).toBe(1);
    await expect(store.transaction('t1', async () => undefined)).rejects.toMatchObject({
      reason: 'unavailable',
    });
  });
});
