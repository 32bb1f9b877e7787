/**
 * Insert of 100,000 users through the Store API: in transactions of 1,000 (bulk import), then
 * 2,000 more one per transaction (what an IdP's POST /Users does).
 * Run: node --conditions=@scim/source packages/store-sqlite/bench/insert-users.ts
 */
import './source-hooks.ts';
import { benchDatabase, machine, round, summarise, userData } from './bench-utils.ts';

const { createSqliteStore } = await import('../src/index.ts');
const database = benchDatabase();
const store = createSqliteStore({ database: database.path });
const now = new Date().toISOString();
const total = 100_000;
const batch = 1_000;
try {
  const started = process.hrtime.bigint();
  for (let from = 0; from < total; from += batch) {
    await store.transaction('bench', async (tx) => {
      for (let i = from; i < from + batch; i++) {
        await tx.create({ resourceType: 'User', id: `u${i}`, now, data: userData(i) });
      }
    });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const single: bigint[] = [];
  for (let i = total; i < total + 2_000; i++) {
    const t0 = process.hrtime.bigint();
    await store.transaction('bench', (tx) =>
      tx.create({ resourceType: 'User', id: `u${i}`, now, data: userData(i) }),
    );
    single.push(process.hrtime.bigint() - t0);
  }
  console.log(
    JSON.stringify(
      {
        benchmark: 'insert-users',
        machine: machine(),
        users: total,
        batchSize: batch,
        seconds: round(seconds),
        usersPerSecond: Math.round(total / seconds),
        oneUserPerTransactionUs: summarise(single),
        databaseMb: round(database.sizeMb()),
      },
      null,
      2,
    ),
  );
} finally {
  await store.close();
  database.remove();
}
