import { expect } from 'vitest';
import { type Harness, createGroup, createUsers, userData, userMembers } from '../harness.js';

class Rollback extends Error {
  override readonly name = 'Rollback';
}

/** Atomicity: a throw inside the callback rolls back every write of the transaction. */
export function transactionTests(h: Harness): void {
  h.test(
    'a throw rolls back creates, updates, deletes, member deltas, journal events and lastSync',
    async (c) => {
      await c.store.createTenant({ id: c.tenant, name: 'Rollback Inc', createdAt: c.now() });
      const [kept, removed] = await createUsers(c, ['kept', 'removed']);
      const groupId = await createGroup(c, 'Team', { members: userMembers([kept!]) });
      const newId = c.newId();

      const attempt = c.store.transaction(c.tenant, async (tx) => {
        await tx.create({ resourceType: 'User', id: newId, now: c.now(), data: userData('phantom') });
        await tx.update({
          resourceType: 'User',
          id: kept!,
          now: c.now(),
          data: userData('kept', { title: 'changed' }),
        });
        await tx.delete('User', removed!);
        await tx.applyMemberDelta(groupId, { add: userMembers([newId]), remove: [kept!] });
        await tx.appendEvents([
          { id: c.newId(), tenantId: c.tenant, type: 'scim.user.provisioned', time: c.now() },
        ]);
        await tx.touchLastSync(c.now());
        throw new Rollback('undo everything');
      });
      await expect(attempt).rejects.toThrow('undo everything');

      expect(await c.store.getResource(c.tenant, 'User', newId)).toBeUndefined();
      expect(await c.store.getResource(c.tenant, 'User', kept!)).toMatchObject({
        version: 1,
        data: userData('kept'),
      });
      expect(await c.store.getResource(c.tenant, 'User', removed!)).toBeDefined();
      expect((await c.store.listMembers(c.tenant, groupId)).members.map((m) => m.value)).toEqual([kept]);
      expect(await c.store.readJournal({ tenantId: c.tenant })).toEqual([]);
      expect((await c.store.getTenant(c.tenant))?.lastSyncAt).toBeUndefined();
      // The userName of the rolled-back create is free.
      await createUsers(c, ['phantom']);
    },
  );

  h.test(
    'the rejection is the callback’s own error, and the callback’s value is returned on commit',
    async (c) => {
      const error = new Rollback('mine');
      await expect(c.store.transaction(c.tenant, async () => Promise.reject(error))).rejects.toBe(error);
      expect(await c.store.transaction(c.tenant, async () => ({ answer: 42 }))).toEqual({ answer: 42 });
    },
  );

  h.test('reads inside a transaction see its own writes', async (c) => {
    const [member] = await createUsers(c, ['member']);
    const seen = await c.store.transaction(c.tenant, async (tx) => {
      const groupId = c.newId();
      await tx.create({
        resourceType: 'Group',
        id: groupId,
        now: c.now(),
        data: { schemas: [], displayName: 'Fresh' },
      });
      const userId = c.newId();
      await tx.create({ resourceType: 'User', id: userId, now: c.now(), data: userData('inside') });
      await tx.applyMemberDelta(groupId, { add: userMembers([member!, userId]) });
      return {
        group: (await tx.getResource('Group', groupId, { includeMembers: true }))?.members?.length,
        user: (await tx.getResource('User', userId))?.data.userName,
        query: (await tx.queryResources({ resourceType: 'User', count: 10 })).totalResults,
        hasMember: await tx.hasMember(groupId, userId),
        groupsOf: (await tx.listGroupsOf(member!)).map((g) => g.displayName),
      };
    });
    expect(seen).toEqual({ group: 2, user: 'inside', query: 2, hasMember: true, groupsOf: ['Fresh'] });
  });

  h.test('a read running while a transaction is open never sees its uncommitted writes', async (c) => {
    const id = c.newId();
    let concurrentRead: Promise<unknown> | undefined;
    let concurrentQuery: Promise<{ totalResults: number }> | undefined;
    await expect(
      c.store.transaction(c.tenant, async (tx) => {
        await tx.create({ resourceType: 'User', id, now: c.now(), data: userData('dirty') });
        // Reads from outside start while the write is pending; the transaction then keeps working.
        concurrentRead = c.store.getResource(c.tenant, 'User', id);
        concurrentQuery = c.store.queryResources(c.tenant, { resourceType: 'User', count: 10 });
        for (let step = 0; step < 5; step++) await tx.getResource('User', id);
        throw new Rollback('never committed');
      }),
    ).rejects.toThrow('never committed');
    expect(await concurrentRead).toBeUndefined();
    expect((await concurrentQuery!).totalResults).toBe(0);
  });

  h.test('transactions that follow each other all commit', async (c) => {
    for (let index = 0; index < 5; index++) await createUsers(c, [`sequential-${index}`]);
    expect(await c.store.countResources(c.tenant, 'User')).toBe(5);
  });
}
