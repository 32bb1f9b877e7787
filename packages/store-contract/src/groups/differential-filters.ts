import { isDeepStrictEqual } from 'node:util';
import { evaluateFilter, type FilterNode, parseFilter, type StoredResource } from '@scim/core';
import { expect } from 'vitest';
import type { StoreContractOptions } from '../contract-options.js';
import { chooseSeed } from '../differential-seed.js';
import { toFilterView } from '../filter-view.js';
import { generateFilters, generateResources } from '../generate/index.js';
import type { Harness } from '../harness.js';

/** Generated resources and filters: every store answer is compared with `evaluateFilter`. */
export function differentialFilterTests(h: Harness, options: StoreContractOptions): void {
  const resourceCount = options.differential?.resources ?? 400;
  const filterCount = options.differential?.filters ?? 400;

  h.test(
    `${resourceCount} generated resources × ${filterCount} generated filters give the ids evaluateFilter gives`,
    async (c) => {
      const seed = chooseSeed(options);
      const replay = `seed ${seed} (replay with SCIM_CONTRACT_SEED=${seed})`;
      console.info(`[store-contract] differential filters: ${replay}`);

      const resources = generateResources(seed, resourceCount);
      for (let start = 0; start < resources.length; start += 100) {
        await c.store.transaction(c.tenant, async (tx) => {
          for (const resource of resources.slice(start, start + 100)) await tx.create(resource);
        });
      }

      // The reference answers are computed over what the store really holds.
      const stored = new Map<string, StoredResource[]>();
      for (const resourceType of ['User', 'Group'] as const) {
        const all = await c.store.queryResources(c.tenant, {
          resourceType,
          count: 100_000,
          includeMembers: true,
        });
        expect(all.resources.length, `every generated ${resourceType} was stored (${replay})`).toBe(
          resources.filter((r) => r.resourceType === resourceType).length,
        );
        stored.set(resourceType, all.resources);
      }
      // The reference answers below run on what the store returns, so that must be what was written.
      const written = new Map(resources.map((resource) => [resource.id, resource]));
      const altered = [...stored.values()]
        .flat()
        .filter((resource) => {
          const input = written.get(resource.id)!;
          const members = (resource.members ?? []).map((m) => m.value).sort();
          const inputMembers = (input.members ?? []).map((m) => m.value).sort();
          return !isDeepStrictEqual(resource.data, input.data) || !isDeepStrictEqual(members, inputMembers);
        })
        .map((resource) => resource.id);
      expect(altered, `resources read back differently from how they were written (${replay})`).toEqual([]);

      const mismatches: string[] = [];
      let selective = 0;
      const filters = generateFilters(seed, filterCount);
      for (const { resourceType, text } of filters) {
        let filter: FilterNode;
        try {
          filter = parseFilter(text, { registry: c.registry, resourceType });
        } catch (error) {
          mismatches.push(`generator produced an invalid ${resourceType} filter ${text}: ${String(error)}`);
          continue;
        }
        const population = stored.get(resourceType)!;
        const expected = population
          .filter((resource) =>
            evaluateFilter(filter, toFilterView(resource), { registry: c.registry, resourceType }),
          )
          .map((resource) => resource.id)
          .sort();
        if (expected.length > 0 && expected.length < population.length) selective++;
        let actual: string[];
        let total: number;
        try {
          const result = await c.store.queryResources(c.tenant, { resourceType, filter, count: 100_000 });
          actual = result.resources.map((resource) => resource.id).sort();
          total = result.totalResults;
        } catch (error) {
          mismatches.push(`${resourceType} ${text}\n    the store threw ${String(error)}`);
          continue;
        }
        if (JSON.stringify(actual) !== JSON.stringify(expected) || total !== expected.length) {
          const missing = expected.filter((id) => !actual.includes(id));
          const extra = actual.filter((id) => !expected.includes(id));
          mismatches.push(
            `${resourceType} ${text}\n    expected ${expected.length}, got ${actual.length} (totalResults ${total}); ` +
              `missing ${JSON.stringify(missing.slice(0, 5))}, unexpected ${JSON.stringify(extra.slice(0, 5))}`,
          );
        }
      }
      expect(
        mismatches,
        `${mismatches.length} of ${filters.length} filters disagree, ${replay}:\n${mismatches.slice(0, 15).join('\n')}`,
      ).toEqual([]);
      // Guard the generator itself: most filters must select some but not all resources.
      expect(selective, `filters that select a proper subset (${replay})`).toBeGreaterThan(
        filters.length * 0.3,
      );
    },
    h.slowTimeout,
  );
}
