/**
 * Seeds the same population into the raw baseline's database and into the SCIM SQLite store:
 * `users` users, plus a separate pool of `max(groupSizes)` member users from which one group per
 * requested size takes its members (so a group of 100k members exists at every user count; W4 then
 * adds users of the main population to it).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore } from '@scim/store-sqlite';
import { createRawSchema } from './raw-schema.ts';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** What the seeder wrote, for the load jobs. */
export interface SeedResult {
  /** Files with one key per line. */
  files: { rawIds: string; scimIds: string; userNames: string };
  /** Group id per member count, for each target. */
  groups: { raw: Record<number, string>; scim: Record<number, string> };
  seconds: { raw: number; scim: number };
}

function userData(i: number) {
  const userName = `user${i}@example.com`;
  return {
    schemas: [USER_SCHEMA],
    userName,
    externalId: `ext-${i}`,
    name: { givenName: 'User', familyName: `Number ${i}` },
    displayName: `User Number ${i}`,
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
  };
}

/** Seeds both databases in `dir`. The SCIM store must already hold its tenant (the server bootstraps it). */
export async function seed(dir: string, users: number, groupSizes: number[]): Promise<SeedResult> {
  const files = {
    rawIds: join(dir, 'raw-ids.txt'),
    scimIds: join(dir, 'scim-ids.txt'),
    userNames: join(dir, 'user-names.txt'),
  };
  const userNames: string[] = [];
  for (let i = 0; i < users; i++) userNames.push(`user${i}@example.com`);
  writeFileSync(files.userNames, `${userNames.join('\n')}\n`);

  // Raw baseline.
  let started = performance.now();
  const raw = new Database(join(dir, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  createRawSchema(raw);
  const insert = raw.prepare('INSERT INTO users (id, user_name_ci, data) VALUES (?, ?, ?)');
  const rawIds: string[] = [];
  const insertMany = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = randomUUID();
      rawIds.push(id);
      insert.run(id, userNames[i]!.toLowerCase(), JSON.stringify({ id, ...userData(i) }));
    }
  });
  for (let i = 0; i < users; i += 10_000) insertMany(i, Math.min(users, i + 10_000));
  const poolSize = Math.max(0, ...groupSizes);
  const rawPool: string[] = [];
  raw.transaction(() => {
    for (let k = 0; k < poolSize; k++) {
      const id = randomUUID();
      rawPool.push(id);
      insert.run(
        id,
        `member${k}@example.com`,
        JSON.stringify({ id, ...userData(k), userName: `member${k}@example.com` }),
      );
    }
  })();
  const rawGroups: Record<number, string> = {};
  const insertGroup = raw.prepare('INSERT INTO groups (id, data) VALUES (?, ?)');
  const insertMember = raw.prepare('INSERT INTO members (group_id, member_id) VALUES (?, ?)');
  for (const size of groupSizes) {
    const id = randomUUID();
    rawGroups[size] = id;
    raw.transaction(() => {
      insertGroup.run(id, JSON.stringify({ id, displayName: `Group of ${size}` }));
      for (let m = 0; m < size; m++) insertMember.run(id, rawPool[m]);
    })();
  }
  raw.close();
  writeFileSync(files.rawIds, `${rawIds.join('\n')}\n`);
  const rawSeconds = (performance.now() - started) / 1000;

  // SCIM store, through the store package (the same code path the server writes with).
  started = performance.now();
  const store = createSqliteStore({ database: join(dir, 'scim.sqlite') });
  const [tenant] = await store.listTenants();
  if (!tenant) throw new Error('The SCIM database has no tenant: start the reference server once first');
  const scimIds: string[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < users; i += 5_000) {
    await store.transaction(tenant.id, async (tx) => {
      for (let j = i; j < Math.min(users, i + 5_000); j++) {
        const id = randomUUID();
        scimIds.push(id);
        await tx.create({
          resourceType: 'User',
          id,
          now,
          data: userData(j),
          access: { role: null, status: 'active', reason: 'seeded' },
        });
      }
    });
  }
  const scimPool: string[] = [];
  for (let k = 0; k < poolSize; k += 5_000) {
    await store.transaction(tenant.id, async (tx) => {
      for (let j = k; j < Math.min(poolSize, k + 5_000); j++) {
        const id = randomUUID();
        scimPool.push(id);
        const data = { ...userData(j), userName: `member${j}@example.com`, externalId: `member-${j}` };
        await tx.create({
          resourceType: 'User',
          id,
          now,
          data,
          access: { role: null, status: 'active', reason: 'seeded' },
        });
      }
    });
  }
  const scimGroups: Record<number, string> = {};
  for (const size of groupSizes) {
    const id = randomUUID();
    scimGroups[size] = id;
    await store.transaction(tenant.id, async (tx) => {
      await tx.create({
        resourceType: 'Group',
        id,
        now,
        data: { schemas: [GROUP_SCHEMA], displayName: `Group of ${size}` },
      });
    });
    for (let m = 0; m < size; m += 10_000) {
      const add: { value: string; type: 'User' }[] = [];
      for (let k = m; k < Math.min(size, m + 10_000); k++)
        add.push({ value: scimPool[k]!, type: 'User' as const });
      await store.transaction(tenant.id, (tx) => tx.applyMemberDelta(id, { add }));
    }
  }
  await store.close();
  writeFileSync(files.scimIds, `${scimIds.join('\n')}\n`);
  return {
    files,
    groups: { raw: rawGroups, scim: scimGroups },
    seconds: { raw: rawSeconds, scim: (performance.now() - started) / 1000 },
  };
}
