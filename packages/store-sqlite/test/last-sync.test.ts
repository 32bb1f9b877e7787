import type { Store } from '@scim/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(): Promise<Store> {
  const database = tempDatabase();
  const store = createSqliteStore({ database: database.path });
  cleanups.push(database.remove, async () => store.close());
  for (const id of ['t1', 't2']) await store.createTenant({ id, name: id, createdAt: 'T0' });
  return store;
}

const lastSync = async (store: Store, tenantId: string) => (await store.getTenant(tenantId))?.lastSyncAt;

// touchLastSync is written once per group commit, just before COMMIT: these tests pin that the
// result is what one UPDATE per call would have left.
describe('touchLastSync under group commit', () => {
  it('lands with the commit, and the last touch of a group wins per tenant', async () => {
    const store = await open();
    await store.transaction('t1', (tx) => tx.touchLastSync('T1'));
    expect(await lastSync(store, 't1')).toBe('T1');

    // Started in one event-loop turn: one group, one COMMIT.
    await Promise.all([
      store.transaction('t1', (tx) => tx.touchLastSync('T3')),
      store.transaction('t2', (tx) => tx.touchLastSync('T2')),
      store.transaction('t1', (tx) => tx.touchLastSync('T2')),
    ]);
    expect(await lastSync(store, 't1')).toBe('T2');
    expect(await lastSync(store, 't2')).toBe('T2');
  });

  it('is undone with a failed transaction or a failed savepoint, and kept from the units that succeed', async () => {
    const store = await open();
    const results = await Promise.allSettled([
      store.transaction('t1', (tx) => tx.touchLastSync('T1')),
      store.transaction('t1', async (tx) => {
        await tx.touchLastSync('T9');
        throw new Error('abort');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await lastSync(store, 't1')).toBe('T1');

    await store.transaction('t2', async (tx) => {
      await tx.savepoint!(() => tx.touchLastSync('T4'));
      await tx.savepoint!(async () => {
        await tx.touchLastSync('T8');
        throw new Error('unit fails');
      }).catch(() => undefined);
    });
    expect(await lastSync(store, 't2')).toBe('T4');

    await store.transaction('t2', async (tx) => {
      await tx.savepoint!(async () => {
        await tx.touchLastSync('T7');
        throw new Error('unit fails');
      }).catch(() => undefined);
    });
    expect(await lastSync(store, 't2')).toBe('T4');
  });
});
