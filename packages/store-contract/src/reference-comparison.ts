import { type NewResource, type Store, parseAttributePath, parseFilter } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { CONTRACT_EXTENSION_URN } from './contract-registry.js';
import { createPrng } from './generate/prng.js';
import { generateFilters } from './generate/index.js';
import type { ContractTestContext } from './harness.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** sortBy paths of the generated data, per resource type. */
export const SORT_PATHS = {
  User: [
    'userName',
    'name.familyName',
    'displayName',
    'title',
    'active',
    'emails.value',
    'emails.type',
    'externalId',
    `${ENT}:department`,
    `${ENT}:manager.value`,
    `${CONTRACT_EXTENSION_URN}:level`,
    `${CONTRACT_EXTENSION_URN}:score`,
    `${CONTRACT_EXTENSION_URN}:hiredAt`,
    `${CONTRACT_EXTENSION_URN}:badge`,
    `${CONTRACT_EXTENSION_URN}:tags`,
    'meta.created',
    'id',
  ],
  Group: ['displayName', 'externalId', 'meta.lastModified', 'id'],
} as const;

/** One generated query: a sortBy, an order, maybe a filter, and a page. */
export interface GeneratedQuery {
  resourceType: 'User' | 'Group';
  sortBy: string;
  sortOrder: 'ascending' | 'descending';
  filter?: string;
  startIndex: number;
  count: number;
}

/** Deterministic sorted/paged queries over the generated data. */
export function generateQueries(seed: number, n: number): GeneratedQuery[] {
  const prng = createPrng(seed ^ 0x50f7);
  const filters = generateFilters(seed ^ 0x1234, n);
  return filters.map((filter) => {
    const resourceType = filter.resourceType;
    const query: GeneratedQuery = {
      resourceType,
      sortBy: prng.pick(SORT_PATHS[resourceType]),
      sortOrder: prng.chance(0.5) ? 'ascending' : 'descending',
      startIndex: prng.chance(0.5) ? 1 : prng.int(1, 60),
      count: prng.pick([1, 7, 25, 1000]),
    };
    if (prng.chance(0.6)) query.filter = filter.text;
    return query;
  });
}

/** Loads the same resources into the store under test and into a fresh reference memory store. */
export async function loadBoth(c: ContractTestContext, resources: readonly NewResource[]): Promise<Store> {
  const reference = createMemoryStore({ registry: c.registry });
  for (const store of [c.store, reference]) {
    for (let start = 0; start < resources.length; start += 100) {
      await store.transaction(c.tenant, async (tx) => {
        for (const resource of resources.slice(start, start + 100)) await tx.create(resource);
      });
    }
  }
  return reference;
}

/** Runs a generated query on a store; the ids of the page, in order. */
export async function runQuery(
  c: ContractTestContext,
  store: Store,
  query: GeneratedQuery,
): Promise<{ ids: string[]; total: number }> {
  const result = await store.queryResources(c.tenant, {
    resourceType: query.resourceType,
    sortBy: parseAttributePath(query.sortBy, { registry: c.registry, resourceType: query.resourceType }),
    sortOrder: query.sortOrder,
    ...(query.filter === undefined
      ? {}
      : { filter: parseFilter(query.filter, { registry: c.registry, resourceType: query.resourceType }) }),
    startIndex: query.startIndex,
    count: query.count,
  });
  return { ids: result.resources.map((r) => r.id), total: result.totalResults };
}

/** How a query reads in a failure message. */
export function describeQuery(query: GeneratedQuery): string {
  return `${query.resourceType} sortBy=${query.sortBy} ${query.sortOrder} startIndex=${query.startIndex} count=${query.count}${
    query.filter === undefined ? '' : ` filter=${query.filter}`
  }`;
}
