/**
 * OneLogin, from its public SCIM developer documentation:
 * - "Step 2. Implement RESTful SCIM APIs for Your App" (developers.onelogin.com/scim/implement-scim-api):
 *   the calls OneLogin makes and their order (initial connection with a userName that does not exist,
 *   then get by userName, create, get by id, update, groups, patch group, delete, list users).
 * - "Step 1. Define Your SCIM User Schema" (developers.onelogin.com/scim/define-user-schema): the JSON
 *   template OneLogin fills in per user; its Enterprise template sends `emails` as one object, and
 *   administrators' templates for the "SCIM Provisioner with SAML (SCIM v2 Enterprise)" connector send
 *   `"active": "{$user.active}"` (a string), `"id": null` and a `manager` object.
 * OneLogin publishes no request bodies for the group calls; those below use RFC 7644's forms.
 * See packages/server/docs/idp-compatibility.md.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ENTERPRISE_SCHEMA,
  GROUP_SCHEMA,
  PATCH_SCHEMA,
  startServer,
  type TestClient,
  USER_SCHEMA,
} from './harness.js';

const q = (filter: string) => encodeURIComponent(filter);
/** OneLogin: "the content type header for all responses must be of type application/json". */
const ONELOGIN_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

let client: TestClient;
beforeEach(async () => {
  client = await startServer();
});
afterEach(async () => {
  await client.close();
});

/** The SCIM v2 Enterprise template as OneLogin fills it in for one user. */
function templateUser(userName: string, active: string): Record<string, unknown> {
  return {
    [ENTERPRISE_SCHEMA]: {
      department: 'Sales',
      manager: { value: 'external-manager-7', displayName: 'Mary Manager' },
    },
    active,
    emails: { value: userName, type: 'work', primary: true },
    meta: { resourceType: 'User' },
    name: { familyName: 'Doe', givenName: 'Jane', formatted: 'Jane Doe' },
    userName,
    id: null,
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
  };
}

describe('OneLogin provisioning flow (documented call sequence)', () => {
  it('initial connection: a userName that does not exist gives an empty list in application/json', async () => {
    const probe = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "onelogin-connection-check-7f3a"')}`,
      { headers: ONELOGIN_HEADERS },
    );
    expect(probe.status).toBe(200);
    expect(probe.headers.get('content-type')).toMatch(/^application\/json/);
    expect(probe.body.totalResults).toBe(0);
    expect(probe.body.Resources).toEqual([]);
  });

  it('get by userName, create from the template, get by id, update, groups, patch group, delete user, list', async () => {
    const absent = await client.request('GET', `/Users?filter=${q('userName eq "jane.doe@example.com"')}`, {
      headers: ONELOGIN_HEADERS,
    });
    expect(absent.body.totalResults).toBe(0);

    const created = await client.request('POST', '/Users', {
      headers: ONELOGIN_HEADERS,
      body: templateUser('jane.doe@example.com', 'true'),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    const id = created.body.id;
    expect(typeof id).toBe('string');
    expect(created.body).toMatchObject({
      userName: 'jane.doe@example.com',
      active: true,
      emails: [{ value: 'jane.doe@example.com', type: 'work', primary: true }],
      name: { familyName: 'Doe', givenName: 'Jane', formatted: 'Jane Doe' },
      [ENTERPRISE_SCHEMA]: { department: 'Sales', manager: { value: 'external-manager-7' } },
    });
    // manager.displayName is readOnly (RFC 7643 4.3): the service provider sets it, the client's is ignored.
    expect(created.body[ENTERPRISE_SCHEMA].manager.displayName).toBeUndefined();

    const byId = await client.request('GET', `/Users/${id}`, { headers: ONELOGIN_HEADERS });
    expect(byId.status).toBe(200);
    expect(byId.body.id).toBe(id);

    const updated = await client.request('PUT', `/Users/${id}`, {
      headers: ONELOGIN_HEADERS,
      body: { ...templateUser('jane.doe@example.com', 'false'), id, title: 'Director' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, active: false, title: 'Director' });

    const groups = await client.request('GET', '/Groups', { headers: ONELOGIN_HEADERS });
    expect(groups.status).toBe(200);
    expect(groups.body.totalResults).toBe(0);

    const group = await client.request('POST', '/Groups', {
      headers: ONELOGIN_HEADERS,
      body: { schemas: [GROUP_SCHEMA], displayName: 'OneLogin Role: Sales' },
    });
    expect(group.status).toBe(201);
    const gid = group.body.id;

    const add = await client.request('PATCH', `/Groups/${gid}`, {
      headers: ONELOGIN_HEADERS,
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: 'jane.doe@example.com' }] }],
      },
    });
    expect(add.status).toBe(200);
    expect(add.body.members.map((m: { value: string }) => m.value)).toEqual([id]);
    const remove = await client.request('PATCH', `/Groups/${gid}`, {
      headers: ONELOGIN_HEADERS,
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] },
    });
    expect(remove.status).toBe(200);
    expect(remove.body.members ?? []).toEqual([]);

    const deleted = await client.request('DELETE', `/Users/${id}`, { headers: ONELOGIN_HEADERS });
    expect(deleted.status).toBe(204);
    expect((await client.request('GET', `/Users/${id}`)).status).toBe(404);

    const list = await client.request('GET', '/Users', { headers: ONELOGIN_HEADERS });
    expect(list.status).toBe(200);
    expect(list.body.totalResults).toBe(0);
  });

  it('a deleted user provisioned again comes back with its id instead of a duplicate', async () => {
    const first = await client.request('POST', '/Users', {
      headers: ONELOGIN_HEADERS,
      body: templateUser('back@example.com', 'true'),
    });
    expect((await client.request('DELETE', `/Users/${first.body.id}`)).status).toBe(204);
    const again = await client.request('POST', '/Users', {
      headers: ONELOGIN_HEADERS,
      body: templateUser('back@example.com', 'true'),
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.active).toBe(true);
  });

  it('the Core template with SCIM 1.1 URNs is a 400 that names the SCIM 2.0 schema to use', async () => {
    const legacy = await client.request('POST', '/Users', {
      headers: ONELOGIN_HEADERS,
      body: {
        schemas: ['urn:scim:schemas:core:1.0'],
        userName: 'legacy@example.com',
        name: { givenName: 'Le', familyName: 'Gacy', formatted: 'Le Gacy' },
      },
    });
    expect(legacy.status).toBe(400);
    expect(legacy.body.scimType).toBe('invalidSyntax');
    expect(legacy.body.detail).toContain(USER_SCHEMA);
  });

  it('a template value that is not a boolean is a 400 naming the attribute', async () => {
    const bad = await client.request('POST', '/Users', {
      headers: ONELOGIN_HEADERS,
      body: templateUser('bad@example.com', '{$user.active}'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(bad.body.detail).toMatch(/active/);
  });
});
