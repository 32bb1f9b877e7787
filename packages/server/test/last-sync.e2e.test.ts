import { afterEach, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe("the tenant's last-sync time", () => {
  it('moves with every successful write, also one that changes nothing, and never with a read or a failure', async () => {
    let clock = Date.parse('2030-01-01T00:00:00.000Z');
    client = await startServer({ now: () => new Date(clock) });
    const lastSync = async () => (await client!.store.getTenant('acme'))!.lastSyncAt;
    const step = async (method: string, path: string, body?: unknown) => {
      clock += 60_000;
      const response = await client!.request(method, path, body === undefined ? {} : { body });
      return { status: response.status, body: response.body, at: new Date(clock).toISOString() };
    };

    const created = await step('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'sync@example.com' });
    expect(created.status).toBe(201);
    expect(await lastSync()).toBe(created.at);
    const id = created.body.id as string;

    const read = await step('GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(await lastSync()).toBe(created.at);

    // Okta PUTs the user back unchanged and PATCHes values it already has: still a sync.
    const { meta: _meta, ...same } = read.body;
    const put = await step('PUT', `/Users/${id}`, same);
    expect(put.status).toBe(200);
    expect(await lastSync()).toBe(put.at);
    const patch = await step('PATCH', `/Users/${id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'userName', value: 'sync@example.com' }],
    });
    expect(patch.status).toBe(200);
    expect(await lastSync()).toBe(patch.at);

    const failed = await step('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'SYNC@example.com' });
    expect(failed.status).toBe(409);
    expect(await lastSync()).toBe(patch.at);

    const group = await step('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Sync',
      members: [{ value: id }],
    });
    expect(await lastSync()).toBe(group.at);
    const removed = await step('DELETE', `/Groups/${group.body.id}`);
    expect(removed.status).toBe(204);
    expect(await lastSync()).toBe(removed.at);
    const deprovisioned = await step('DELETE', `/Users/${id}`);
    expect(deprovisioned.status).toBe(204);
    expect(await lastSync()).toBe(deprovisioned.at);
  });
});
