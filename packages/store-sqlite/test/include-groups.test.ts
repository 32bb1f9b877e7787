import type { Store } from '@scim/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const NOW = '2024-06-01T08:00:00.000Z';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(): Store {
  const database = tempDatabase();
  const store = createSqliteStore({ database: database.path });
  cleanups.push(database.remove, async () => store.close());
  return store;
}

describe('getResource with includeGroups', () => {
  it('returns the same groups as listGroupsOf, in one read, and none for a user in no group', async () => {
    const store = open();
    await store.transaction('t1', async (tx) => {
      for (const id of ['u1', 'u2']) {
        await tx.create({ resourceType: 'User', id, now: NOW, data: { schemas: [USER], userName: id } });
      }
      await tx.create({
        resourceType: 'Group',
        id: 'g2',
        now: NOW,
        data: { schemas: [GROUP], displayName: 'Admins', externalId: 'ext-2' },
        members: [{ value: 'u1', type: 'User' }],
      });
      await tx.create({
        resourceType: 'Group',
        id: 'g1',
        now: NOW,
        data: { schemas: [GROUP], displayName: 'Staff' },
        members: [{ value: 'u1', type: 'User' }],
      });
    });

    const u1 = await store.getResource('t1', 'User', 'u1', { includeGroups: true });
    expect(u1?.groups).toEqual([
      { id: 'g1', displayName: 'Staff' },
      { id: 'g2', displayName: 'Admins', externalId: 'ext-2' },
    ]);
    expect(u1?.groups).toEqual(await store.listGroupsOf('t1', 'u1'));
    expect(u1?.data.userName).toBe('u1');

    expect((await store.getResource('t1', 'User', 'u2', { includeGroups: true }))?.groups).toEqual([]);
    // Without the option the resource carries no groups at all.
    expect((await store.getResource('t1', 'User', 'u1'))?.groups).toBeUndefined();
    // Another tenant's user of the same id is not found, groups or not.
    expect(await store.getResource('t2', 'User', 'u1', { includeGroups: true })).toBeUndefined();

    // Pages read them too, by index and by cursor; groups themselves never get any.
    for (const page of [
      await store.queryResources('t1', { resourceType: 'User', count: 10, includeGroups: true }),
      await store.queryResources('t1', { resourceType: 'User', count: 10, cursor: '', includeGroups: true }),
    ]) {
      expect(page.resources.map((r) => [r.id, r.groups?.map((g) => g.id)])).toEqual([
        ['u1', ['g1', 'g2']],
        ['u2', []],
      ]);
    }
    const groups = await store.queryResources('t1', {
      resourceType: 'Group',
      count: 10,
      includeGroups: true,
    });
    expect(groups.resources.every((r) => r.groups === undefined)).toBe(true);
  });

  it('hides a deprovisioned user unless includeDeprovisioned is set', async () => {
    const store = open();
    await store.transaction('t1', async (tx) => {
      await tx.create({
        resourceType: 'User',
        id: 'u1',
        now: NOW,
        data: { schemas: [USER], userName: 'u1' },
      });
      await tx.update({ resourceType: 'User', id: 'u1', now: NOW, deprovisionedAt: NOW });
    });
    const deprovisioned = await store.getResource('t1', 'User', 'u1', { includeGroups: true });
    const visible = await store.getResource('t1', 'User', 'u1', {
      includeGroups: true,
      includeDeprovisioned: true,
    });
    expect(deprovisioned).toBeUndefined();
    expect(visible?.deprovisionedAt).toBe(NOW);
    expect(visible?.groups).toEqual([]);
  });
});
