/**
 * Adding and removing one member, each in its own transaction, to groups of 1,000 and 100,000
 * members: the cost must not depend on the group's size (members live in their own table).
 * Run: node --conditions=@scim/source packages/store-sqlite/bench/member-add.ts
 */
import './source-hooks.ts';
import { GROUP_SCHEMA, benchDatabase, machine, summarise, userData } from './bench-utils.ts';

const { createSqliteStore } = await import('../src/index.ts');
const database = benchDatabase();
const store = createSqliteStore({ database: database.path });
const now = new Date().toISOString();
const sizes = [1_000, 100_000];
const operations = 2_000;
const spare = operations;
const users = Math.max(...sizes) + spare;
try {
  for (let from = 0; from < users; from += 10_000) {
    await store.transaction('bench', async (tx) => {
      for (let i = from; i < Math.min(users, from + 10_000); i++) {
        await tx.create({ resourceType: 'User', id: `u${i}`, now, data: userData(i) });
      }
    });
  }
  const results: Record<string, unknown> = {};
  for (const size of sizes) {
    const groupId = `g${size}`;
    await store.transaction('bench', (tx) =>
      tx.create({
        resourceType: 'Group',
        id: groupId,
        now,
        data: { schemas: [GROUP_SCHEMA], displayName: groupId },
      }),
    );
    for (let from = 0; from < size; from += 10_000) {
      const add = [];
      for (let i = from; i < Math.min(size, from + 10_000); i++)
        add.push({ value: `u${i}`, type: 'User' as const });
      await store.transaction('bench', (tx) => tx.applyMemberDelta(groupId, { add }));
    }
    // The spare users (never members) are added one by one, then removed one by one.
    const adds: bigint[] = [];
    for (let k = 0; k < operations; k++) {
      const member = `u${users - spare + k}`;
      const t0 = process.hrtime.bigint();
      await store.transaction('bench', async (tx) => {
        await tx.update({
          resourceType: 'Group',
          id: groupId,
          now,
          memberDelta: { add: [{ value: member, type: 'User' }] },
        });
      });
      adds.push(process.hrtime.bigint() - t0);
    }
    const removes: bigint[] = [];
    for (let k = 0; k < operations; k++) {
      const member = `u${users - spare + k}`;
      const t0 = process.hrtime.bigint();
      await store.transaction('bench', async (tx) => {
        await tx.update({ resourceType: 'Group', id: groupId, now, memberDelta: { remove: [member] } });
      });
      removes.push(process.hrtime.bigint() - t0);
    }
    const reads: bigint[] = [];
    for (let k = 0; k < operations; k++) {
      const t0 = process.hrtime.bigint();
      await store.getResource('bench', 'Group', groupId);
      reads.push(process.hrtime.bigint() - t0);
    }
    results[`group of ${size}`] = {
      members: await store.countMembers('bench', groupId),
      addOneMemberUs: summarise(adds),
      removeOneMemberUs: summarise(removes),
      readGroupWithoutMembersUs: summarise(reads),
    };
  }
  console.log(
    JSON.stringify({ benchmark: 'member-add', machine: machine(), operations, ...results }, null, 2),
  );
} finally {
  await store.close();
  database.remove();
}
