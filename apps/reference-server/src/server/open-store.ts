import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Store } from '@scim/core';
import { createMongoStore } from '@scim/store-mongo';
import { createSqliteStore } from '@scim/store-sqlite';
import { MongoClient } from 'mongodb';
import type { StoreConfig } from '../config/index.ts';

type SqliteDatabase = Parameters<typeof createSqliteStore>[0]['database'];
// better-sqlite3 ships no types of its own; its type comes from the store package's signature.
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
) => SqliteDatabase & {
  readonly open: boolean;
  close(): void;
};

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
    const database = new Database(config.path);
    const store = createSqliteStore({ database });
    return {
      store,
      description: `sqlite ${config.path}`,
      async close() {
        await store.close();
        if (database.open) database.close();
      },
    };
  }
  const client = new MongoClient(config.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const store = createMongoStore({ client, dbName: config.database });
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
