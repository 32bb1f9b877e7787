import { parseAttributePath } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { CONTRACT_EXTENSION_URN, contractRegistry, generateResources } from '@scim/store-contract';
import { find } from 'mingo';
import { describe, expect, it } from 'vitest';
import { createOracle } from '../test/mingo-oracle.js';
import { decodeCursor, encodeCursor, keysetFilter, rowKey, sortDocument, sortSpec } from './sort-cursor.js';

const registry = contractRegistry();
const resources = generateResources(99, 150);
const oracle = createOracle(
  registry,
  resources.map((resource) => ({
    resourceType: resource.resourceType,
    id: resource.id,
    created: resource.now,
    lastModified: resource.now,
    data: resource.data,
  })),
);

const SORTS = [
  'userName',
  'name.familyName',
  'emails.value',
  'title',
  'active',
  'meta.created',
  'id',
  `${CONTRACT_EXTENSION_URN}:level`,
  `${CONTRACT_EXTENSION_URN}:score`,
  `${CONTRACT_EXTENSION_URN}:hiredAt`,
  `${CONTRACT_EXTENSION_URN}:badge`,
];

async function referenceOrder(sortBy: string | undefined, sortOrder: 'ascending' | 'descending') {
  const store = createMemoryStore({ registry });
  await store.transaction('t', async (tx) => {
    for (const resource of resources) await tx.create(resource);
  });
  const result = await store.queryResources('t', {
    resourceType: 'User',
    count: 10_000,
    sortOrder,
    ...(sortBy === undefined
      ? {}
      : { sortBy: parseAttributePath(sortBy, { registry, resourceType: 'User' }) }),
  });
  return result.resources.map((resource) => resource.id);
}

const users = oracle.documents.filter((document) => document.resourceType === 'User');
const run = (filter: Record<string, unknown>, sort: Record<string, 1 | -1>, limit: number) =>
  find(users as unknown as Record<string, unknown>[], filter)
    .sort(sort)
    .limit(limit)
    .all() as Record<string, unknown>[];

describe('sort order and keyset cursors (mingo, no server)', () => {
  for (const sortBy of [undefined, ...SORTS]) {
    for (const sortOrder of ['ascending', 'descending'] as const) {
      it(`orders by ${sortBy ?? '(id)'} ${sortOrder} like the reference store, and pages both ways`, async () => {
        const expected = await referenceOrder(sortBy, sortOrder);
        const path =
          sortBy === undefined ? undefined : parseAttributePath(sortBy, { registry, resourceType: 'User' });
        const spec = sortSpec(registry, 'User', path, sortOrder);
        expect(run({}, sortDocument(spec), 10_000).map((d) => d.id)).toEqual(expected);

        // Forward: each page starts strictly after the previous page's last row.
        const forward: string[] = [];
        let after: Record<string, unknown> | undefined;
        for (let guard = 0; guard < 100; guard++) {
          const page = run(
            after ? keysetFilter(spec, rowKey(spec, after), 'after') : {},
            sortDocument(spec),
            7,
          );
          forward.push(...page.map((d) => String(d.id)));
          after = page.at(-1);
          if (page.length < 7) break;
        }
        expect(forward).toEqual(expected);

        // Backward from the end: each page ends strictly before the next page's first row.
        const backward: string[] = [];
        let before: Record<string, unknown> | undefined;
        for (let guard = 0; guard < 100; guard++) {
          const page = run(
            before ? keysetFilter(spec, rowKey(spec, before), 'before') : {},
            sortDocument(spec, true),
            7,
          ).reverse();
          backward.unshift(...page.map((d) => String(d.id)));
          before = page[0];
          if (page.length < 7) break;
        }
        expect(backward).toEqual(expected);
      });
    }
  }
});

describe('cursor encoding', () => {
  const spec = sortSpec(
    registry,
    'User',
    parseAttributePath('userName', { registry, resourceType: 'User' }),
    'ascending',
  );

  it('round-trips a position bound to the query', () => {
    const cursor = encodeCursor(spec, { key: 'ada', id: 'u1' }, 'before');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(spec, cursor)).toEqual({ row: { key: 'ada', id: 'u1' }, direction: 'before' });
  });

  it('rejects foreign, damaged and mismatched cursors with 400 invalidCursor', () => {
    const other = sortSpec(registry, 'User', undefined, 'ascending');
    const cursor = encodeCursor(other, { key: 'u1', id: 'u1' }, 'after');
    for (const bad of ['not a cursor!', 'eyJ2IjoyfQ', Buffer.from('[]').toString('base64url'), cursor]) {
      expect(() => decodeCursor(spec, bad)).toThrow(
        expect.objectContaining({ status: 400, scimType: 'invalidCursor' }),
      );
    }
  });
});
