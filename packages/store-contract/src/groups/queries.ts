import { parseFilter } from '@scim/core';
import { expect } from 'vitest';
import { CONTRACT_EXTENSION_URN } from '../contract-registry.js';
import { PEOPLE, createPeople } from '../fixtures.js';
import {
  type ContractTestContext,
  type Harness,
  createGroup,
  createUsers,
  sorted,
  userMembers,
} from '../harness.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const EXT = CONTRACT_EXTENSION_URN;

async function userNamesMatching(c: ContractTestContext, text: string): Promise<string[]> {
  const filter = parseFilter(text, { registry: c.registry, resourceType: 'User' });
  const result = await c.store.queryResources(c.tenant, { resourceType: 'User', filter, count: 1000 });
  expect(result.totalResults, `totalResults of ${text}`).toBe(result.resources.length);
  return sorted(result.resources.map((r) => String(r.data.userName)));
}

/** Filters, startIndex paging and counts. */
export function queryTests(h: Harness): void {
  h.test('filters: operators, case rules, multi-valued and value paths, extensions, meta, id', async (c) => {
    const { ids, created } = await createPeople(c);
    const cases: Array<[string, string[]]> = [
      ['userName eq "ALICE.anderson"', ['alice.Anderson']],
      ['userName ne "alice.anderson"', ['Carol_C', 'bob.brown', 'dave%50', 'eve_x', 'frank']],
      ['userName co "AN"', ['alice.Anderson', 'frank']],
      ['userName sw "b"', ['bob.brown']],
      ['userName ew "_X"', ['eve_x']],
      ['userName co "%"', ['dave%50']],
      ['userName co "_"', ['Carol_C', 'eve_x']],
      ['userName sw "c_"', []],
      ['userName sw "carol_"', ['Carol_C']],
      ['userName gt "dave"', ['dave%50', 'eve_x', 'frank']],
      ['userName le "bob.brown"', ['alice.Anderson', 'bob.brown']],
      ['title pr', ['alice.Anderson', 'bob.brown', 'dave%50', 'frank']],
      ['not (title pr)', ['Carol_C', 'eve_x']],
      ['title eq "engineer"', ['alice.Anderson', 'dave%50']],
      ['title ne "Engineer"', ['Carol_C', 'bob.brown', 'eve_x', 'frank']],
      ['active eq true', ['Carol_C', 'alice.Anderson', 'eve_x']],
      ['active eq false', ['bob.brown']],
      ['active ne true', ['bob.brown', 'dave%50', 'frank']],
      ['emails.value ew "work.example"', ['Carol_C', 'alice.Anderson', 'bob.brown']],
      ['emails co "HOME"', ['alice.Anderson', 'bob.brown']],
      ['emails.type eq "home"', ['alice.Anderson', 'bob.brown']],
      ['emails[type eq "work" and primary eq true]', ['alice.Anderson', 'bob.brown']],
      ['emails[type eq "home" and value sw "alice"]', ['alice.Anderson']],
      ['emails[type eq "home" and value sw "carol"]', []],
      ['emails.type eq "home" and emails.value sw "bob@work"', ['bob.brown']],
      ['emails pr and not (emails.type eq "work")', ['frank']],
      [`${ENT}:department eq "R&D"`, ['Carol_C', 'alice.Anderson']],
      [`${ENT}:manager.value eq "boss-1"`, ['alice.Anderson', 'bob.brown']],
      [`${ENT}:manager pr`, ['alice.Anderson', 'bob.brown', 'dave%50']],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ALI"', ['alice.Anderson']],
      [`${EXT}:level gt 9`, ['alice.Anderson', 'eve_x']],
      [`${EXT}:level le 9`, ['Carol_C', 'bob.brown']],
      [`${EXT}:level eq 100`, ['eve_x']],
      [`${EXT}:hiredAt lt "2021-01-01T00:00:00Z"`, ['Carol_C', 'alice.Anderson']],
      [`${EXT}:hiredAt ge "2021-02-15T12:30:00Z"`, ['bob.brown', 'dave%50']],
      [`${EXT}:badge eq "gold"`, ['bob.brown']],
      [`${EXT}:badge eq "Gold"`, ['alice.Anderson']],
      [`${EXT}:badge sw "g"`, ['bob.brown']],
      ['externalId eq "ext-dave"', ['dave%50']],
      ['externalId pr', ['alice.Anderson', 'dave%50']],
      [`id eq "${ids.get('frank')}"`, ['frank']],
      [`meta.created gt "${created.get('dave%50')}"`, ['eve_x', 'frank']],
      [`meta.lastModified le "${created.get('bob.brown')}"`, ['alice.Anderson', 'bob.brown']],
      ['meta.resourceType eq "User" and title eq "CEO"', ['frank']],
      ['(title eq "CEO" or displayName eq "bob") and not (active eq false)', ['frank']],
      ['title eq "CEO" or displayName eq "bob" and active eq false', ['bob.brown', 'frank']],
      ['displayName eq "nobody"', []],
    ];
    const failures: string[] = [];
    for (const [text, expected] of cases) {
      const actual = await userNamesMatching(c, text);
      if (JSON.stringify(actual) !== JSON.stringify(sorted(expected))) {
        failures.push(
          `${text}\n    expected ${JSON.stringify(sorted(expected))}\n    got      ${JSON.stringify(actual)}`,
        );
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  h.test('group filters: displayName, externalId, members.value and members[value eq ...]', async (c) => {
    const [a, b] = await createUsers(c, ['ga', 'gb']);
    const admins = await createGroup(c, 'Admins', {
      members: userMembers([a!]),
      extra: { externalId: 'g-ext-1' },
    });
    const staff = await createGroup(c, 'Staff', { members: userMembers([a!, b!]) });
    const empty = await createGroup(c, 'Empty Staff');
    const groupIds = async (text: string) => {
      const filter = parseFilter(text, { registry: c.registry, resourceType: 'Group' });
      const result = await c.store.queryResources(c.tenant, { resourceType: 'Group', filter, count: 100 });
      return sorted(result.resources.map((r) => r.id));
    };
    expect(await groupIds('displayName eq "admins"')).toEqual([admins]);
    expect(await groupIds('displayName co "staff"')).toEqual(sorted([staff, empty]));
    expect(await groupIds('externalId eq "g-ext-1"')).toEqual([admins]);
    expect(await groupIds(`members.value eq "${b}"`)).toEqual([staff]);
    expect(await groupIds(`members[value eq "${a}"]`)).toEqual(sorted([admins, staff]));
    expect(await groupIds('members pr')).toEqual(sorted([admins, staff]));
    expect(await groupIds('not (members pr)')).toEqual([empty]);
    // Users are never returned by a Group query, and the other way round.
    const users = await c.store.queryResources(c.tenant, {
      resourceType: 'User',
      filter: parseFilter('userName pr', { registry: c.registry, resourceType: 'User' }),
      count: 100,
    });
    expect(sorted(users.resources.map((r) => r.id))).toEqual(sorted([a!, b!]));
  });

  h.test('without sortBy results are ordered by id; startIndex and count page through them', async (c) => {
    const ids = await createUsers(
      c,
      Array.from({ length: 23 }, (_, index) => `paged-${index}`),
    );
    const byId = sorted(ids);
    const all = await c.store.queryResources(c.tenant, { resourceType: 'User', count: 100 });
    expect(all.resources.map((r) => r.id)).toEqual(byId);
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= 23; startIndex += 5) {
      const page = await c.store.queryResources(c.tenant, { resourceType: 'User', startIndex, count: 5 });
      expect(page.totalResults).toBe(23);
      seen.push(...page.resources.map((r) => r.id));
    }
    expect(seen).toEqual(byId);
    const past = await c.store.queryResources(c.tenant, { resourceType: 'User', startIndex: 24, count: 5 });
    expect(past).toEqual({ totalResults: 23, resources: [] });
    const zero = await c.store.queryResources(c.tenant, { resourceType: 'User', startIndex: 0, count: 2 });
    expect(
      zero.resources.map((r) => r.id),
      'startIndex below 1 is read as 1 (RFC 7644 3.4.2.4)',
    ).toEqual(byId.slice(0, 2));
    const middle = await c.store.queryResources(c.tenant, {
      resourceType: 'User',
      startIndex: 21,
      count: 10,
    });
    expect(middle.resources.map((r) => r.id)).toEqual(byId.slice(20));
  });

  h.test(
    'count 0 answers totalResults only; totalResults counts the filtered set, not the page',
    async (c) => {
      await createPeople(c);
      const filter = parseFilter('title pr', { registry: c.registry, resourceType: 'User' });
      expect(await c.store.queryResources(c.tenant, { resourceType: 'User', filter, count: 0 })).toEqual({
        totalResults: 4,
        resources: [],
      });
      const page = await c.store.queryResources(c.tenant, {
        resourceType: 'User',
        filter,
        startIndex: 2,
        count: 2,
      });
      expect(page.totalResults).toBe(4);
      expect(page.resources).toHaveLength(2);
      expect(await c.store.queryResources(c.tenant, { resourceType: 'User', count: 0 })).toEqual({
        totalResults: PEOPLE.length,
        resources: [],
      });
    },
  );

  h.test('a query inside a transaction answers the same as outside after commit', async (c) => {
    await createPeople(c);
    const filter = parseFilter('emails.type eq "work"', { registry: c.registry, resourceType: 'User' });
    const inside = await c.store.transaction(c.tenant, (tx) =>
      tx.queryResources({ resourceType: 'User', filter, count: 100 }),
    );
    const outside = await c.store.queryResources(c.tenant, { resourceType: 'User', filter, count: 100 });
    expect(inside).toEqual(outside);
    expect(outside.totalResults).toBe(3);
  });
}
