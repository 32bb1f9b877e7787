import {
  type FilterNode,
  type FilterPath,
  type QueryResult,
  parseAttributePath,
  parseFilter,
} from '@scim/core';
import { expect } from 'vitest';
import {
  type ContractTestContext,
  type Harness,
  createUsers,
  expectScimError,
  sorted,
  userData,
} from '../harness.js';

interface Walk {
  pages: QueryResult[];
  ids: string[];
}

async function walkForward(
  c: ContractTestContext,
  query: { sortBy?: FilterPath; sortOrder?: 'ascending' | 'descending'; filter?: FilterNode; count: number },
  between?: (pageNumber: number) => Promise<void>,
): Promise<Walk> {
  const pages: QueryResult[] = [];
  let cursor = '';
  for (let pageNumber = 0; pageNumber < 500; pageNumber++) {
    const page = await c.store.queryResources(c.tenant, { resourceType: 'User', ...query, cursor });
    pages.push(page);
    if (page.nextCursor === undefined) break;
    expect(page.resources.length, 'a page with a nextCursor is full').toBe(query.count);
    cursor = page.nextCursor;
    await between?.(pageNumber);
  }
  return { pages, ids: pages.flatMap((page) => page.resources.map((r) => r.id)) };
}

/** RFC 9865 cursor paging: forward, back, stable while rows change, invalid cursors. */
export function cursorPagingTests(h: Harness): void {
  h.test('walks forward from the empty cursor to the last page, which has no nextCursor', async (c) => {
    const ids = await createUsers(
      c,
      Array.from({ length: 37 }, (_, index) => `cursor-${index}`),
    );
    const walk = await walkForward(c, { count: 5 });
    expect(walk.pages).toHaveLength(8);
    expect(walk.ids).toEqual(sorted(ids));
    expect(walk.pages[0]!.previousCursor, 'the first page has no previousCursor').toBeUndefined();
    expect(walk.pages.at(-1)!.nextCursor).toBeUndefined();
    expect(walk.pages.at(-1)!.resources).toHaveLength(2);
    for (const page of walk.pages) expect(page.totalResults).toBe(37);
    for (const page of walk.pages.slice(1)) expect(page.previousCursor).toBeTypeOf('string');
  });

  h.test('previousCursor returns the previous page, back to the first', async (c) => {
    await createUsers(
      c,
      Array.from({ length: 26 }, (_, index) => `back-${index}`),
    );
    const sortBy = parseAttributePath('userName', { registry: c.registry, resourceType: 'User' });
    const walk = await walkForward(c, { sortBy, sortOrder: 'descending', count: 4 });
    expect(walk.pages).toHaveLength(7);
    const pageIds = walk.pages.map((page) => page.resources.map((r) => r.id));
    let page = walk.pages.at(-1)!;
    for (let index = walk.pages.length - 2; index >= 0; index--) {
      expect(page.previousCursor, `page ${index + 2} has a previousCursor`).toBeTypeOf('string');
      page = await c.store.queryResources(c.tenant, {
        resourceType: 'User',
        sortBy,
        sortOrder: 'descending',
        count: 4,
        cursor: page.previousCursor!,
      });
      expect(page.resources.map((r) => r.id)).toEqual(pageIds[index]);
      expect(page.nextCursor, 'a page reached backwards links forward again').toBeTypeOf('string');
    }
    expect(page.previousCursor).toBeUndefined();
  });

  h.test('a cursor walk with a filter and a sortBy returns exactly the sorted filtered set', async (c) => {
    await createUsers(
      c,
      Array.from({ length: 40 }, (_, index) => ({
        userName: `mixed-${index}`,
        extra: { title: `T${index % 7}`, active: index % 2 === 0 },
      })),
    );
    const sortBy = parseAttributePath('title', { registry: c.registry, resourceType: 'User' });
    const filter = parseFilter('active eq true', { registry: c.registry, resourceType: 'User' });
    for (const sortOrder of ['ascending', 'descending'] as const) {
      const full = await c.store.queryResources(c.tenant, {
        resourceType: 'User',
        filter,
        sortBy,
        sortOrder,
        count: 100,
      });
      const walk = await walkForward(c, { filter, sortBy, sortOrder, count: 3 });
      expect(walk.ids).toEqual(full.resources.map((r) => r.id));
      expect(walk.pages.every((page) => page.totalResults === 20)).toBe(true);
    }
  });

  for (const variant of ['ordered by id', 'sorted by userName'] as const) {
    h.test(`stays stable while rows are inserted and deleted between pages (${variant})`, async (c) => {
      const names = Array.from({ length: 40 }, (_, index) => `stable-${String(index).padStart(2, '0')}`);
      const originalIds = await createUsers(c, names);
      const nameOf = new Map(originalIds.map((id, index) => [id, names[index]!]));
      const sortBy =
        variant === 'sorted by userName'
          ? parseAttributePath('userName', { registry: c.registry, resourceType: 'User' })
          : undefined;
      const seen: string[] = [];
      const deleted = new Set<string>();
      const inserted = new Set<string>();
      // Rows are deleted from the far end of the order, so they are never seen before deletion.
      const order = sortBy
        ? [...originalIds].sort((a, b) => (nameOf.get(a)! < nameOf.get(b)! ? -1 : 1))
        : sorted(originalIds);
      const walk = await walkForward(c, { ...(sortBy ? { sortBy } : {}), count: 6 }, async (pageNumber) => {
        const pageSoFar = new Set(seen);
        const seenVictim = [...pageSoFar].find((id) => !deleted.has(id) && originalIds.includes(id));
        const unseenVictim = [...order].reverse().find((id) => !pageSoFar.has(id) && !deleted.has(id));
        await c.store.transaction(c.tenant, async (tx) => {
          for (const victim of [seenVictim, unseenVictim]) {
            if (victim === undefined) continue;
            await tx.delete('User', victim);
            deleted.add(victim);
          }
          for (const suffix of ['a', 'z']) {
            const id = c.newId();
            inserted.add(id);
            await tx.create({
              resourceType: 'User',
              id,
              now: c.now(),
              data: userData(`stable-${String(pageNumber * 3).padStart(2, '0')}${suffix}`),
            });
          }
        });
      });
      seen.push(...walk.ids);
      expect(new Set(seen).size, 'no row is returned twice').toBe(seen.length);
      const mustSee = originalIds.filter((id) => !deleted.has(id) || seen.includes(id));
      const missing = mustSee.filter((id) => !seen.includes(id));
      expect(
        missing.map((id) => nameOf.get(id)),
        'rows present for the whole walk are all returned',
      ).toEqual([]);
      for (const id of seen) expect(originalIds.includes(id) || inserted.has(id)).toBe(true);
      const keys = seen.map((id) => (sortBy ? (nameOf.get(id) ?? '') : id));
      const originalKeys = keys.filter((_, index) => originalIds.includes(seen[index]!));
      expect(originalKeys, 'rows come in the query order').toEqual([...originalKeys].sort());
    });
  }

  h.test('a malformed or tampered cursor is ScimError 400 invalidCursor', async (c) => {
    await createUsers(
      c,
      Array.from({ length: 5 }, (_, index) => `bad-${index}`),
    );
    const first = await c.store.queryResources(c.tenant, { resourceType: 'User', count: 2, cursor: '' });
    expect(first.nextCursor).toBeTypeOf('string');
    for (const cursor of ['not a cursor', '%%%', 'eyJ2IjoxfQ', `${first.nextCursor}!!`, 'x'.repeat(300)]) {
      await expectScimError(
        c.store.queryResources(c.tenant, { resourceType: 'User', count: 2, cursor }),
        400,
        'invalidCursor',
      );
    }
  });
}
