import { parseFilter } from '@scim/core';
import { expect } from 'vitest';
import { type Harness, createUsers, expectStoreError, userData } from '../harness.js';

/** Soft deletion: SCIM treats a deprovisioned resource as gone, the host still sees it. */
export function deprovisioningTests(h: Harness): void {
  h.test('a deprovisioned user is excluded from get, query and counts unless asked for', async (c) => {
    const [gone, stays] = await createUsers(c, ['deprovisioned', 'present']);
    const when = c.now();
    const updated = await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id: gone!, now: c.now(), deprovisionedAt: when }),
    );
    expect(updated).toMatchObject({ version: 2, deprovisionedAt: when });
    expect(await c.store.getResource(c.tenant, 'User', gone!)).toBeUndefined();
    expect(await c.store.getResource(c.tenant, 'User', gone!, { includeDeprovisioned: true })).toMatchObject({
      id: gone,
      deprovisionedAt: when,
      data: { userName: 'deprovisioned' },
    });
    const filter = parseFilter('userName sw "de"', { registry: c.registry, resourceType: 'User' });
    expect(
      (await c.store.queryResources(c.tenant, { resourceType: 'User', filter, count: 10 })).totalResults,
    ).toBe(0);
    const all = await c.store.queryResources(c.tenant, { resourceType: 'User', count: 10 });
    expect(all.resources.map((r) => r.id)).toEqual([stays]);
    const withGone = await c.store.queryResources(c.tenant, {
      resourceType: 'User',
      filter,
      count: 10,
      includeDeprovisioned: true,
    });
    expect(withGone.resources.map((r) => r.id)).toEqual([gone]);
    expect(await c.store.countResources(c.tenant, 'User')).toBe(1);
    expect(await c.store.countResources(c.tenant, 'User', { includeDeprovisioned: true })).toBe(2);
    expect(await c.store.transaction(c.tenant, (tx) => tx.getResource('User', gone!))).toBeUndefined();
  });

  h.test(
    'update of a deprovisioned user is not_found unless includeDeprovisioned; null restores it',
    async (c) => {
      const [id] = await createUsers(c, ['returning']);
      await c.store.transaction(c.tenant, (tx) =>
        tx.update({ resourceType: 'User', id: id!, now: c.now(), deprovisionedAt: c.now() }),
      );
      await expectStoreError(
        c.store.transaction(c.tenant, (tx) =>
          tx.update({
            resourceType: 'User',
            id: id!,
            now: c.now(),
            data: userData('returning', { title: 'x' }),
          }),
        ),
        'not_found',
      );
      const restored = await c.store.transaction(c.tenant, (tx) =>
        tx.update({
          resourceType: 'User',
          id: id!,
          now: c.now(),
          includeDeprovisioned: true,
          expectedVersion: 2,
          deprovisionedAt: null,
          data: userData('returning', { active: true }),
        }),
      );
      expect(restored.version).toBe(3);
      expect(restored.deprovisionedAt).toBeUndefined();
      const read = await c.store.getResource(c.tenant, 'User', id!);
      expect(read).toMatchObject({ version: 3, data: { userName: 'returning', active: true } });
      expect(read!.deprovisionedAt).toBeUndefined();
    },
  );

  h.test('a deprovisioned user can still be hard-deleted', async (c) => {
    const [id] = await createUsers(c, ['purged']);
    await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id: id!, now: c.now(), deprovisionedAt: c.now() }),
    );
    await c.store.transaction(c.tenant, (tx) => tx.delete('User', id!));
    expect(await c.store.getResource(c.tenant, 'User', id!, { includeDeprovisioned: true })).toBeUndefined();
  });
}
