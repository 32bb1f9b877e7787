import { isStoreError } from '@scim/core';
import { expect } from 'vitest';
import { type Harness, createGroup, createUsers, expectStoreError, sorted, userMembers } from '../harness.js';

/** Group membership: deltas, paging, reverse lookups and cleanup on delete. */
export function memberTests(h: Harness): void {
  h.test(
    'a group read without includeMembers has no members; with it, members are ordered by id',
    async (c) => {
      const users = await createUsers(c, ['m1', 'm2', 'm3']);
      const groupId = await createGroup(c, 'Readers', {
        members: [
          { value: users[2]!, type: 'User', display: 'Third' },
          { value: users[0]!, type: 'User' },
          { value: users[1]!, type: 'User', display: 'Second' },
        ],
      });
      const plain = await c.store.getResource(c.tenant, 'Group', groupId);
      expect(plain).toBeDefined();
      expect(plain!.members).toBeUndefined();
      expect('members' in plain!.data).toBe(false);
      const full = await c.store.getResource(c.tenant, 'Group', groupId, { includeMembers: true });
      const expected = [
        { value: users[2]!, type: 'User', display: 'Third' },
        { value: users[0]!, type: 'User' },
        { value: users[1]!, type: 'User', display: 'Second' },
      ].sort((a, b) => (a.value < b.value ? -1 : 1));
      expect(full!.members).toEqual(expected);
      const empty = await createGroup(c, 'Empty');
      expect(
        (await c.store.getResource(c.tenant, 'Group', empty, { includeMembers: true }))!.members,
      ).toEqual([]);
      const queried = await c.store.queryResources(c.tenant, {
        resourceType: 'Group',
        count: 10,
        includeMembers: true,
      });
      expect(queried.resources.find((g) => g.id === groupId)!.members).toEqual(expected);
      const queriedPlain = await c.store.queryResources(c.tenant, { resourceType: 'Group', count: 10 });
      expect(queriedPlain.resources.every((g) => g.members === undefined)).toBe(true);
    },
  );

  h.test(
    'add and remove report what really changed; repeated adds and absent removes are no-ops',
    async (c) => {
      const [a, b, d] = await createUsers(c, ['a', 'b', 'd']);
      const groupId = await createGroup(c, 'Delta');
      const delta = (change: Parameters<import('@scim/core').StoreTransaction['applyMemberDelta']>[1]) =>
        c.store.transaction(c.tenant, (tx) => tx.applyMemberDelta(groupId, change));

      expect(await delta({ add: userMembers([a!, b!]) })).toEqual({ added: [a, b], removed: [] });
      expect(await delta({ add: userMembers([a!, b!]) })).toEqual({ added: [], removed: [] });
      expect(await delta({ add: userMembers([a!, d!]), remove: [b!] })).toEqual({ added: [d], removed: [b] });
      expect(await delta({ remove: [b!] })).toEqual({ added: [], removed: [] });
      expect(sorted((await c.store.listMembers(c.tenant, groupId)).members.map((m) => m.value))).toEqual(
        sorted([a!, d!]),
      );
      expect(await c.store.countMembers(c.tenant, groupId)).toBe(2);
    },
  );

  h.test(
    'a page read with includeGroups gives, where the store fills it, each user’s groups as listGroupsOf does',
    async (c) => {
      const [ada, grace, alan] = await createUsers(c, ['g-ada', 'g-grace', 'g-alan']);
      await createGroup(c, 'Zeta', { members: userMembers([ada!, grace!]) });
      await createGroup(c, 'Alpha', { members: userMembers([ada!]), extra: { externalId: 'okta-alpha' } });
      for (const query of [
        { resourceType: 'User', count: 10, includeGroups: true },
        { resourceType: 'User', count: 2, startIndex: 2, includeGroups: true },
        { resourceType: 'User', count: 10, cursor: '', includeGroups: true },
      ]) {
        const { resources } = await c.store.queryResources(c.tenant, query);
        expect(resources.length).toBeGreaterThan(0);
        for (const resource of resources) {
          if (resource.groups === undefined) continue; // optional: callers then ask listGroupsOf
          expect(resource.groups).toEqual(await c.store.listGroupsOf(c.tenant, resource.id));
        }
      }
      // Groups are user data only: a group page asked for groups has none, and a page without the
      // option is unchanged.
      expect(
        (await c.store.queryResources(c.tenant, { resourceType: 'User', count: 10 })).resources.every(
          (resource) => resource.groups === undefined,
        ),
      ).toBe(true);
      expect((await c.store.listGroupsOf(c.tenant, alan!)).length).toBe(0);
      expect((await c.store.listGroupsOf(c.tenant, ada!)).map((group) => group.displayName)).toEqual(
        expect.arrayContaining(['Alpha', 'Zeta']),
      );
    },
  );

  h.test('replace makes the members exactly the given set', async (c) => {
    const [a, b, d] = await createUsers(c, ['ra', 'rb', 'rd']);
    const groupId = await createGroup(c, 'Replace', { members: userMembers([a!, b!]) });
    const result = await c.store.transaction(c.tenant, (tx) =>
      tx.applyMemberDelta(groupId, { replace: true, add: userMembers([b!, d!]), remove: [b!] }),
    );
    expect(result).toEqual({ added: [d], removed: [a] });
    expect(sorted((await c.store.listMembers(c.tenant, groupId)).members.map((m) => m.value))).toEqual(
      sorted([b!, d!]),
    );
    const cleared = await c.store.transaction(c.tenant, (tx) =>
      tx.applyMemberDelta(groupId, { replace: true }),
    );
    expect(sorted(cleared.removed)).toEqual(sorted([b!, d!]));
    expect(await c.store.countMembers(c.tenant, groupId)).toBe(0);
  });

  h.test('update with a memberDelta applies it and bumps the group version atomically', async (c) => {
    const [a] = await createUsers(c, ['ua']);
    const groupId = await createGroup(c, 'Versioned');
    const updated = await c.store.transaction(c.tenant, (tx) =>
      tx.update({
        resourceType: 'Group',
        id: groupId,
        now: c.now(),
        expectedVersion: 1,
        memberDelta: { add: userMembers([a!]) },
      }),
    );
    expect(updated.version).toBe(2);
    expect(await c.store.countMembers(c.tenant, groupId)).toBe(1);
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) =>
        tx.update({
          resourceType: 'Group',
          id: groupId,
          now: c.now(),
          expectedVersion: 1,
          memberDelta: { remove: [a!] },
        }),
      ),
      'precondition_failed',
    );
    expect(await c.store.countMembers(c.tenant, groupId)).toBe(1);
  });

  h.test('adding an id that is no resource of the tenant is not_found and adds nothing', async (c) => {
    const [a] = await createUsers(c, ['real']);
    const groupId = await createGroup(c, 'Strict');
    const error = await expectStoreError(
      c.store.transaction(c.tenant, (tx) =>
        tx.applyMemberDelta(groupId, { add: userMembers([a!, c.newId()]) }),
      ),
      'not_found',
    );
    expect(error.message.length).toBeGreaterThan(5);
    expect(await c.store.countMembers(c.tenant, groupId)).toBe(0);
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) => tx.applyMemberDelta(c.newId(), { add: userMembers([a!]) })),
      'not_found',
    );
  });

  h.test(
    'pages through 2,500 members with listMembers, in id order, without gaps or repeats',
    async (c) => {
      const ids = await createUsers(
        c,
        Array.from({ length: 2500 }, (_, index) => `bulk-${index}`),
      );
      const groupId = await createGroup(c, 'Big');
      await c.store.transaction(c.tenant, async (tx) => {
        for (let start = 0; start < ids.length; start += 500) {
          await tx.applyMemberDelta(groupId, { add: userMembers(ids.slice(start, start + 500)) });
        }
      });
      expect(await c.store.countMembers(c.tenant, groupId)).toBe(2500);
      for (const limit of [undefined, 333]) {
        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await c.store.listMembers(c.tenant, groupId, {
            ...(after === undefined ? {} : { after }),
            ...(limit === undefined ? {} : { limit }),
          });
          expect(page.members.length).toBeLessThanOrEqual(limit ?? 1000);
          seen.push(...page.members.map((m) => m.value));
          after = page.next;
          pages++;
          expect(pages).toBeLessThan(100);
        } while (after !== undefined);
        expect(pages).toBe(Math.ceil(2500 / (limit ?? 1000)));
        expect(seen).toEqual(sorted(ids));
      }
    },
    h.slowTimeout,
  );

  h.test(
    'listGroupsOf lists the direct groups of a user or group with displayName and externalId',
    async (c) => {
      const [a, b] = await createUsers(c, ['in-two', 'in-none']);
      const one = await createGroup(c, 'One', { members: userMembers([a!]), extra: { externalId: 'ext-1' } });
      const two = await createGroup(c, 'Two', { members: userMembers([a!]) });
      const parent = await createGroup(c, 'Parent', { members: [{ value: two, type: 'Group' }] });
      const groups = await c.store.listGroupsOf(c.tenant, a!);
      expect([...groups].sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(
        [
          { id: one, displayName: 'One', externalId: 'ext-1' },
          { id: two, displayName: 'Two' },
        ].sort((x, y) => (x.id < y.id ? -1 : 1)),
      );
      expect(await c.store.listGroupsOf(c.tenant, b!)).toEqual([]);
      expect(await c.store.listGroupsOf(c.tenant, two)).toEqual([{ id: parent, displayName: 'Parent' }]);
    },
  );

  h.test('deleting a user removes its memberships', async (c) => {
    const [gone, stays] = await createUsers(c, ['gone', 'stays']);
    const g1 = await createGroup(c, 'G1', { members: userMembers([gone!, stays!]) });
    const g2 = await createGroup(c, 'G2', { members: userMembers([gone!]) });
    await c.store.transaction(c.tenant, (tx) => tx.delete('User', gone!));
    expect((await c.store.listMembers(c.tenant, g1)).members.map((m) => m.value)).toEqual([stays]);
    expect(await c.store.countMembers(c.tenant, g2)).toBe(0);
    expect(await c.store.listGroupsOf(c.tenant, gone!)).toEqual([]);
  });

  h.test('deleting a group removes memberships only, never the members', async (c) => {
    const [member] = await createUsers(c, ['survivor']);
    const child = await createGroup(c, 'Child', { members: userMembers([member!]) });
    const parent = await createGroup(c, 'Parent', { members: [{ value: child, type: 'Group' }] });
    await c.store.transaction(c.tenant, (tx) => tx.delete('Group', child));
    expect(await c.store.getResource(c.tenant, 'User', member!)).toBeDefined();
    expect(await c.store.listGroupsOf(c.tenant, member!)).toEqual([]);
    expect(await c.store.countMembers(c.tenant, parent)).toBe(0);
    expect(await c.store.countMembers(c.tenant, child)).toBe(0);
    // A new group with the old id starts empty.
    await c.store.transaction(c.tenant, (tx) =>
      tx.create({
        resourceType: 'Group',
        id: child,
        now: c.now(),
        data: { schemas: [], displayName: 'Reborn' },
      }),
    );
    expect(await c.store.countMembers(c.tenant, child)).toBe(0);
  });

  h.test(
    '30 parallel update({ memberDelta }) calls without expectedVersion all land, one version each',
    async (c) => {
      // How a server applies PATCH add members: the group's version is bumped with the delta.
      const ids = await createUsers(
        c,
        Array.from({ length: 30 }, (_, index) => `patched-${index}`),
      );
      const groupId = await createGroup(c, 'Patched');
      const results = await Promise.allSettled(
        ids.map((id) =>
          c.store.transaction(c.tenant, (tx) =>
            tx.update({
              resourceType: 'Group',
              id: groupId,
              now: c.now(),
              memberDelta: { add: userMembers([id]) },
            }),
          ),
        ),
      );
      expect(
        results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : [])),
        'a store may retry internally, but every update must land',
      ).toEqual([]);
      expect(sorted((await c.store.listMembers(c.tenant, groupId)).members.map((m) => m.value))).toEqual(
        sorted(ids),
      );
      expect((await c.store.getResource(c.tenant, 'Group', groupId))?.version).toBe(1 + ids.length);
      const versions = results.map(
        (result) => (result as PromiseFulfilledResult<{ version: number }>).value.version,
      );
      expect(new Set(versions).size, 'each update returned its own version').toBe(ids.length);
    },
  );

  h.test('50 parallel single-member add transactions all land', async (c) => {
    const ids = await createUsers(
      c,
      Array.from({ length: 50 }, (_, index) => `parallel-${index}`),
    );
    const groupId = await createGroup(c, 'Parallel');
    const results = await Promise.allSettled(
      ids.map((id) =>
        c.store.transaction(c.tenant, (tx) => tx.applyMemberDelta(groupId, { add: userMembers([id]) })),
      ),
    );
    const failures = results.filter((result) => result.status === 'rejected');
    expect(
      failures.map((failure) => String((failure as PromiseRejectedResult).reason)),
      'a store may retry internally, but every add must land',
    ).toEqual([]);
    expect(await c.store.countMembers(c.tenant, groupId)).toBe(50);
    const page = await c.store.listMembers(c.tenant, groupId, { limit: 100 });
    expect(page.members.map((m) => m.value)).toEqual(sorted(ids));
    expect(results.every((result) => result.status === 'fulfilled' || isStoreError(result.reason))).toBe(
      true,
    );
  });
}
