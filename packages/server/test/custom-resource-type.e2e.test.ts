import { createSchemaRegistry, defineSchema } from '@scim/core';
import { createSqliteStore } from '@scim/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PATCH_SCHEMA, startServer, type TestClient } from './harness.js';

const DEVICE = 'urn:acme:params:scim:schemas:core:2.0:Device';
const registry = createSchemaRegistry({
  schemas: [
    defineSchema({
      id: DEVICE,
      name: 'Device',
      attributes: [
        { name: 'serial', type: 'string', required: true, uniqueness: 'server' },
        { name: 'owner', type: 'string' },
        { name: 'secretKey', type: 'string', mutability: 'writeOnly', returned: 'never' },
      ],
    }),
  ],
  resourceTypes: [{ name: 'Device', endpoint: '/Devices', schema: DEVICE, schemaExtensions: [] }],
});

let client: TestClient;
beforeEach(async () => {
  // The store gets the same registry: it enforces the uniqueness the schema declares.
  client = await startServer({ registry, store: createSqliteStore({ database: ':memory:', registry }) });
});
afterEach(async () => {
  await client.close();
  await client.store.close();
});

describe('a resource type the product registers', () => {
  it('gets CRUD, and every write of it lands in the journal with actor, request id and changed attributes', async () => {
    const created = await client.request('POST', '/Devices', {
      body: { schemas: [DEVICE], serial: 'S-1', secretKey: 'do-not-journal' },
      headers: { 'x-request-id': 'req-create' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secretKey).toBeUndefined();
    const id = created.body.id as string;
    expect(
      (await client.request('POST', '/Devices', { body: { schemas: [DEVICE], serial: 'S-1' } })).status,
    ).toBe(409);
    const patched = await client.request('PATCH', `/Devices/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'owner', value: 'ops' }] },
      headers: { 'x-request-id': 'req-patch' },
    });
    expect(patched.status).toBe(200);
    const replaced = await client.request('PUT', `/Devices/${id}`, {
      body: { schemas: [DEVICE], serial: 'S-2', owner: 'ops' },
      headers: { 'x-request-id': 'req-put' },
    });
    expect(replaced.status).toBe(200);
    const deleted = await client.request('DELETE', `/Devices/${id}`, {
      headers: { 'x-request-id': 'req-delete' },
    });
    expect(deleted.status).toBe(204);
    expect((await client.request('GET', `/Devices/${id}`)).status).toBe(404);

    const journal = await client.store.readJournal({ tenantId: 'acme', resourceId: id, limit: 100 });
    expect(
      journal.map((event) => ({
        type: event.type,
        resourceType: event.resourceType,
        requestId: event.requestId,
        changedAttributes: event.changedAttributes,
      })),
    ).toEqual([
      {
        type: 'scim.device.created',
        resourceType: 'Device',
        requestId: 'req-create',
        changedAttributes: undefined,
      },
      {
        type: 'scim.device.updated',
        resourceType: 'Device',
        requestId: 'req-patch',
        changedAttributes: ['owner'],
      },
      {
        type: 'scim.device.updated',
        resourceType: 'Device',
        requestId: 'req-put',
        changedAttributes: ['serial'],
      },
      {
        type: 'scim.device.deleted',
        resourceType: 'Device',
        requestId: 'req-delete',
        changedAttributes: undefined,
      },
    ]);
    const credentialId = (await client.store.listCredentials('acme'))[0]!.id;
    for (const event of journal) expect(event.actor).toBe(credentialId);
    expect(JSON.stringify(journal)).not.toContain('do-not-journal');
  });
});
