import { parseFilter } from '@scim/core';
import { expect } from 'vitest';
import {
  type Harness,
  createGroup,
  createUsers,
  expectStoreError,
  userData,
  userMembers,
} from '../harness.js';

/** Nothing of tenant A is visible or writable from tenant B. */
export function tenantIsolationTests(h: Harness): void {
  h.test('reads of tenant B never see tenant A: get, query, members, groups, counts', async (c) => {
    const tenantB = c.newTenant();
    const [userA] = await createUsers(c, ['shared.name']);
    const groupA = await createGroup(c, 'Engineering', { members: userMembers([userA!]) });
    const filter = parseFilter('userName eq "shared.name"', { registry: c.registry, resourceType: 'User' });

    expect(await c.store.getResource(tenantB, 'User', userA!)).toBeUndefined();
    expect(await c.store.getResource(tenantB, 'Group', groupA, { includeMembers: true })).toBeUndefined();
    expect(await c.store.queryResources(tenantB, { resourceType: 'User', filter, count: 10 })).toEqual({
      totalResults: 0,
      resources: [],
    });
    expect((await c.store.queryResources(tenantB, { resourceType: 'Group', count: 10 })).totalResults).toBe(
      0,
    );
    expect((await c.store.listMembers(tenantB, groupA)).members).toEqual([]);
    expect(await c.store.countMembers(tenantB, groupA)).toBe(0);
    expect(await c.store.listGroupsOf(tenantB, userA!)).toEqual([]);
    expect(await c.store.countResources(tenantB, 'User', { includeDeprovisioned: true })).toBe(0);
    expect(
      await c.store.transaction(tenantB, async (tx) => ({
        get: await tx.getResource('User', userA!),
        query: (await tx.queryResources({ resourceType: 'User', filter, count: 10 })).totalResults,
        groups: await tx.listGroupsOf(userA!),
        hasMember: await tx.hasMember(groupA, userA!),
      })),
    ).toEqual({ get: undefined, query: 0, groups: [], hasMember: false });

    // Tenant A still sees its own data.
    expect(
      (await c.store.queryResources(c.tenant, { resourceType: 'User', filter, count: 10 })).totalResults,
    ).toBe(1);
    expect(await c.store.countMembers(c.tenant, groupA)).toBe(1);
  });

  h.test('tenant B cannot update, delete or change memberships of tenant A', async (c) => {
    const tenantB = c.newTenant();
    const [userA, otherUserA] = await createUsers(c, ['owner', 'colleague']);
    const groupA = await createGroup(c, 'Admins', { members: userMembers([userA!]) });
    const [userB] = await createUsers(c, ['intruder'], tenantB);
    const groupB = await createGroup(c, 'Intruders', { tenant: tenantB });

    await expectStoreError(
      c.store.transaction(tenantB, (tx) =>
        tx.update({ resourceType: 'User', id: userA!, now: c.now(), data: userData('hijacked') }),
      ),
      'not_found',
    );
    await expectStoreError(
      c.store.transaction(tenantB, (tx) => tx.delete('User', userA!)),
      'not_found',
    );
    await expectStoreError(
      c.store.transaction(tenantB, (tx) => tx.delete('Group', groupA)),
      'not_found',
    );
    await expectStoreError(
      c.store.transaction(tenantB, (tx) => tx.applyMemberDelta(groupA, { add: userMembers([userB!]) })),
      'not_found',
    );
    await expectStoreError(
      c.store.transaction(tenantB, (tx) => tx.applyMemberDelta(groupA, { remove: [userA!] })),
      'not_found',
    );
    await expectStoreError(
      c.store.transaction(tenantB, (tx) => tx.applyMemberDelta(groupA, { add: [], replace: true })),
      'not_found',
    );
    // Tenant A's ids are not resources of tenant B, so they cannot become members there.
    await expectStoreError(
      c.store.transaction(tenantB, (tx) => tx.applyMemberDelta(groupB, { add: userMembers([otherUserA!]) })),
      'not_found',
    );

    const userARead = await c.store.getResource(c.tenant, 'User', userA!);
    expect(userARead).toMatchObject({ version: 1, data: { userName: 'owner' } });
    expect((await c.store.listMembers(c.tenant, groupA)).members.map((m) => m.value)).toEqual([userA]);
    expect(await c.store.listGroupsOf(c.tenant, otherUserA!)).toEqual([]);
    expect(await c.store.countMembers(tenantB, groupB)).toBe(0);
  });

  h.test('the same id can exist in two tenants independently', async (c) => {
    const tenantB = c.newTenant();
    const id = c.newId();
    await c.store.transaction(c.tenant, (tx) =>
      tx.create({ resourceType: 'User', id, now: c.now(), data: userData('in-a') }),
    );
    await c.store.transaction(tenantB, (tx) =>
      tx.create({ resourceType: 'User', id, now: c.now(), data: userData('in-b') }),
    );
    expect((await c.store.getResource(c.tenant, 'User', id))?.data.userName).toBe('in-a');
    expect((await c.store.getResource(tenantB, 'User', id))?.data.userName).toBe('in-b');
    await c.store.transaction(tenantB, (tx) => tx.delete('User', id));
    expect((await c.store.getResource(c.tenant, 'User', id))?.data.userName).toBe('in-a');
    expect(await c.store.getResource(tenantB, 'User', id)).toBeUndefined();
  });

  h.test('journal events and role settings stay with their tenant', async (c) => {
    const tenantB = c.newTenant();
    const event = (tenantId: string) => ({
      id: c.newId(),
      tenantId,
      type: 'scim.user.provisioned',
      time: c.now(),
    });
    await c.store.transaction(c.tenant, (tx) => tx.appendEvents([event(c.tenant)]));
    await c.store.transaction(tenantB, (tx) => tx.appendEvents([event(tenantB)]));
    const eventsB = await c.store.readJournal({ tenantId: tenantB });
    expect(eventsB.map((e) => e.tenantId)).toEqual([tenantB]);
    await c.store.setRoleSettings(c.tenant, {
      roles: ['admin'],
      defaultRole: null,
      mappings: [],
      deactivateUnmapped: false,
    });
    expect(await c.store.getRoleSettings(tenantB)).toBeUndefined();
    expect(await c.store.transaction(tenantB, (tx) => tx.getRoleSettings())).toBeUndefined();
  });
}
