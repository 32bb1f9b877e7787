import { afterEach, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('/Bulk operations that wait for a bulkId', () => {
  it('run as soon as the POST they wait for has run, before the operations that follow it', async () => {
    client = await startServer();
    const response = await client.request('POST', '/Bulk', {
      body: {
        schemas: [BULK],
        Operations: [
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'g1',
            data: { schemas: [GROUP_SCHEMA], displayName: 'Early', members: [{ value: 'bulkId:u1' }] },
          },
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'u1',
            data: { schemas: [USER_SCHEMA], userName: 'late@example.com' },
          },
          // Written after the group's POST: it must not run before it.
          { method: 'DELETE', path: '/Users/bulkId:u1' },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.Operations.map((op: { status: string }) => op.status)).toEqual([
      '201',
      '201',
      '204',
    ]);
    const userId = response.body.Operations[1].location.split('/').pop();
    const groupId = response.body.Operations[0].location.split('/').pop();
    const journal = await client.store.readJournal({ tenantId: 'acme', limit: 100 });
    const order = journal
      .filter((event) => event.type !== 'scim.role.changed')
      .map((event) => `${event.type} ${event.resourceId === userId ? 'user' : 'group'}`);
    expect(order).toEqual([
      'scim.user.provisioned user',
      'scim.group.created group',
      'scim.group.members_added group',
      'scim.group.members_removed group',
      'scim.user.deactivated user',
    ]);
    const group = await client.request('GET', `/Groups/${groupId}`);
    expect(group.body.members ?? []).toEqual([]);
  });
});

describe('/Bulk results', () => {
  it('carry the location of every operation that succeeded, 204s included (RFC 7644 3.7)', async () => {
    client = await startServer({ policies: { groupPatchResponse: 'no-content' } });
    const response = await client.request('POST', '/Bulk', {
      body: {
        schemas: [BULK],
        Operations: [
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'u1',
            data: { schemas: [USER_SCHEMA], userName: 'loc@example.com' },
          },
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'g1',
            data: { schemas: [GROUP_SCHEMA], displayName: 'Located' },
          },
          {
            method: 'PATCH',
            path: '/Groups/bulkId:g1',
            data: {
              schemas: [PATCH_SCHEMA],
              Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u1' }] }],
            },
          },
          {
            method: 'PATCH',
            path: '/Users/bulkId:u1',
            data: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'T' }] },
          },
          {
            method: 'PUT',
            path: 'Users/bulkId:u1',
            data: { schemas: [USER_SCHEMA], userName: 'loc@example.com' },
          },
          { method: 'DELETE', path: '/Groups/bulkId:g1' },
          { method: 'DELETE', path: '/Users/bulkId:u1' },
        ],
      },
    });
    const results = response.body.Operations as { status: string; location?: string }[];
    expect(results.map((op) => op.status)).toEqual(['201', '201', '204', '200', '200', '204', '204']);
    const user = `${client.baseUrl}/Users/${results[0]!.location!.split('/').pop()}`;
    const group = `${client.baseUrl}/Groups/${results[1]!.location!.split('/').pop()}`;
    expect(results.map((op) => op.location)).toEqual([user, group, group, user, user, group, user]);
  });
});
