import type { Store, StoreCapabilities } from '@scim/core';
import { describe, expect, it } from 'vitest';
import type { ContractGroup, StoreContractOptions } from './contract-options.js';
import { contractRegistry } from './contract-registry.js';
import { controlDataTests } from './groups/control-data.js';
import { crudTests } from './groups/crud.js';
import { deprovisioningTests } from './groups/deprovisioning.js';
import { differentialFilterTests } from './groups/differential-filters.js';
import { journalTests } from './groups/journal.js';
import { memberTests } from './groups/members.js';
import { projectionTests } from './groups/projection.js';
import { queryTests } from './groups/queries.js';
import { cursorPagingTests } from './groups/cursor-paging.js';
import { sortingTests } from './groups/sorting.js';
import { tenantIsolationTests } from './groups/tenant-isolation.js';
import { transactionTests } from './groups/transactions.js';
import { uniquenessTests } from './groups/uniqueness.js';
import { versioningTests } from './groups/versioning.js';
import { type Harness, createHarness } from './harness.js';

interface GroupSpec {
  key: ContractGroup;
  title: string;
  register: (h: Harness, options: StoreContractOptions) => void;
  /** The capability the group needs; without it the group is skipped, saying so. */
  capability?: keyof StoreCapabilities;
}

const GROUPS: readonly GroupSpec[] = [
  { key: 'crud', title: 'CRUD', register: crudTests },
  { key: 'tenantIsolation', title: 'tenant isolation', register: tenantIsolationTests },
  { key: 'uniqueness', title: 'uniqueness', register: uniquenessTests },
  { key: 'versioning', title: 'versioning', register: versioningTests },
  { key: 'transactions', title: 'transactions', register: transactionTests, capability: 'transactions' },
  { key: 'members', title: 'members', register: memberTests },
  { key: 'projection', title: 'projection (includeMembers)', register: projectionTests },
  { key: 'queries', title: 'queries', register: queryTests },
  { key: 'sorting', title: 'sorting', register: sortingTests, capability: 'sorting' },
  {
    key: 'cursorPaging',
    title: 'cursor paging (RFC 9865)',
    register: cursorPagingTests,
    capability: 'cursorPaging',
  },
  { key: 'deprovisioning', title: 'deprovisioning', register: deprovisioningTests },
  { key: 'journal', title: 'journal', register: journalTests },
  { key: 'controlData', title: 'control data', register: controlDataTests },
  { key: 'differentialFilters', title: 'differential filters', register: differentialFilterTests },
];

/**
 * Registers the Store contract suite with vitest: every group of the contract as a `describe`
 * block, each test on a fresh store from `createStore` with random tenant ids and data. A group
 * runs unless the store's `capabilities` say it lacks what the group needs or `skip` names it, and
 * a skipped group says why in the test name.
 *
 * @example
 * import { describeStoreContract } from '@scim/store-contract';
 * import { createMemoryStore } from '@scim/core/memory';
 *
 * describeStoreContract('memory', {
 *   createStore: ({ registry }) => createMemoryStore({ registry }),
 * });
 */
export function describeStoreContract(name: string, options: StoreContractOptions): void {
  describe(`Store contract: ${name}`, async () => {
    const registry = contractRegistry();
    // The capabilities decide which groups run, so read them from a throwaway store first.
    const probe = await options.createStore({ registry });
    const capabilities: StoreCapabilities = { ...probe.capabilities };
    await (options.destroyStore ?? ((store: Store) => store.close()))(probe);
    const harness = createHarness(options, registry);

    for (const group of GROUPS) {
      const reason =
        options.skip?.[group.key] ??
        (group.capability !== undefined && !capabilities[group.capability]
          ? `the store declares capabilities.${group.capability} = false`
          : undefined);
      describe(group.title, () => {
        if (reason !== undefined) {
          it.skip(`${group.title} skipped: ${reason}`, () => {
            expect.fail(reason);
          });
          return;
        }
        group.register(harness, options);
      });
    }
  });
}
