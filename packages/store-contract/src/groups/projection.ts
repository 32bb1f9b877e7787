import { parseFilter } from '@scim/core';
import { expect } from 'vitest';
import { type Harness, createGroup, createUsers, sorted, userMembers } from '../harness.js';

/**
 * What the caller needs: the Store contract's only projection hint is `includeMembers`, because
 * members are the one attribute that lives apart from `data` and can be huge. SCIM
 * `attributes`/`excludedAttributes` are applied afterwards by `@scim/core`'s projection on the
 * whole `data`, so a store always returns `data` complete, and members only when asked for, on
 * every read path.
 */
export function projectionTests(h: Harness): void {
  h.test(
    'includeMembers is honoured by get, index-paged, cursor-paged and transaction reads; data stays whole',
    async (c) => {
      const users = await createUsers(c, ['p1', 'p2', 'p3']);
      const groups = [
        await createGroup(c, 'With Two', {
          members: userMembers([users[0]!, users[1]!]),
          extra: { externalId: 'ext-g' },
        }),
        await createGroup(c, 'With One', { members: userMembers([users[2]!]) }),
        await createGroup(c, 'Empty'),
      ];
      const expectedMembers = new Map([
        [groups[0]!, sorted([users[0]!, users[1]!])],
        [groups[1]!, [users[2]!]],
        [groups[2]!, []],
      ]);
      const check = (
        label: string,
        resources: Array<{ id: string; members?: Array<{ value: string }>; data: Record<string, unknown> }>,
        withMembers: boolean,
      ) => {
        expect(resources.length, label).toBeGreaterThan(0);
        for (const resource of resources) {
          expect(resource.data.displayName, `${label}: data is whole`).toBeTypeOf('string');
          expect('members' in resource.data, `${label}: members never live in data`).toBe(false);
          if (withMembers) {
            expect(
              resource.members?.map((member) => member.value),
              `${label}: members of ${resource.id}`,
            ).toEqual(expectedMembers.get(resource.id));
          } else {
            expect(resource.members, `${label}: no members unless asked for`).toBeUndefined();
          }
        }
      };
      const withExternal = await c.store.getResource(c.tenant, 'Group', groups[0]!);
      expect(withExternal?.data.externalId).toBe('ext-g');

      for (const includeMembers of [true, false]) {
        const options = includeMembers ? { includeMembers } : {};
        const label = includeMembers ? 'with includeMembers' : 'without includeMembers';
        const got = await Promise.all(
          groups.map((id) => c.store.getResource(c.tenant, 'Group', id, options)),
        );
        check(
          `getResource ${label}`,
          got.map((g) => g!),
          includeMembers,
        );
        const indexPage = await c.store.queryResources(c.tenant, {
          resourceType: 'Group',
          startIndex: 2,
          count: 2,
          ...options,
        });
        check(`startIndex page ${label}`, indexPage.resources, includeMembers);
        const filtered = await c.store.queryResources(c.tenant, {
          resourceType: 'Group',
          filter: parseFilter('displayName sw "with"', { registry: c.registry, resourceType: 'Group' }),
          count: 10,
          ...options,
        });
        check(`filtered query ${label}`, filtered.resources, includeMembers);
        if (c.store.capabilities.cursorPaging) {
          const first = await c.store.queryResources(c.tenant, {
            resourceType: 'Group',
            cursor: '',
            count: 2,
            ...options,
          });
          check(`first cursor page ${label}`, first.resources, includeMembers);
          const second = await c.store.queryResources(c.tenant, {
            resourceType: 'Group',
            cursor: first.nextCursor!,
            count: 2,
            ...options,
          });
          check(`next cursor page ${label}`, second.resources, includeMembers);
        }
        const inside = await c.store.transaction(c.tenant, async (tx) => ({
          get: await tx.getResource('Group', groups[0]!, options),
          query: await tx.queryResources({ resourceType: 'Group', count: 10, ...options }),
        }));
        check(`transaction getResource ${label}`, [inside.get!], includeMembers);
        check(`transaction queryResources ${label}`, inside.query.resources, includeMembers);
      }
    },
  );

  h.test('includeMembers on users is ignored: a User never gets a members list', async (c) => {
    const [id] = await createUsers(c, ['no-members']);
    const user = await c.store.getResource(c.tenant, 'User', id!, { includeMembers: true });
    expect(user?.members).toBeUndefined();
    const page = await c.store.queryResources(c.tenant, {
      resourceType: 'User',
      count: 5,
      includeMembers: true,
    });
    expect(page.resources.every((resource) => resource.members === undefined)).toBe(true);
  });
}
