import type { Store } from '@scim/core';
import { describeStoreContract } from '@scim/store-contract';
import { createSqliteStore } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const cleanups = new WeakMap<Store, () => void>();

describeStoreContract('sqlite (file, separate read connection)', {
  createStore: ({ registry }) => {
    const database = tempDatabase();
    const store = createSqliteStore({ database: database.path, registry });
    cleanups.set(store, database.remove);
    return store;
  },
  destroyStore: async (store) => {
    await store.close();
    cleanups.get(store)?.();
  },
});

describeStoreContract('sqlite (in-memory, serialised reads)', {
  createStore: ({ registry }) => createSqliteStore({ database: ':memory:', registry }),
});
