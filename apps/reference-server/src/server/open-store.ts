import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from '@scim/core';
import { createSqliteStore } from '@scim/store-sqlite';
import type { StoreConfig } from '../config/index.ts';

/** A store with the driver connection it owns; `close` releases both. */
export interface OpenedStore {
  store: Store;
  /** Where the data lives, for logs (no credentials). */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens the configured store: a SQLite file (its directory is created) or a MongoDB database.
 *
 * @example
 * const { store, close } = await openStore({ kind: 'sqlite', path: '/tmp/scim.sqlite' });
 */
export async function openStore(config: StoreConfig): Promise<OpenedStore> {
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    // Given a path, the store owns its connections (a writer and a WAL reader) and closes them.
    const store = createSqliteStore({ database: config.path });
    return {
      store,
      description: `sqlite ${config.path}`,
      close: () => store.close(),
    };
  }
  // Loaded only when used: a SQLite deployment never loads the MongoDB driver.
  const [{ MongoClient }, { createMongoStore }] = await Promise.all([
    import('mongodb'),
    import('@scim/store-mongo'),
  ]);
  const client = new MongoClient(config.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const store = createMongoStore({ client, dbName: config.database });
  // Creates the indexes and detects whether the deployment supports transactions, so the
  // capabilities the server reports are the deployment's real ones from the first request.
  await store.init();
  return {
    store,
    description: `mongodb database ${config.database} at ${redactUri(config.uri)}`,
    async close() {
      await store.close();
      await client.close();
    },
  };
}

/** The URI without its password, for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
