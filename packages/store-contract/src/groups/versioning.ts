import { isStoreError } from '@scim/core';
import { expect } from 'vitest';
import { type Harness, createUsers, expectStoreError, userData } from '../harness.js';

/** Optimistic concurrency: the expected version is checked inside the write. */
export function versioningTests(h: Harness): void {
  h.test('update with the current expectedVersion succeeds and bumps the version by one', async (c) => {
    const [id] = await createUsers(c, ['versioned']);
    for (const expectedVersion of [1, 2, 3]) {
      const updated = await c.store.transaction(c.tenant, (tx) =>
        tx.update({
          resourceType: 'User',
          id: id!,
          now: c.now(),
          expectedVersion,
          data: userData('versioned'),
        }),
      );
      expect(updated.version).toBe(expectedVersion + 1);
    }
  });

  h.test('a stale expectedVersion is precondition_failed and changes nothing', async (c) => {
    const [id] = await createUsers(c, ['stale']);
    await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id: id!, now: c.now(), data: userData('stale', { title: 'v2' }) }),
    );
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) =>
        tx.update({
          resourceType: 'User',
          id: id!,
          now: c.now(),
          expectedVersion: 1,
          data: userData('lost'),
        }),
      ),
      'precondition_failed',
    );
    expect(await c.store.getResource(c.tenant, 'User', id!)).toMatchObject({
      version: 2,
      data: { userName: 'stale', title: 'v2' },
    });
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) => tx.delete('User', id!, { expectedVersion: 1 })),
      'precondition_failed',
    );
    expect(await c.store.getResource(c.tenant, 'User', id!)).toBeDefined();
    await c.store.transaction(c.tenant, (tx) => tx.delete('User', id!, { expectedVersion: 2 }));
    expect(await c.store.getResource(c.tenant, 'User', id!)).toBeUndefined();
  });

  h.test('parallel updates with the same expectedVersion: exactly one succeeds', async (c) => {
    const [id] = await createUsers(c, ['contended']);
    const writers = 6;
    const results = await Promise.allSettled(
      Array.from({ length: writers }, (_, index) =>
        c.store.transaction(c.tenant, (tx) =>
          tx.update({
            resourceType: 'User',
            id: id!,
            now: c.now(),
            expectedVersion: 1,
            data: userData('contended', { title: `writer-${index}` }),
          }),
        ),
      ),
    );
    const winners = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(
          isStoreError(result.reason) && result.reason.reason === 'precondition_failed',
          String(result.reason),
        ).toBe(true);
      }
    }
    expect(await c.store.getResource(c.tenant, 'User', id!)).toMatchObject({
      version: 2,
      data: { title: `writer-${winners[0]}` },
    });
  });
}
