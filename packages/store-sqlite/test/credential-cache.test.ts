import { appendFileSync, existsSync, rmSync } from 'node:fs';
import type { Credential, Store } from '@scim/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialCache } from '../src/credential-cache.js';
import { createSqliteStore } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const credential: Credential = {
  id: 'c1',
  tenantId: 't1',
  name: 'Okta',
  kind: 'bearer',
  hash: 'a'.repeat(64),
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** Two stores on one file, as two server processes would have. */
async function twoProcesses(): Promise<{ a: Store; b: Store; path: string }> {
  const database = tempDatabase();
  const a = createSqliteStore({ database: database.path });
  const b = createSqliteStore({ database: database.path });
  cleanups.push(
    database.remove,
    async () => a.close(),
    async () => b.close(),
  );
  await a.createTenant({ id: 't1', name: 't1', createdAt: 'T0' });
  await a.createCredential(credential);
  return { a, b, path: database.path };
}

describe('the credential cache', () => {
  it('answers repeated lookups from memory until the database row changes behind its back', async () => {
    const { a, path } = await twoProcesses();
    expect((await a.findCredentialByHash(credential.hash))?.name).toBe('Okta');
    // A change made with another tool and not announced is not seen: the lookup was cached.
    const raw = new BetterSqlite3(path);
    raw.prepare("UPDATE credentials SET name = 'renamed' WHERE id = 'c1'").run();
    raw.close();
    expect((await a.findCredentialByHash(credential.hash))?.name).toBe('Okta');
    // Callers get copies: changing one does not change what the next caller sees.
    const found = await a.findCredentialByHash(credential.hash);
    found!.revokedAt = 'tampered';
    expect((await a.findCredentialByHash(credential.hash))?.revokedAt).toBeUndefined();
  });

  it('sees a revocation made by another process at the very next lookup', async () => {
    const { a, b } = await twoProcesses();
    expect((await a.findCredentialByHash(credential.hash))?.revokedAt).toBeUndefined();
    expect((await b.findCredentialByHash(credential.hash))?.revokedAt).toBeUndefined();
    await b.updateCredential('t1', 'c1', { revokedAt: '2026-02-01T00:00:00.000Z' });
    expect((await a.findCredentialByHash(credential.hash))?.revokedAt).toBe('2026-02-01T00:00:00.000Z');
    expect((await b.findCredentialByHash(credential.hash))?.revokedAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('sees an expiry set by another process (a rotation) at the very next lookup, and a cleared one', async () => {
    const { a, b } = await twoProcesses();
    await a.findCredentialByHash(credential.hash);
    await b.updateCredential('t1', 'c1', { expiresAt: '2026-03-01T00:00:00.000Z' });
    expect((await a.findCredentialByHash(credential.hash))?.expiresAt).toBe('2026-03-01T00:00:00.000Z');
    await b.updateCredential('t1', 'c1', { expiresAt: null });
    expect((await a.findCredentialByHash(credential.hash))?.expiresAt).toBeUndefined();
  });

  it('reads the database again when the signal file is removed, and never caches an unknown hash', async () => {
    const { a, b, path } = await twoProcesses();
    expect(await a.findCredentialByHash('b'.repeat(64))).toBeUndefined();
    await b.createCredential({ ...credential, id: 'c2', hash: 'b'.repeat(64) });
    expect((await a.findCredentialByHash('b'.repeat(64)))?.id).toBe('c2');

    await a.findCredentialByHash(credential.hash);
    expect(existsSync(`${path}-credentials`)).toBe(true);
    rmSync(`${path}-credentials`);
    const raw = new BetterSqlite3(path);
    raw.prepare("UPDATE credentials SET revoked_at = '2026-04-01T00:00:00.000Z' WHERE id = 'c1'").run();
    raw.close();
    expect((await a.findCredentialByHash(credential.hash))?.revokedAt).toBe('2026-04-01T00:00:00.000Z');
    // The next announced change creates the file again, and the other process sees it.
    await b.findCredentialByHash(credential.hash);
    await a.updateCredential('t1', 'c1', { revokedAt: null });
    expect(existsSync(`${path}-credentials`)).toBe(true);
    expect((await b.findCredentialByHash(credential.hash))?.revokedAt).toBeUndefined();
  });

  it('leaves in-memory databases without a cache or a signal file', async () => {
    const store = createSqliteStore({ database: ':memory:' });
    cleanups.push(async () => store.close());
    await store.createTenant({ id: 't1', name: 't1', createdAt: 'T0' });
    await store.createCredential(credential);
    await store.findCredentialByHash(credential.hash);
    await store.updateCredential('t1', 'c1', { revokedAt: '2026-02-01T00:00:00.000Z' });
    expect((await store.findCredentialByHash(credential.hash))?.revokedAt).toBe('2026-02-01T00:00:00.000Z');
    expect(existsSync(':memory:-credentials')).toBe(false);
  });
});

describe('CredentialCache', () => {
  it('does not keep a read that began before another request saw a change', async () => {
    const database = tempDatabase();
    cleanups.push(database.remove);
    const cache = CredentialCache.open(database.path)!;
    cleanups.push(() => cache.close());
    const epoch = cache.sync();
    expect(epoch).toBeGreaterThanOrEqual(0);
    // Meanwhile another process revokes, and another request of this process notices it first.
    appendFileSync(`${database.path}-credentials`, '.');
    const later = cache.sync();
    expect(later).not.toBe(epoch);
    // The first request's read, older than the revocation, must not be kept...
    cache.keep(credential.hash, credential, epoch);
    expect(cache.get(credential.hash)).toBeUndefined();
    // ...while a read begun after the change is.
    cache.keep(credential.hash, { ...credential, revokedAt: 'now' }, later);
    expect(cache.get(credential.hash)?.revokedAt).toBe('now');
    expect(cache.sync()).toBe(later);
  });
});
