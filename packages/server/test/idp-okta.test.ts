/**
 * Okta, replayed from its public SCIM documentation:
 * - "Okta and SCIM Version 2.0" (developer.okta.com/docs/reference/scim/scim-20/, source
 *   okta/okta-developer-docs packages/@okta/vuepress-site/docs/reference/scim/scim-20/index.md):
 *   request bodies below are copied from it.
 * - Okta's "SCIM 2.0 Tests" Runscope suite (oktadev/okta-scim-beta SCIM_tests_for_Runscope.json):
 *   the checks Okta runs before an integration is accepted.
 * See packages/server/docs/idp-compatibility.md.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

const q = (filter: string) => encodeURIComponent(filter);
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** The headers of Okta's SCIM client (User-Agent from the reference, the rest from its test suite). */
const OKTA_HEADERS = {
  'user-agent': 'Okta SCIM Client 1.0.0',
  accept: 'application/scim+json',
  'accept-charset': 'utf-8',
};
const OKTA_JSON = { ...OKTA_HEADERS, 'content-type': 'application/scim+json; charset=utf-8' };

let client: TestClient;
beforeEach(async () => {
  client = await startServer();
});
afterEach(async () => {
  await client.close();
});

const memberIds = (body: { members?: { value: string }[] }) =>
  (body.members ?? []).map((member) => member.value).sort();

describe('Okta user operations (SCIM 2.0 reference)', () => {
  it('create: checks the userName, creates with password and groups, answers 409 for an existing user', async () => {
    const lookup = await client.request(
      'GET',
      '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
      { headers: OKTA_HEADERS },
    );
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({
      schemas: [LIST],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });

    const created = await client.request('POST', '/Users', {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'test.user@okta.local',
        name: { givenName: 'Test', familyName: 'User' },
        emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
        displayName: 'Test User',
        locale: 'en-US',
        externalId: '00ujl29u0le5T6Aj10h7',
        groups: [],
        password: '1mz050nq',
        active: true,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(typeof id).toBe('string');
    expect(created.body).toMatchObject({
      schemas: [USER_SCHEMA],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
      meta: { resourceType: 'User' },
    });
    // "Create new user returned empty user" is an Okta error: the body must be the user.
    expect(created.body.password).toBeUndefined();
    expect(created.text).not.toContain('1mz050nq');

    const found = await client.request(
      'GET',
      '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
      { headers: OKTA_HEADERS },
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(id);

    // Okta creating the same user again (another externalId, so not a just-in-time link): 409.
    const again = await client.request('POST', '/Users', {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'test.user@okta.local',
        externalId: '00uOTHER0le5T6Aj10h7',
        active: true,
      },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    expect(again.body.detail).toMatch(/userName/);
  });

  it('update (PUT): reads the user, then PUTs it back with id, groups, meta and an empty middleName', async () => {
    const id = (
      await client.request('POST', '/Users', {
        body: {
          schemas: [USER_SCHEMA],
          userName: 'test.user@okta.local',
          name: { givenName: 'Test', familyName: 'User' },
          emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
          externalId: '00ujl29u0le5T6Aj10h7',
          password: '1mz050nq',
          active: true,
        },
      })
    ).body.id;
    const read = await client.request('GET', `/Users/${id}`, { headers: OKTA_HEADERS });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, userName: 'test.user@okta.local', active: true });

    const put = await client.request('PUT', `/Users/${id}`, {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id,
        userName: 'test.user@okta.local',
        name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
        emails: [
          { primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' },
        ],
        active: true,
        groups: [],
        meta: { resourceType: 'User' },
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
      emails: [
        { primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' },
      ],
      active: true,
    });
    // The password Okta sent on create was discarded (the default policy), and its PUT, which never
    // carries a password back, stores none either (policies.passwords: 'hash' keeps a hash instead:
    // see passwords.e2e.test.ts).
    const stored = await client.store.getResource('acme', 'User', id);
    expect(stored?.data.password).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain('1mz050nq');

    // The reference's GET response shows "middleName": "" - an empty string is stored as sent.
    const empty = await client.request('PUT', `/Users/${id}`, {
      headers: OKTA_JSON,
      body: { ...put.body, name: { givenName: 'Another', middleName: '', familyName: 'User' } },
    });
    expect(empty.status).toBe(200);
    expect(empty.body.name.givenName).toBe('Another');
  });

  it('deactivate and reactivate (PATCH, no path), answered with the updated user', async () => {
    const id = (
      await client.request('POST', '/Users', {
        body: { schemas: [USER_SCHEMA], userName: 'test.user@okta.local', active: true },
      })
    ).body.id;
    const deactivate = await client.request('PATCH', `/Users/${id}`, {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: { active: false } }],
      },
    });
    expect(deactivate.status).toBe(200);
    expect(deactivate.body).toMatchObject({ id, userName: 'test.user@okta.local', active: false });
    // Okta never DELETEs users: a deactivated user stays readable.
    expect((await client.request('GET', `/Users/${id}`)).body.active).toBe(false);
    const reactivate = await client.request('PATCH', `/Users/${id}`, {
      headers: OKTA_JSON,
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: true } }] },
    });
    expect(reactivate.body.active).toBe(true);
  });

  it('password sync (PATCH replace of password) is accepted and never echoed', async () => {
    const id = (
      await client.request('POST', '/Users', {
        body: { schemas: [USER_SCHEMA], userName: 'pw@okta.local', password: 'old-secret-1' },
      })
    ).body.id;
    const sync = await client.request('PATCH', `/Users/${id}`, {
      headers: OKTA_JSON,
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { password: 'new-secret-2' } }] },
    });
    expect(sync.status).toBe(200);
    expect(sync.body.password).toBeUndefined();
    expect(sync.text).not.toContain('new-secret-2');
    // Accepted, but with the default policy (discard) neither password is kept.
    const stored = await client.store.getResource('acme', 'User', id);
    expect(JSON.stringify(stored)).not.toContain('old-secret-1');
    expect(JSON.stringify(stored)).not.toContain('new-secret-2');
    expect(stored?.data.password).toBeUndefined();
  });

  it('import paging: count=100 pages with startIndex+100 until totalResults, in a stable order', async () => {
    for (let i = 0; i < 130; i++) {
      const response = await client.request('POST', '/Users', {
        body: { schemas: [USER_SCHEMA], userName: `import-${String(i).padStart(3, '0')}@okta.local` },
      });
      expect(response.status).toBe(201);
    }
    const seen: string[] = [];
    let startIndex = 1;
    let total = Number.POSITIVE_INFINITY;
    while (startIndex <= total) {
      const page = await client.request('GET', `/Users?startIndex=${startIndex}&count=100`, {
        headers: OKTA_HEADERS,
      });
      expect(page.status).toBe(200);
      expect(typeof page.body.totalResults).toBe('number');
      expect(typeof page.body.itemsPerPage).toBe('number');
      expect(page.body.startIndex).toBe(startIndex);
      expect(page.body.itemsPerPage).toBe(page.body.Resources.length);
      total = page.body.totalResults;
      seen.push(...page.body.Resources.map((user: { id: string }) => user.id));
      startIndex += 100;
    }
    expect(total).toBe(130);
    expect(seen).toHaveLength(130);
    expect(new Set(seen).size).toBe(130);
    // Same order whatever the page size.
    const small = await client.request('GET', '/Users?startIndex=98&count=5');
    expect(small.body.Resources.map((user: { id: string }) => user.id)).toEqual(seen.slice(97, 102));
  });
});

describe('Okta group push (SCIM 2.0 reference)', () => {
  async function user(userName: string): Promise<string> {
    return (await client.request('POST', '/Users', { body: { schemas: [USER_SCHEMA], userName } })).body.id;
  }

  it('creates, lists, reads, renames (no-path replace with id), changes and replaces members, deletes', async () => {
    const testUser = await user('test.user@okta.local');
    const other = await user('other.user@okta.local');
    const created = await client.request('POST', '/Groups', {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Test SCIMv2',
        members: [],
      },
    });
    expect(created.status).toBe(201);
    const gid = created.body.id;
    expect(created.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      id: gid,
      displayName: 'Test SCIMv2',
      meta: { resourceType: 'Group' },
    });
    expect(created.body.members ?? []).toEqual([]);

    const list = await client.request('GET', '/Groups?startIndex=1&count=100', { headers: OKTA_HEADERS });
    expect(list.body).toMatchObject({ schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(list.body.Resources[0].id).toBe(gid);

    const read = await client.request('GET', `/Groups/${gid}`, { headers: OKTA_HEADERS });
    expect(read.body).toMatchObject({ id: gid, displayName: 'Test SCIMv2' });

    const rename = await client.request('PATCH', `/Groups/${gid}`, {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: { id: gid, displayName: 'Test SCIMv20' } }],
      },
    });
    expect(rename.status).toBe(200);
    expect(rename.body).toMatchObject({ id: gid, displayName: 'Test SCIMv20' });

    // The documented membership update: remove someone who may not be a member, add the user.
    const membership = await client.request('PATCH', `/Groups/${gid}`, {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'remove', path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' },
          { op: 'add', path: 'members', value: [{ value: testUser, display: 'test.user@okta.local' }] },
        ],
      },
    });
    expect(membership.status).toBe(200);
    expect(membership.body).toMatchObject({ id: gid, displayName: 'Test SCIMv20' });
    expect(memberIds(membership.body)).toEqual([testUser]);

    const fullPush = await client.request('PATCH', `/Groups/${gid}`, {
      headers: OKTA_JSON,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          {
            op: 'replace',
            path: 'members',
            value: [
              { value: testUser, display: 'test.user@okta.local' },
              { value: other, display: 'test.user@okta.local' },
            ],
          },
        ],
      },
    });
    expect(fullPush.status).toBe(200);
    expect(memberIds(fullPush.body)).toEqual([testUser, other].sort());

    const removeOne = await client.request('PATCH', `/Groups/${gid}`, {
      headers: OKTA_JSON,
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${other}"]` }] },
    });
    expect(memberIds(removeOne.body)).toEqual([testUser]);

    const deleted = await client.request('DELETE', `/Groups/${gid}`, { headers: OKTA_HEADERS });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await client.request('GET', `/Groups/${gid}`)).status).toBe(404);
  });

  it('custom (AIW) integrations update the group with PUT, members included', async () => {
    const a = await user('a@okta.local');
    const b = await user('b@okta.local');
    const gid = (
      await client.request('POST', '/Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName: 'AIW group', members: [{ value: a }] },
      })
    ).body.id;
    const put = await client.request('PUT', `/Groups/${gid}`, {
      headers: OKTA_JSON,
      body: {
        schemas: [GROUP_SCHEMA],
        id: gid,
        displayName: 'AIW group renamed',
        members: [{ value: b, display: 'b@okta.local' }],
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.displayName).toBe('AIW group renamed');
    expect(memberIds(put.body)).toEqual([b]);
    expect((await client.request('GET', `/Users/${a}`)).body.groups ?? []).toEqual([]);
  });
});

describe("Okta's SCIM 2.0 test suite (Runscope)", () => {
  it('runs the suite: credentials, groups, random user absent, error schema, create, verify, unassign', async () => {
    // The first step asserts a non-empty Resources list, so the suite runs against an app with users.
    await client.request('POST', '/Users', {
      body: { schemas: [USER_SCHEMA], userName: 'existing@example.com' },
    });
    const credentials = await client.request('GET', '/Users?count=2&startIndex=1', { headers: OKTA_JSON });
    expect(credentials.status).toBe(200);
    expect(credentials.body.schemas).toContain(LIST);
    expect(credentials.body.Resources.length).toBeGreaterThan(0);
    for (const key of ['itemsPerPage', 'startIndex', 'totalResults']) {
      expect(typeof credentials.body[key]).toBe('number');
    }

    const groups = await client.request('GET', '/Groups?count=100&startIndex=1', { headers: OKTA_JSON });
    expect(groups.status).toBe(200);
    expect(groups.body.schemas).toContain(LIST);
    expect(typeof groups.body.startIndex).toBe('number');
    expect(typeof groups.body.totalResults).toBe('number');

    const absent = await client.request(
      'GET',
      `/Users?count=100&filter=${q('userName eq "tina.erickson@mailinator.com"')}&startIndex=1`,
      { headers: OKTA_JSON },
    );
    expect(absent.body.totalResults).toBe(0);

    const errorSchema = await client.request('GET', '/Users/9fd2bc4e0c9ab84ad1e6a1f4e2ffac6a', {
      headers: OKTA_JSON,
    });
    expect(errorSchema.status).toBe(404);
    expect(errorSchema.body.schemas).toContain(ERROR);
    expect(errorSchema.body.detail).toBeTruthy();

    const created = await client.request('POST', '/Users', {
      headers: OKTA_JSON,
      rawBody:
        '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"tina.erickson@mailinator.com","name":{"givenName":"Tina","familyName":"Erickson"},"emails":[{"primary":true,"value":"tina.erickson@mailinator.com","type":"work"}],"displayName":"Tina Erickson","locale":"en_US","userType":"In SCIM Group","externalId":"00u5hwkpq7IC0H7IS0h7","groups":[],"password":"y25bA4W3","active":true}',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      active: true,
      name: { familyName: 'Erickson', givenName: 'Tina' },
      userName: 'tina.erickson@mailinator.com',
    });
    expect(created.body.schemas).toContain(USER_SCHEMA);
    const idUserOne = created.body.id;

    const verify = await client.request('GET', `/Users/${idUserOne}`, { headers: OKTA_JSON });
    expect(verify.body).toMatchObject({
      userName: 'tina.erickson@mailinator.com',
      name: { familyName: 'Erickson', givenName: 'Tina' },
    });

    const unassign = await client.request('PATCH', `/Users/${idUserOne}`, {
      headers: OKTA_JSON,
      rawBody:
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}',
    });
    expect(unassign.status).toBe(200);
    expect(unassign.body.active).toBe(false);
  });
});

describe('Okta lifecycle: events, journal and membership views', () => {
  it('tests the connection, checks for the user, creates, reads, updates, deactivates and reactivates', async () => {
    // "Test API credentials": GET /Users?count=2&startIndex=1 with numbers as JSON numbers.
    const probe = await client.request('GET', '/Users?count=2&startIndex=1', {
      headers: { accept: 'application/scim+json' },
    });
    expect(probe.status).toBe(200);
    expect(probe.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
    });
    expect(typeof probe.body.totalResults).toBe('number');

    const exists = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "isabella@example.com"')}&startIndex=1&count=100`,
    );
    expect(exists.body.totalResults).toBe(0);

    const created = await client.request('POST', '/Users', {
      body: {
        schemas: [USER_SCHEMA],
        userName: 'isabella@example.com',
        name: { givenName: 'Isabella', familyName: 'Gonzalez' },
        emails: [{ primary: true, value: 'isabella@example.com', type: 'work' }],
        displayName: 'Isabella Gonzalez',
        locale: 'en-US',
        externalId: '00u1dhhb1fkIGP7RL1d8',
        groups: [],
        password: '1mz050nq',
        active: true,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.password).toBeUndefined();
    expect(created.body.active).toBe(true);

    const found = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "ISABELLA@example.com"')}&startIndex=1&count=100`,
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(id);

    const read = await client.request('GET', `/Users/${id}`);
    expect(read.body.name).toEqual({ givenName: 'Isabella', familyName: 'Gonzalez' });

    // Profile push: PUT with the full user.
    const put = await client.request('PUT', `/Users/${id}`, {
      body: { ...read.body, name: { givenName: 'Bella', familyName: 'Gonzalez' } },
    });
    expect(put.status).toBe(200);
    expect(put.body.name.givenName).toBe('Bella');

    // Deactivation and reactivation: PATCH replace with a value object.
    const deactivate = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] },
    });
    expect(deactivate.status).toBe(200);
    expect(deactivate.body.active).toBe(false);
    const reactivate = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: true } }] },
    });
    expect(reactivate.body.active).toBe(true);

    const duplicate = await client.request('POST', '/Users', {
      body: { schemas: [USER_SCHEMA], userName: 'isabella@example.com', externalId: '00u1dhhb1fkIGP7RL1d8' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.scimType).toBe('uniqueness');

    const missing = await client.request('GET', '/Users/010101010101');
    expect(missing.status).toBe(404);
    expect(missing.body.status).toBe('404');

    await client.scim.drainEvents();
    const journal = await client.store.readJournal({ tenantId: 'acme', resourceId: id });
    const types = journal.map((event) => event.type);
    expect(types).toContain('scim.user.provisioned');
    expect(types).toContain('scim.user.updated');
    expect(types).toContain('scim.user.deactivated');
    expect(types).toContain('scim.user.reactivated');
    const [credential] = await client.store.listCredentials('acme');
    expect(
      journal.every((event) => event.actor === credential!.id && typeof event.requestId === 'string'),
    ).toBe(true);
    expect(JSON.stringify(journal)).not.toContain('1mz050nq');
    expect((await client.store.getTenant('acme'))!.lastSyncAt).toBeDefined();
  });

  it('pushes a group: create, rename, add, remove and replace members, delete', async () => {
    const users: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      users.push(
        (
          await client.request('POST', '/Users', {
            body: { schemas: [USER_SCHEMA], userName: `${name}@example.com` },
          })
        ).body.id,
      );
    }
    const group = await client.request('POST', '/Groups', {
      body: { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [] },
    });
    expect(group.status).toBe(201);
    const gid = group.body.id;

    const renamed = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', value: { id: gid, displayName: 'Test SCIMv2 renamed' } }],
      },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('Test SCIMv2 renamed');

    const added = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          {
            op: 'add',
            path: 'members',
            value: [{ value: users[0], display: 'a@example.com' }, { value: users[1] }],
          },
        ],
      },
    });
    expect(added.status).toBe(200);
    expect(added.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [users[0], users[1]].sort(),
    );

    const removed = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'remove', path: `members[value eq "${users[0]}"]` }],
      },
    });
    expect(removed.body.members.map((m: { value: string }) => m.value)).toEqual([users[1]]);

    const replaced = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'members', value: [{ value: users[2] }, { value: users[0] }] }],
      },
    });
    expect(replaced.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [users[0], users[2]].sort(),
    );

    const read = await client.request('GET', `/Groups/${gid}`);
    expect(read.body.members).toHaveLength(2);
    expect(read.body.members[0].$ref).toMatch(/\/Users\//);
    const userView = await client.request('GET', `/Users/${users[2]}`);
    expect(userView.body.groups.map((g: { value: string }) => g.value)).toEqual([gid]);

    expect((await client.request('DELETE', `/Groups/${gid}`)).status).toBe(204);
    expect((await client.request('GET', `/Groups/${gid}`)).status).toBe(404);
    // Users are untouched.
    expect((await client.request('GET', `/Users/${users[2]}`)).status).toBe(200);

    await client.scim.drainEvents();
    const types = (await client.store.readJournal({ tenantId: 'acme', resourceId: gid })).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'scim.group.created',
        'scim.group.updated',
        'scim.group.members_added',
        'scim.group.members_removed',
        'scim.group.deleted',
      ]),
    );
  });
});
