import { createMemoryStore } from '@scim/core/memory';
import { describeStoreContract } from '../src/index.js';

describeStoreContract('memory', {
  createStore: ({ registry }) => createMemoryStore({ registry }),
});
