import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestClient } from './harness.js';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('/ServiceProviderConfig', () => {
  it('advertises exactly what the server implements, RFC 9865 pagination included', async () => {
    client = await startServer({
      limits: { maxBulkOperations: 40, maxBulkPayloadBytes: 65_536, maxPageSize: 250, defaultPageSize: 25 },
      auth: { bearer: true, basic: true },
    });
    const { status, body } = await client.request('GET', '/ServiceProviderConfig');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 40, maxPayloadSize: 65_536 },
      filter: { supported: true, maxResults: 250 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        defaultPageSize: 25,
        maxPageSize: 250,
      },
    });
    expect(body.authenticationSchemes.map((s: { type: string }) => s.type)).toEqual([
      'oauthbearertoken',
      'httpbasic',
    ]);
    expect(body.authenticationSchemes.filter((s: { primary?: boolean }) => s.primary)).toHaveLength(1);
    expect(body.meta.location).toBe(`${client.baseUrl}/ServiceProviderConfig`);
  });

  it('answers a filter on the discovery endpoints with 403, as RFC 7644 section 4 asks', async () => {
    client = await startServer();
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
      const response = await client.request('GET', `${path}?filter=${encodeURIComponent('id eq "User"')}`);
      expect(response.status, path).toBe(403);
      expect(response.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(response.body.detail).toMatch(/filter/);
      expect((await client.request('GET', path)).status, path).toBe(200);
    }
  });
});
