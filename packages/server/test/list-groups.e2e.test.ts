import { afterEach, describe, expect, it } from 'vitest';
import {
  memoryStoreFactory,
  sqliteStoreFactory,
  startServer,
  type StoreFactory,
  type TestClient,
} from './harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

// `groups` is returned by default (RFC 7643 4.1.2): a list shows a user's groups as GET does, from
// the page's own read on stores that support includeGroups and from listGroupsOf on others.
describe.each([
  ['SQLite (groups read with the page)', sqliteStoreFactory],
  ['memory (groups from listGroupsOf)', memoryStoreFactory],
] as [string, StoreFactory][])('list responses show users\u2019 groups: %s', (_name, factory) => {
  let client: TestClient;
  afterEach(async () => {
    await client.close();
  });

  it('lists, filters and searches with the same groups as GET, and leaves them out when excluded', async () => {
    client = await startServer({}, factory);
    const ada = (
      await client.request('POST', '/Users', { body: { schemas: [USER], userName: 'ada@example.com' } })
    ).body;
    const grace = (
      await client.request('POST', '/Users', { body: { schemas: [USER], userName: 'grace@example.com' } })
    ).body;
    for (const name of ['Engineers', 'Admins']) {
      const group = await client.request('POST', '/Groups', {
        body: { schemas: [GROUP], displayName: name, members: [{ value: ada.id }] },
      });
      expect(group.status).toBe(201);
    }
    const single = (await client.request('GET', `/Users/${ada.id}`)).body;
    expect(single.groups).toHaveLength(2);

    const byId = (resources: { id: string }[]) =>
      new Map(resources.map((r) => [r.id, r as Record<string, unknown>]));
    const listed = byId((await client.request('GET', '/Users')).body.Resources);
    expect(listed.get(ada.id)?.groups).toEqual(single.groups);
    expect(listed.get(grace.id)?.groups).toBeUndefined();

    const filtered = (
      await client.request('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`)
    ).body;
    expect(filtered.Resources[0].groups).toEqual(single.groups);

    const cursor = (await client.request('GET', '/Users?count=10&cursor=')).body;
    expect(byId(cursor.Resources).get(ada.id)?.groups).toEqual(single.groups);

    const searched = (
      await client.request('POST', '/.search', { body: { schemas: [SEARCH], filter: 'userName sw "ada"' } })
    ).body;
    expect(searched.Resources[0].groups).toEqual(single.groups);

    const projected = (await client.request('GET', '/Users?attributes=userName,groups')).body;
    expect(byId(projected.Resources).get(ada.id)).toEqual({
      schemas: [USER],
      id: ada.id,
      userName: 'ada@example.com',
      groups: single.groups,
      meta: { resourceType: 'User' },
    });
    const excluded = (await client.request('GET', '/Users?excludedAttributes=groups')).body;
    expect(byId(excluded.Resources).get(ada.id)?.groups).toBeUndefined();
    const other = (await client.request('GET', '/Users?attributes=userName')).body;
    expect(byId(other.Resources).get(ada.id)?.groups).toBeUndefined();
  });
});
