/**
 * Lookup by userName among 1,000,000 users: `userName eq "..."` (the first call of every IdP) through
 * `queryResources`, case-insensitive, parse included; plus `getResource` by id for comparison.
 * Run: node --conditions=@scim/source packages/store-sqlite/bench/lookup-by-username.ts [users]
 */
import './source-hooks.ts';
import { benchDatabase, machine, round, summarise, userData } from './bench-utils.ts';

const { createSqliteStore } = await import('../src/index.ts');
const { parseFilter } = await import('@scim/core');
const users = Number(process.argv[2] ?? 1_000_000);
const lookups = 20_000;
const database = benchDatabase();
const store = createSqliteStore({ database: database.path });
const now = new Date().toISOString();
try {
  const seedStart = process.hrtime.bigint();
  for (let from = 0; from < users; from += 10_000) {
    await store.transaction('bench', async (tx) => {
      for (let i = from; i < Math.min(users, from + 10_000); i++) {
        await tx.create({ resourceType: 'User', id: `u${i}`, now, data: userData(i) });
      }
    });
  }
  const seedSeconds = Number(process.hrtime.bigint() - seedStart) / 1e9;

  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % users;
  };
  // Warm-up, then measure.
  for (let k = 0; k < 1000; k++) {
    const i = random();
    await store.queryResources('bench', {
      resourceType: 'User',
      filter: parseFilter(`userName eq "USER${i}@example.com"`, { resourceType: 'User' }),
      count: 1,
    });
  }
  const byUserName: bigint[] = [];
  let found = 0;
  for (let k = 0; k < lookups; k++) {
    const i = random();
    const t0 = process.hrtime.bigint();
    const result = await store.queryResources('bench', {
      resourceType: 'User',
      filter: parseFilter(`userName eq "USER${i}@example.com"`, { resourceType: 'User' }),
      count: 1,
    });
    byUserName.push(process.hrtime.bigint() - t0);
    if (result.resources[0]?.id === `u${i}`) found++;
  }
  const byId: bigint[] = [];
  for (let k = 0; k < lookups; k++) {
    const i = random();
    const t0 = process.hrtime.bigint();
    await store.getResource('bench', 'User', `u${i}`);
    byId.push(process.hrtime.bigint() - t0);
  }
  if (found !== lookups) throw new Error(`only ${found} of ${lookups} lookups found their user`);
  console.log(
    JSON.stringify(
      {
        benchmark: 'lookup-by-username',
        machine: machine(),
        users,
        seedSeconds: round(seedSeconds),
        lookups,
        userNameEqUs: summarise(byUserName),
        getByIdUs: summarise(byId),
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
