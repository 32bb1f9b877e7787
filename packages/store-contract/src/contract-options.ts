import type { SchemaRegistry, Store } from '@scim/core';

/** The groups of the contract suite; each can be skipped with a stated reason. */
export type ContractGroup =
  | 'crud'
  | 'tenantIsolation'
  | 'uniqueness'
  | 'versioning'
  | 'transactions'
  | 'members'
  | 'projection'
  | 'queries'
  | 'sorting'
  | 'cursorPaging'
  | 'deprovisioning'
  | 'journal'
  | 'controlData'
  | 'differentialFilters';

/** What the suite hands to `createStore`. */
export interface StoreContractContext {
  /**
   * The registry the suite's data is written against: the default one plus a test extension with
   * integer, dateTime, caseExact and unique attributes. Pass it to your store if it takes a registry.
   */
  registry: SchemaRegistry;
}

/** Options of `describeStoreContract`. */
export interface StoreContractOptions {
  /** Returns a fresh, empty store. Called once per test (and once to read the capabilities). */
  createStore: (context: StoreContractContext) => Store | Promise<Store>;
  /**
   * Releases a store after its test (drop the database, close the client).
   * @default (store) => store.close()
   */
  destroyStore?: (store: Store) => void | Promise<void>;
  /**
   * Groups to skip, each with the reason printed in the skipped test's name. Groups whose
   * capability the store does not declare are skipped automatically, also with the reason.
   */
  skip?: Partial<Record<ContractGroup, string>>;
  /** Tuning of the differential filter test. */
  differential?: {
    /** PRNG seed; a failure prints the seed so it can be reproduced. @default random, or env SCIM_CONTRACT_SEED */
    seed?: number;
    /** Number of generated resources. @default 400 */
    resources?: number;
    /** Number of generated filters. @default 400 */
    filters?: number;
  };
  /**
   * Per-test timeout in milliseconds for the heavier tests (2,500 members, differential filters).
   * @default 60000
   */
  slowTestTimeout?: number;
}
