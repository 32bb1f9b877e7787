import { parseAttributePath, parseFilter } from '@scim/core';
import { expect } from 'vitest';
import type { StoreContractOptions } from '../contract-options.js';
import { CONTRACT_EXTENSION_URN } from '../contract-registry.js';
import { chooseSeed } from '../differential-seed.js';
import { generateResources } from '../generate/index.js';
import { describeQuery, generateQueries, loadBoth, runQuery } from '../reference-comparison.js';
import { createPeople } from '../fixtures.js';
import { type ContractTestContext, type Harness, createUsers } from '../harness.js';

async function userNamesSortedBy(
  c: ContractTestContext,
  sortBy: string,
  sortOrder?: 'ascending' | 'descending',
  filterText?: string,
): Promise<string[]> {
  const result = await c.store.queryResources(c.tenant, {
    resourceType: 'User',
    sortBy: parseAttributePath(sortBy, { registry: c.registry, resourceType: 'User' }),
    ...(sortOrder === undefined ? {} : { sortOrder }),
    ...(filterText === undefined
      ? {}
      : { filter: parseFilter(filterText, { registry: c.registry, resourceType: 'User' }) }),
    count: 100,
  });
  return result.resources.map((r) => String(r.data.userName));
}

/** sortBy and sortOrder (RFC 7644 3.4.2.3). */
export function sortingTests(h: Harness, options: StoreContractOptions): void {
  sortingDifferentialTests(h, options);
  h.test(
    'sorts strings case-insensitively unless caseExact, ascending by default and descending',
    async (c) => {
      await createPeople(c);
      const ascending = ['alice.Anderson', 'bob.brown', 'Carol_C', 'dave%50', 'eve_x', 'frank'];
      expect(await userNamesSortedBy(c, 'userName')).toEqual(ascending);
      expect(await userNamesSortedBy(c, 'userName', 'ascending')).toEqual(ascending);
      expect(await userNamesSortedBy(c, 'USERNAME', 'descending')).toEqual([...ascending].reverse());
      // badge is caseExact: code-point order puts upper case first; missing values come last.
      const byBadge = await userNamesSortedBy(c, `${CONTRACT_EXTENSION_URN}:badge`);
      expect(byBadge.slice(0, 4)).toEqual([
        'alice.Anderson', // Gold
        'Carol_C', // Zeta
        'eve_x', // alpha
        'bob.brown', // gold
      ]);
      expect(byBadge.slice(4).sort()).toEqual(['dave%50', 'frank']);
    },
  );

  h.test('missing values sort last ascending and first descending; ties are broken by id', async (c) => {
    const { ids } = await createPeople(c);
    // title: Engineer (alice), Designer (bob), engineer (dave), CEO (frank); Carol and eve have none.
    const ascending = await userNamesSortedBy(c, 'title');
    expect(ascending.slice(0, 2)).toEqual(['frank', 'bob.brown']);
    const engineers = ['alice.Anderson', 'dave%50'].sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : 1));
    expect(ascending.slice(2, 4), 'equal values (case-insensitively) are ordered by id').toEqual(engineers);
    const missing = ['Carol_C', 'eve_x'].sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : 1));
    expect(ascending.slice(4)).toEqual(missing);
    expect(await userNamesSortedBy(c, 'title', 'descending')).toEqual([...ascending].reverse());
  });

  h.test('sorts integers numerically and dateTimes chronologically', async (c) => {
    await createPeople(c);
    // level: alice 10, bob 9, Carol 2, eve 100; dave and frank have none.
    const byLevel = await userNamesSortedBy(c, `${CONTRACT_EXTENSION_URN}:level`);
    expect(byLevel.slice(0, 4)).toEqual(['Carol_C', 'bob.brown', 'alice.Anderson', 'eve_x']);
    expect(byLevel.slice(4).sort()).toEqual(['dave%50', 'frank']);
    const byHired = await userNamesSortedBy(c, `${CONTRACT_EXTENSION_URN}:hiredAt`, 'descending');
    expect(byHired.slice(0, 2).sort()).toEqual(['eve_x', 'frank']);
    expect(byHired.slice(2)).toEqual(['dave%50', 'bob.brown', 'Carol_C', 'alice.Anderson']);
    expect(await userNamesSortedBy(c, 'meta.created', 'descending')).toEqual([
      'frank',
      'eve_x',
      'dave%50',
      'Carol_C',
      'bob.brown',
      'alice.Anderson',
    ]);
  });

  h.test('a multi-valued attribute sorts by its primary value, else its first', async (c) => {
    await createPeople(c);
    // primary or first email: alice@Work, bob@work, carol@work, frank@corp; dave and eve have none.
    const byEmail = await userNamesSortedBy(c, 'emails.value', 'ascending', 'emails pr');
    expect(byEmail).toEqual(['alice.Anderson', 'bob.brown', 'Carol_C', 'frank']);
    const byType = await userNamesSortedBy(c, 'emails.type', 'descending', 'emails pr');
    expect(byType.at(-1), "frank's only (primary) email is of type other").toBe('frank');
    expect(byType.slice(0, 3).sort()).toEqual(['Carol_C', 'alice.Anderson', 'bob.brown']);
  });

  h.test(
    'sorting combines with filters and startIndex paging without losing or repeating rows',
    async (c) => {
      const names = Array.from(
        { length: 30 },
        (_, index) => `Sorted-${String((index * 7) % 30).padStart(2, '0')}`,
      );
      await createUsers(
        c,
        names.map((userName, index) => ({
          userName,
          extra: { title: index % 3 === 0 ? 'same' : `t-${index % 5}` },
        })),
      );
      const sortBy = parseAttributePath('title', { registry: c.registry, resourceType: 'User' });
      const filter = parseFilter('userName sw "sorted-"', { registry: c.registry, resourceType: 'User' });
      for (const sortOrder of ['ascending', 'descending'] as const) {
        const full = await c.store.queryResources(c.tenant, {
          resourceType: 'User',
          filter,
          sortBy,
          sortOrder,
          count: 100,
        });
        expect(full.totalResults).toBe(30);
        const paged: string[] = [];
        for (let startIndex = 1; startIndex <= 30; startIndex += 4) {
          const page = await c.store.queryResources(c.tenant, {
            resourceType: 'User',
            filter,
            sortBy,
            sortOrder,
            startIndex,
            count: 4,
          });
          paged.push(...page.resources.map((r) => r.id));
        }
        expect(paged).toEqual(full.resources.map((r) => r.id));
        const titles = full.resources.map((r) => String(r.data.title));
        const expectedTitles = [...titles].sort();
        expect(titles).toEqual(sortOrder === 'ascending' ? expectedTitles : expectedTitles.reverse());
      }
    },
  );
}

/** Generated sorts, filters and pages compared with the reference memory store. */
export function sortingDifferentialTests(h: Harness, options: StoreContractOptions): void {
  h.test(
    'generated sortBy/sortOrder/filter/startIndex queries return the pages the reference memory store returns',
    async (c) => {
      const seed = chooseSeed(options);
      const replay = `seed ${seed} (replay with SCIM_CONTRACT_SEED=${seed})`;
      console.info(`[store-contract] differential sorting: ${replay}`);
      const reference = await loadBoth(c, generateResources(seed, 250));
      const mismatches: string[] = [];
      for (const query of generateQueries(seed, 150)) {
        const expected = await runQuery(c, reference, query);
        let actual: { ids: string[]; total: number };
        try {
          actual = await runQuery(c, c.store, query);
        } catch (error) {
          mismatches.push(`${describeQuery(query)}\n    the store threw ${String(error)}`);
          continue;
        }
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          const firstDifference = expected.ids.findIndex((id, index) => actual.ids[index] !== id);
          mismatches.push(
            `${describeQuery(query)}\n    totals ${actual.total} vs reference ${expected.total}; ` +
              `first difference at position ${firstDifference}: ${actual.ids[firstDifference]} vs reference ${expected.ids[firstDifference]}`,
          );
        }
      }
      expect(
        mismatches,
        `${mismatches.length} queries differ, ${replay}:\n${mismatches.slice(0, 10).join('\n')}`,
      ).toEqual([]);
    },
    h.slowTimeout,
  );
}
