import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

let client: TestClient;
beforeEach(async () => {
  client = await startServer({ limits: { maxPageSize: 5, defaultPageSize: 3, maxBulkOperations: 10 } });
});
afterEach(async () => {
  await client.close();
});

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

async function seed(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `user${String(i).padStart(2, '0')}@example.com`;
    ids.push(
      (
        await client.request('POST', '/Users', {
          body: { schemas: [USER_SCHEMA], userName: name, title: i % 2 ? 'odd' : 'even' },
        })
      ).body.id,
    );
  }
  return ids;
}

describe('list and search', () => {
  it('pages by index with defaults, caps count at maxPageSize and gives totals only for count=0', async () => {
    await seed(8);
    const first = await client.request('GET', '/Users?sortBy=userName');
    expect(first.body).toMatchObject({ totalResults: 8, itemsPerPage: 3, startIndex: 1 });
    expect(first.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([
      'user00@example.com',
      'user01@example.com',
      'user02@example.com',
    ]);
    const capped = await client.request(
      'GET',
      '/Users?count=50&startIndex=7&sortBy=userName&sortOrder=descending',
    );
    expect(capped.body.itemsPerPage).toBe(2);
    expect(capped.body.Resources[0].userName).toBe('user01@example.com');
    const totals = await client.request('GET', '/Users?count=0');
    expect(totals.body).toMatchObject({ totalResults: 8, itemsPerPage: 0, Resources: [] });
    const lenient = await client.request('GET', '/Users?startIndex=-4&count=-1');
    expect(lenient.body).toMatchObject({ startIndex: 1, itemsPerPage: 0 });
    const bad = await client.request('GET', '/Users?count=many');
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidValue');
  });

  it('walks RFC 9865 cursors and rejects malformed ones', async () => {
    await seed(7);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page += 1) {
      const response = await client.request('GET', `/Users?cursor=${encodeURIComponent(cursor)}&count=3`);
      expect(response.status).toBe(200);
      expect(response.body.startIndex).toBeUndefined();
      seen.push(...response.body.Resources.map((r: { id: string }) => r.id));
      if (response.body.nextCursor === undefined) break;
      cursor = response.body.nextCursor;
    }
    expect(new Set(seen).size).toBe(7);
    const malformed = await client.request('GET', '/Users?cursor=%%%garbage');
    expect(malformed.status).toBe(400);
    expect(malformed.body.scimType).toBe('invalidCursor');
    const both = await client.request('GET', '/Users?cursor=&startIndex=2');
    expect(both.status).toBe(400);
  });

  it('answers filters, POST .search and root .search with attributes', async () => {
    await seed(4);
    await client.request('POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'odd people' } });
    const filtered = await client.request(
      'GET',
      `/Users?filter=${encodeURIComponent('title eq "odd"')}&attributes=userName`,
    );
    expect(filtered.body.totalResults).toBe(2);
    expect(filtered.body.Resources[0]).toMatchObject({
      id: expect.any(String),
      userName: expect.any(String),
    });
    expect(filtered.body.Resources[0].title).toBeUndefined();
    const search = await client.request('POST', '/Users/.search', {
      body: {
        schemas: [SEARCH],
        filter: 'title eq "even"',
        startIndex: 1,
        count: 10,
        excludedAttributes: ['title'],
      },
    });
    expect(search.body.totalResults).toBe(2);
    expect(search.body.Resources[0].title).toBeUndefined();
    const root = await client.request('POST', '/.search', {
      body: { schemas: [SEARCH], filter: 'meta.created pr', count: 5 },
    });
    expect(root.status).toBe(200);
    expect(root.body.totalResults).toBe(5);
    expect(root.body.Resources).toHaveLength(5);
    const badFilter = await client.request('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.scimType).toBe('invalidFilter');
    const unknownAttribute = await client.request(
      'GET',
      `/Users?filter=${encodeURIComponent('shoeSize gt 3')}`,
    );
    expect(unknownAttribute.body.scimType).toBe('invalidFilter');
  });
});

describe('ETags', () => {
  it('answers If-Match mismatches with 412 and lets matching versions through', async () => {
    const id = (
      await client.request('POST', '/Users', {
        body: { schemas: [USER_SCHEMA], userName: 'etag@example.com' },
      })
    ).body.id;
    const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'x' }] };
    const stale = await client.request('PATCH', `/Users/${id}`, {
      body: patch,
      headers: { 'if-match': 'W/"9"' },
    });
    expect(stale.status).toBe(412);
    const ok = await client.request('PATCH', `/Users/${id}`, {
      body: patch,
      headers: { 'if-match': 'W/"1"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('W/"2"');
    expect(
      (await client.request('DELETE', `/Users/${id}`, { headers: { 'if-match': 'W/"1"' } })).status,
    ).toBe(412);
    expect(
      (
        await client.request('PUT', `/Users/${id}`, {
          body: { schemas: [USER_SCHEMA], userName: 'etag@example.com' },
          headers: { 'if-match': 'W/"2"' },
        })
      ).status,
    ).toBe(200);
    // RFC 7232: If-Match is a list, and any entry may match (the resource is now at version 3).
    const listed = await client.request('PATCH', `/Users/${id}`, {
      body: patch,
      headers: { 'if-match': 'W/"1", W/"3", "7"' },
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('etag')).toBe('W/"4"');
    const noneListed = await client.request('PATCH', `/Users/${id}`, {
      body: { ...patch, Operations: [{ op: 'replace', path: 'title', value: 'y' }] },
      headers: { 'if-match': 'W/"1", W/"2"' },
    });
    expect(noneListed.status).toBe(412);
    expect(noneListed.body.detail).toContain('W/"4"');
    expect(
      (await client.request('DELETE', `/Users/${id}`, { headers: { 'if-match': 'W/"2", W/"3"' } })).status,
    ).toBe(412);
    expect(
      (await client.request('DELETE', `/Users/${id}`, { headers: { 'if-match': '"9", W/"4"' } })).status,
    ).toBe(204);
  });
});

describe('bulk', () => {
  it('resolves bulkId references in paths, member lists and PATCH values', async () => {
    const response = await client.request('POST', '/Bulk', {
      body: {
        schemas: [BULK],
        Operations: [
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'g1',
            data: { schemas: [GROUP_SCHEMA], displayName: 'Bulk group', members: [{ value: 'bulkId:u1' }] },
          },
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'u1',
            data: { schemas: [USER_SCHEMA], userName: 'bulk1@example.com' },
          },
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'u2',
            data: { schemas: [USER_SCHEMA], userName: 'bulk2@example.com' },
          },
          {
            method: 'PATCH',
            path: '/Groups/bulkId:g1',
            data: {
              schemas: [PATCH_SCHEMA],
              Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u2' }] }],
            },
          },
          {
            method: 'PUT',
            path: '/Users/bulkId:u2',
            data: { schemas: [USER_SCHEMA], userName: 'bulk2@example.com', title: 'put' },
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
    const ops = response.body.Operations;
    expect(ops.map((o: { status: string }) => o.status)).toEqual(['201', '201', '201', '200', '200']);
    const groupLocation = ops[0].location as string;
    expect(ops[0].version).toBe('W/"1"');
    const group = await client.request('GET', groupLocation.slice(client.baseUrl.length));
    expect(group.body.members).toHaveLength(2);
  });

  it('reports circular and unknown references, stops at failOnErrors, and enforces limits', async () => {
    const circular = await client.request('POST', '/Bulk', {
      body: {
        schemas: [BULK],
        Operations: [
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'a',
            data: {
              schemas: [GROUP_SCHEMA],
              displayName: 'A',
              members: [{ value: 'bulkId:b', type: 'Group' }],
            },
          },
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'b',
            data: {
              schemas: [GROUP_SCHEMA],
              displayName: 'B',
              members: [{ value: 'bulkId:a', type: 'Group' }],
            },
          },
          { method: 'PATCH', path: '/Users/bulkId:nope', data: { schemas: [PATCH_SCHEMA], Operations: [] } },
        ],
      },
    });
    const statuses = circular.body.Operations.map((o: { status: string }) => o.status);
    expect(statuses).toEqual(['409', '409', '400']);

    const failing = await client.request('POST', '/Bulk', {
      body: {
        schemas: [BULK],
        failOnErrors: 1,
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'x', data: { schemas: [USER_SCHEMA] } },
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'y',
            data: { schemas: [USER_SCHEMA], userName: 'never@example.com' },
          },
        ],
      },
    });
    expect(failing.body.Operations).toHaveLength(1);
    expect(failing.body.Operations[0].status).toBe('400');
    expect(failing.body.Operations[0].response.scimType).toBeDefined();

    const tooMany = await client.request('POST', '/Bulk', {
      body: {
        schemas: [BULK],
        Operations: Array.from({ length: 11 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` })),
      },
    });
    expect(tooMany.status).toBe(413);
  });
});

describe('concurrency', () => {
  it('lands 50 parallel member adds', async () => {
    const users = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client.request('POST', '/Users', {
          body: { schemas: [USER_SCHEMA], userName: `member${i}@example.com` },
        }),
      ),
    );
    const gid = (
      await client.request('POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Crowd' } })
    ).body.id;
    const results = await Promise.all(
      users.map((u) =>
        client.request('PATCH', `/Groups/${gid}?excludedAttributes=members`, {
          body: {
            schemas: [PATCH_SCHEMA],
            Operations: [{ op: 'add', path: 'members', value: [{ value: u.body.id }] }],
          },
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await client.store.countMembers('acme', gid)).toBe(50);
  });

  it('creates exactly one of 20 parallel POSTs of the same userName', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.request('POST', '/Users', { body: { schemas: [USER_SCHEMA], userName: 'race@example.com' } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
  });

  it('lets one of several PATCHes with the same If-Match win; the others get 412', async () => {
    const id = (
      await client.request('POST', '/Users', {
        body: { schemas: [USER_SCHEMA], userName: 'ifmatch@example.com' },
      })
    ).body.id;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.request('PATCH', `/Users/${id}`, {
          headers: { 'if-match': 'W/"1"' },
          body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: `t${i}` }] },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(9);
  });
});
