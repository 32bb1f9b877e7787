import type { Store, StoreTransaction } from '@scim/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GROUP_SCHEMA,
  memoryStoreFactory,
  PATCH_SCHEMA,
  type StoreFactory,
  sqliteStoreFactory,
  startServer,
  type TestClient,
  USER_SCHEMA,
} from './harness.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const createUser = (i: number, userName = `bulk${i}@example.com`) => ({
  method: 'POST',
  path: '/Users',
  bulkId: `u${i}`,
  data: { schemas: [USER_SCHEMA], userName, emails: [{ value: userName, type: 'work' }] },
});

async function provisionedIds(store: Store): Promise<string[]> {
  const events = await store.readJournal({
    tenantId: 'acme',
    types: ['scim.user.provisioned'],
    limit: 10_000,
  });
  return events.map((event) => event.resourceId!).sort();
}

// The SQLite store offers savepoints (creates are batched, 100 per commit); the memory store does
// not (one transaction per operation). Both must give the same per-operation outcome.
describe.each([
  ['sqlite (batched creates)', sqliteStoreFactory],
  ['memory (one transaction per operation)', memoryStoreFactory],
] as [string, StoreFactory][])('/Bulk creates on %s', (_name, factory) => {
  it('answers every operation on its own across batches: failures undo only themselves', async () => {
    client = await startServer({}, factory);
    const operations: unknown[] = [];
    for (let i = 0; i < 250; i++) operations.push(createUser(i));
    operations[5] = createUser(5, 'BULK1@example.com'); // userName of u1, case-insensitively: 409
    operations[120] = { method: 'POST', path: '/Users', bulkId: 'u120', data: { schemas: [USER_SCHEMA] } };
    // A group that needs a user created later in the request (it waits for u200), and a PATCH in
    // the middle of the creates (it runs on its own, after the creates before it committed).
    operations[7] = {
      method: 'POST',
      path: '/Groups',
      bulkId: 'g7',
      data: {
        schemas: [GROUP_SCHEMA],
        displayName: 'Bulk group',
        members: [{ value: 'bulkId:u0' }, { value: 'bulkId:u200' }],
      },
    };
    operations[150] = {
      method: 'PATCH',
      path: '/Users/bulkId:u3',
      data: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'patched' }] },
    };
    const response = await client.request('POST', '/Bulk', {
      body: { schemas: [BULK], Operations: operations },
    });
    expect(response.status).toBe(200);
    const results = response.body.Operations as {
      status: string;
      bulkId?: string;
      location?: string;
      version?: string;
      response?: { scimType?: string; detail?: string };
    }[];
    expect(results).toHaveLength(250);
    const statuses = results.map((r) => r.status);
    expect(statuses[5]).toBe('409');
    expect(results[5]!.response?.scimType).toBe('uniqueness');
    expect(statuses[120]).toBe('400');
    expect(statuses[150]).toBe('200');
    expect(statuses[7]).toBe('201');
    const others = statuses.filter((_, i) => ![5, 120, 150].includes(i));
    expect(new Set(others)).toEqual(new Set(['201']));
    // Successful results carry location and version and no resource body.
    for (const result of results.filter((r) => r.status === '201')) {
      expect(result.location).toMatch(/\/scim\/v2\/(Users|Groups)\/[^/]+$/);
      expect(result.version).toBe('W/"1"');
      expect(result.response).toBeUndefined();
    }

    const idOf = (i: number) => results[i]!.location!.split('/').pop()!;
    const created = results
      .map((r, i) => (r.status === '201' && i !== 7 ? idOf(i) : undefined))
      .filter((id): id is string => id !== undefined)
      .sort();
    expect(created).toHaveLength(246); // 250 minus the 409, the 400, the PATCH and the group
    // Exactly one journal event per user that exists, none for the failed operations.
    expect(await provisionedIds(client.store)).toEqual(created);
    const listed = await client.request('GET', '/Users?count=1');
    expect(listed.body.totalResults).toBe(246);
    const group = await client.request('GET', `/Groups/${idOf(7)}`);
    expect(group.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [idOf(0), idOf(200)].sort(),
    );
    const patched = await client.request('GET', `/Users/${idOf(3)}`);
    expect(patched.body.title).toBe('patched');
    expect(patched.body.meta.version).toBe('W/"2"');
  });

  it('stops at failOnErrors and keeps what ran before', async () => {
    client = await startServer({}, factory);
    const operations: unknown[] = [];
    for (let i = 0; i < 10; i++) operations.push(createUser(i));
    operations[3] = createUser(3, 'bulk0@example.com');
    operations[6] = createUser(6, 'bulk1@example.com');
    const response = await client.request('POST', '/Bulk', {
      body: { schemas: [BULK], failOnErrors: 2, Operations: operations },
    });
    const statuses = response.body.Operations.map((r: { status: string }) => r.status);
    expect(statuses).toEqual(['201', '201', '201', '409', '201', '201', '409']);
    expect((await client.request('GET', '/Users?count=0')).body.totalResults).toBe(5);
    expect(await provisionedIds(client.store)).toHaveLength(5);
  });
});

describe('/Bulk batch that fails to commit', () => {
  it('reports the failure on every operation of the batch and leaves nothing of it', async () => {
    // A store whose commit fails for transactions that used savepoints (the batch), as a full
    // disk or an I/O error would make it.
    const { store: inner, destroy } = await sqliteStoreFactory();
    const failing = new Proxy(inner, {
      get(target, property) {
        if (property === 'transaction') {
          return async <T>(tenantId: string, fn: (tx: StoreTransaction) => Promise<T>): Promise<T> =>
            target.transaction(tenantId, async (tx) => {
              let usedSavepoint = false;
              const watched = new Proxy(tx, {
                get(txTarget, name) {
                  if (name === 'savepoint') usedSavepoint = true;
                  const value = Reflect.get(txTarget, name, txTarget);
                  return typeof value === 'function' ? value.bind(txTarget) : value;
                },
              });
              const result = await fn(watched);
              if (usedSavepoint) throw new Error('disk I/O error');
              return result;
            });
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    client = await startServer({ store: failing });
    const response = await client.request('POST', '/Bulk', {
      body: {
        schemas: [BULK],
        Operations: [
          createUser(0),
          createUser(1),
          { method: 'POST', path: '/Users', bulkId: 'bad', data: { schemas: [USER_SCHEMA] } },
          {
            method: 'PATCH',
            path: '/Users/bulkId:u0',
            data: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
          },
        ],
      },
    });
    const results = response.body.Operations as { status: string; response?: { status: string } }[];
    // The creates answered 201 inside the batch, but the commit failed: they are reported as 500;
    // the invalid one keeps its own 400; the PATCH depends on a create that did not happen.
    expect(results.map((r) => r.status)).toEqual(['500', '500', '400', '409']);
    expect(results[0]!.response?.status).toBe('500');
    expect((await client.request('GET', '/Users?count=0')).body.totalResults).toBe(0);
    expect(await provisionedIds(inner)).toEqual([]);
    await client.close();
    client = undefined;
    await destroy?.();
  });
});
