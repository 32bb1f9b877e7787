import { isStoreError } from '@scim/core';
import { expect } from 'vitest';
import { CONTRACT_EXTENSION_URN } from '../contract-registry.js';
import { type Harness, createGroup, createUsers, expectStoreError, userData } from '../harness.js';

/** userName is unique per tenant, case-insensitively, and so is what the registry marks unique. */
export function uniquenessTests(h: Harness): void {
  h.test('a userName differing only in case is a conflict on userName', async (c) => {
    await createUsers(c, ['Ada.Lovelace']);
    const error = await expectStoreError(createUsers(c, ['ada.LOVELACE']), 'conflict');
    expect(error.attribute).toBe('userName');
    expect(await c.store.countResources(c.tenant, 'User')).toBe(1);
  });

  h.test('the same userName is allowed in another tenant', async (c) => {
    await createUsers(c, ['same.person']);
    const tenantB = c.newTenant();
    await createUsers(c, ['Same.Person'], tenantB);
    expect(await c.store.countResources(tenantB, 'User')).toBe(1);
  });

  h.test('update cannot take another user’s userName but may change the case of its own', async (c) => {
    const [first, second] = await createUsers(c, ['first', 'second']);
    const error = await expectStoreError(
      c.store.transaction(c.tenant, (tx) =>
        tx.update({ resourceType: 'User', id: second!, now: c.now(), data: userData('FIRST') }),
      ),
      'conflict',
    );
    expect(error.attribute).toBe('userName');
    await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id: first!, now: c.now(), data: userData('First') }),
    );
    expect((await c.store.getResource(c.tenant, 'User', first!))?.data.userName).toBe('First');
    expect((await c.store.getResource(c.tenant, 'User', second!))?.data.userName).toBe('second');
  });

  h.test('a deprovisioned user still holds its userName; a hard-deleted one frees it', async (c) => {
    const [id] = await createUsers(c, ['leaver']);
    await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id: id!, now: c.now(), deprovisionedAt: c.now() }),
    );
    const error = await expectStoreError(createUsers(c, ['LEAVER']), 'conflict');
    expect(error.attribute).toBe('userName');
    await c.store.transaction(c.tenant, (tx) => tx.delete('User', id!));
    await createUsers(c, ['Leaver']);
    expect(await c.store.countResources(c.tenant, 'User', { includeDeprovisioned: true })).toBe(1);
  });

  h.test('parallel creates of one userName: exactly one succeeds, the others are conflicts', async (c) => {
    const attempts = 8;
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, index) =>
        createUsers(c, [index % 2 === 0 ? 'race.winner' : 'RACE.winner']),
      ),
    );
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    for (const result of rejected) {
      const reason = (result as PromiseRejectedResult).reason;
      expect(isStoreError(reason) && reason.reason === 'conflict', String(reason)).toBe(true);
    }
    expect(await c.store.countResources(c.tenant, 'User')).toBe(1);
  });

  h.test('an attribute the registry marks unique is enforced too (extension employeeKey)', async (c) => {
    const extra = (key: string) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', CONTRACT_EXTENSION_URN],
      [CONTRACT_EXTENSION_URN]: { employeeKey: key },
    });
    await createUsers(c, [{ userName: 'keyed.one', extra: extra('EMP-1') }]);
    const error = await expectStoreError(
      createUsers(c, [{ userName: 'keyed.two', extra: extra('emp-1') }]),
      'conflict',
    );
    expect(error.attribute?.toLowerCase()).toContain('employeekey');
    await createUsers(c, [{ userName: 'keyed.three', extra: extra('EMP-2') }]);
    expect(await c.store.countResources(c.tenant, 'User')).toBe(2);
  });

  h.test('groups may share a displayName (it is not unique in RFC 7643)', async (c) => {
    await createGroup(c, 'Everyone');
    await createGroup(c, 'Everyone');
    expect(await c.store.countResources(c.tenant, 'Group')).toBe(2);
  });
}
