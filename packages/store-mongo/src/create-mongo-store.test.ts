import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createMongoStore } from './create-mongo-store.js';

// A real driver pointed at a port nothing listens on: how the store reports an unreachable server.
const client = new MongoClient('mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200&connectTimeoutMS=200');
afterAll(() => client.close());

describe('createMongoStore without a reachable server', () => {
  it('declares cursor paging and sorting, and no transactions before it has asked the server', () => {
    const store = createMongoStore({ client, dbName: 'scim' });
    expect(store.capabilities).toEqual({ transactions: false, cursorPaging: true, sorting: true });
  });

  it('reports the server as unavailable and retryable, from every entry point', async () => {
    const store = createMongoStore({ client, dbName: 'scim' });
    const unavailable = expect.objectContaining({
      name: 'StoreError',
      reason: 'unavailable',
      retryable: true,
    });
    await expect(store.ping()).rejects.toEqual(unavailable);
    await expect(store.getTenant('t')).rejects.toEqual(unavailable);
    await expect(store.transaction('t', async () => 1)).rejects.toEqual(unavailable);
  });

  it('does not close a client it was given unless asked to', async () => {
    const store = createMongoStore({ client, dbName: 'scim' });
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ reason: 'unavailable' });
  });
});
