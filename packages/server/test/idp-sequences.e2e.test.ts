import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ENTERPRISE_SCHEMA,
  GROUP_SCHEMA,
  PATCH_SCHEMA,
  startServer,
  type TestClient,
  USER_SCHEMA,
} from './harness.js';

let client: TestClient;
beforeEach(async () => {
  client = await startServer();
});
afterEach(async () => {
  await client.close();
});

const q = (filter: string) => encodeURIComponent(filter);

describe('Okta request sequence (user lifecycle and group push)', () => {
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

describe('Microsoft Entra ID request sequence', () => {
  it('creates with the enterprise extension, then PATCHes with capitalised ops and string booleans', async () => {
    const lookup = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"')}`,
    );
    expect(lookup.body.totalResults).toBe(0);
    const created = await client.request('POST', '/Users', {
      body: {
        schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
        active: true,
        emails: [
          {
            primary: true,
            type: 'work',
            value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
          },
        ],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
        [ENTERPRISE_SCHEMA]: { employeeNumber: '42', department: 'Sales' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body[ENTERPRISE_SCHEMA].department).toBe('Sales');

    const byExternalId = await client.request(
      'GET',
      `/Users?filter=${q('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`,
    );
    expect(byExternalId.body.Resources[0].id).toBe(id);

    const patched = await client.request('PATCH', `/Users/${id}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          { op: 'Add', path: `${ENTERPRISE_SCHEMA}:manager`, value: 'manager-id-1' },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.emails[0].value).toBe('updatedEmail@microsoft.com');
    expect(patched.body.name.familyName).toBe('updatedFamilyName');
    expect(patched.body[ENTERPRISE_SCHEMA].manager.value).toBe('manager-id-1');

    const disabled = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);

    expect((await client.request('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await client.request('GET', `/Users/${id}`)).status).toBe(404);
  });

  it('provisions groups with add/remove members by value and queries without members', async () => {
    const u1 = (
      await client.request('POST', '/Users', { body: { schemas: [USER_SCHEMA], userName: 'u1@contoso.com' } })
    ).body.id;
    const u2 = (
      await client.request('POST', '/Users', { body: { schemas: [USER_SCHEMA], userName: 'u2@contoso.com' } })
    ).body.id;
    const created = await client.request('POST', '/Groups', {
      body: {
        schemas: [GROUP_SCHEMA],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      },
    });
    expect(created.status).toBe(201);
    const gid = created.body.id;

    const lookup = await client.request(
      'GET',
      `/Groups?excludedAttributes=members&filter=${q('displayName eq "displayName"')}`,
    );
    expect(lookup.body.totalResults).toBe(1);
    expect(lookup.body.Resources[0].members).toBeUndefined();

    const add = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          {
            op: 'Add',
            path: 'members',
            value: [
              { $ref: null, value: u1 },
              { $ref: null, value: u2 },
            ],
          },
        ],
      },
    });
    expect(add.status).toBe(200);
    const remove = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: u1 }] }],
      },
    });
    expect(remove.status).toBe(200);
    const members = await client.request('GET', `/Groups/${gid}?attributes=members`);
    expect(members.body.members.map((m: { value: string }) => m.value)).toEqual([u2]);

    const filtered = await client.request(
      'GET',
      `/Groups?filter=${q(`members[value eq "${u2}"]`)}&excludedAttributes=members`,
    );
    expect(filtered.body.totalResults).toBe(1);

    const rename = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          {
            op: 'Replace',
            path: 'displayName',
            value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
          },
        ],
      },
    });
    expect(rename.body.displayName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
  });
});

describe('Google Workspace, OneLogin and JumpCloud style requests', () => {
  it('accept application/json, PUT deactivation and filter by emails', async () => {
    const created = await client.request('POST', '/Users', {
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: {
        schemas: [USER_SCHEMA],
        userName: 'jc@example.com',
        name: { givenName: 'Jump', familyName: 'Cloud' },
        emails: [{ value: 'jc@example.com', type: 'work', primary: true }],
        active: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    const byEmail = await client.request(
      'GET',
      `/Users?filter=${q('emails[type eq "work" and value eq "jc@example.com"]')}`,
    );
    expect(byEmail.body.totalResults).toBe(1);
    const put = await client.request('PUT', `/Users/${created.body.id}`, {
      body: { schemas: [USER_SCHEMA], userName: 'jc@example.com', active: false },
    });
    expect(put.body.active).toBe(false);
    // PUT replaces: the emails it left out are gone.
    expect(put.body.emails).toBeUndefined();
    const afterPut = await client.request('GET', `/Users?filter=${q('emails.value eq "jc@example.com"')}`);
    expect(afterPut.body.totalResults).toBe(0);
  });
});
