/**
 * Microsoft Entra ID, replayed from its public SCIM documentation:
 * - "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"
 *   (learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups),
 *   section "SCIM protocol requests and responses": request bodies below are copied from it.
 * - "Known issues and resolutions with SCIM 2.0 protocol compliance"
 *   (application-provisioning-config-problem-scim-compatibility): the requests Entra sends with and
 *   without the `aadOptscim062020` flag.
 * - "Customize application attributes" (customize-application-attributes): app-role assignments.
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
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let client: TestClient;
afterEach(async () => {
  await client.close();
});

async function createUser(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await client.request('POST', '/Users', {
    body: { schemas: [USER_SCHEMA], userName, active: true, ...extra },
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

describe('Entra ID user operations (documented requests and responses)', () => {
  beforeEach(async () => {
    client = await startServer();
  });

  it('Test Connection: queries a random user and group and gets empty ListResponses', async () => {
    const users = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "a0b1c2d3-0000-4444-8888-random-user"')}`,
    );
    expect(users.status).toBe(200);
    expect(users.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(users.body).toEqual({
      schemas: [LIST],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    const groups = await client.request(
      'GET',
      `/Groups?excludedAttributes=members&filter=${q('displayName eq "a0b1c2d3-random-group"')}`,
    );
    expect(groups.status).toBe(200);
    expect(groups.body.totalResults).toBe(0);
  });

  it('Create User, Get User, Get User by query, zero results, 404 for an unknown id', async () => {
    const created = await client.request('POST', '/Users', {
      body: {
        schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        active: true,
        emails: [
          {
            primary: true,
            type: 'work',
            value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
          },
        ],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.headers.get('location')).toBe(`${client.baseUrl}/Users/${id}`);
    expect(created.body).toMatchObject({
      id,
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      emails: [
        {
          value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
          type: 'work',
          primary: true,
        },
      ],
      meta: { resourceType: 'User' },
    });
    expect(typeof created.body.meta.created).toBe('string');
    expect(typeof created.body.meta.lastModified).toBe('string');

    const read = await client.request('GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(id);

    const byQuery = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"')}`,
    );
    expect(byQuery.body).toMatchObject({ schemas: [LIST], totalResults: 1, startIndex: 1 });
    expect(byQuery.body.Resources[0].id).toBe(id);

    // Entra matches users on userName or on the work email (documented requirement for matching attributes).
    const byWorkEmail = await client.request(
      'GET',
      `/Users?filter=${q('emails[type eq "work"].value eq "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"')}`,
    );
    expect(byWorkEmail.status).toBe(200);
    expect(byWorkEmail.body.totalResults).toBe(1);
    expect(byWorkEmail.body.Resources[0].id).toBe(id);

    const zero = await client.request('GET', `/Users?filter=${q('userName eq "non-existent user"')}`);
    expect(zero.body).toEqual({
      schemas: [LIST],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });

    const missing = await client.request('GET', '/Users/5171a35d82074e068ce2');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ schemas: [ERROR], status: '404' });
  });

  it('Update User [Multi-valued properties] and [Single-valued properties]', async () => {
    const id = await createUser('Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee', {
      externalId: '6c75de36-30fa-4d2d-a196-6bdcdb6b6539',
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      emails: [{ value: 'Test_User_11bb11bb@testuser.com', type: 'work', primary: true }],
    });
    const multi = await client.request('PATCH', `/Users/${id}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ],
      },
    });
    expect(multi.status).toBe(200);
    expect(multi.body.emails).toEqual([{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }]);
    expect(multi.body.name.familyName).toBe('updatedFamilyName');

    const single = await client.request('PATCH', `/Users/${id}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
        ],
      },
    });
    expect(single.status).toBe(200);
    expect(single.body.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    const byNewName = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`,
    );
    expect(byNewName.body.totalResults).toBe(1);
  });

  it('Disable User (boolean, as documented) keeps the user readable and queryable; enabling restores it', async () => {
    const id = await createUser('deanruiz@testuser.com', {
      name: { familyName: 'Harris', givenName: 'Larry' },
      emails: [{ value: 'gloversuzanne@testuser.com', type: 'work', primary: true }],
      addresses: [{ country: 'ML', type: 'work', primary: true }],
    });
    const disabled = await client.request('PATCH', `/Users/${id}`, {
      body: {
        Operations: [{ op: 'Replace', path: 'active', value: false }],
        schemas: [PATCH_SCHEMA],
      },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    expect(disabled.body.addresses).toEqual([{ country: 'ML', type: 'work', primary: true }]);
    // "The user object should be returned in a request whether or not the user is active."
    expect((await client.request('GET', `/Users/${id}`)).body.active).toBe(false);
    const query = await client.request('GET', `/Users?filter=${q('userName eq "deanruiz@testuser.com"')}`);
    expect(query.body.totalResults).toBe(1);
    expect(query.body.Resources[0].active).toBe(false);

    const enabled = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: true }] },
    });
    expect(enabled.body.active).toBe(true);
  });

  it('Delete User: 204, then 404 on read, absent from queries', async () => {
    const id = await createUser('Test_User_delete@testuser.com');
    const deleted = await client.request('DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await client.request('GET', `/Users/${id}`)).status).toBe(404);
    const query = await client.request(
      'GET',
      `/Users?filter=${q('userName eq "Test_User_delete@testuser.com"')}`,
    );
    expect(query.body.totalResults).toBe(0);
    expect((await client.request('DELETE', `/Users/${id}`)).status).toBe(404);
  });

  it('a duplicate create answers 409 uniqueness in the SCIM error format', async () => {
    await createUser('dup@contoso.com', { externalId: 'first-object-id' });
    const duplicate = await client.request('POST', '/Users', {
      body: { schemas: [USER_SCHEMA], userName: 'DUP@contoso.com', externalId: 'other-object-id' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
  });
});

describe('Entra ID group operations (documented requests and responses)', () => {
  beforeEach(async () => {
    // Entra: "Update to the group PATCH request should yield an HTTP 204 No Content".
    client = await startServer({ policies: { patchResponse: 'no-content' } });
  });

  it('Create Group with the extra Microsoft schema URI, get, query by displayName, update, add and remove members, delete', async () => {
    const created = await client.request('POST', '/Groups', {
      body: {
        schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      },
    });
    expect(created.status).toBe(201);
    const gid = created.body.id;
    expect(created.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      id: gid,
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });

    const get = await client.request('GET', `/Groups/${gid}?excludedAttributes=members`);
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ id: gid, displayName: 'displayName' });
    expect(get.body.members).toBeUndefined();

    const byName = await client.request(
      'GET',
      `/Groups?excludedAttributes=members&filter=${q('displayName eq "displayName"')}`,
    );
    expect(byName.body).toMatchObject({ schemas: [LIST], totalResults: 1, startIndex: 1 });
    expect(byName.body.Resources[0].id).toBe(gid);
    expect(byName.body.Resources[0].members).toBeUndefined();

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
    expect(rename.status).toBe(204);
    expect(rename.text).toBe('');
    expect(rename.headers.get('etag')).toMatch(/^W\/"/);

    const member = await createUser('f648f8d5ea4e4cd38e9c@contoso.com');
    const add = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: member }] }],
      },
    });
    expect(add.status).toBe(204);
    // Entra checks membership with a filter on members (the "reference attribute" query).
    const isMember = await client.request(
      'GET',
      `/Groups?excludedAttributes=members&filter=${q(`id eq "${gid}" and members eq "${member}"`)}`,
    );
    expect(isMember.status).toBe(200);
    expect(isMember.body.totalResults).toBe(1);
    const userView = await client.request('GET', `/Users/${member}`);
    expect(userView.body.groups.map((g: { value: string }) => g.value)).toEqual([gid]);

    const remove = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: member }] }],
      },
    });
    expect(remove.status).toBe(204);
    const afterRemove = await client.request('GET', `/Groups/${gid}?attributes=members`);
    expect(afterRemove.body.members ?? []).toEqual([]);

    const read = await client.request('GET', `/Groups/${gid}`);
    expect(read.body.displayName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');

    expect((await client.request('DELETE', `/Groups/${gid}`)).status).toBe(204);
    expect((await client.request('GET', `/Groups/${gid}`)).status).toBe(404);
    // Deleting a group leaves its former members alone.
    expect((await client.request('GET', `/Users/${member}`)).status).toBe(200);
  });

  it('Discover schema: /Schemas is a ListResponse with User, Group and EnterpriseUser', async () => {
    const schemas = await client.request('GET', '/Schemas');
    expect(schemas.status).toBe(200);
    expect(schemas.body.schemas).toEqual([LIST]);
    const ids = schemas.body.Resources.map((schema: { id: string }) => schema.id);
    expect(ids).toEqual(expect.arrayContaining([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_SCHEMA]));
    const user = schemas.body.Resources.find((schema: { id: string }) => schema.id === USER_SCHEMA);
    const userName = user.attributes.find((attribute: { name: string }) => attribute.name === 'userName');
    expect(userName).toMatchObject({ mutability: 'readWrite', uniqueness: 'server', required: true });
  });
});

describe('Entra ID requests without and with the aadOptscim062020 flag (compliance page)', () => {
  beforeEach(async () => {
    client = await startServer();
  });

  it('disables a user with "value": "False" (without the flag) and false (with it)', async () => {
    const id = await createUser('flag@contoso.com');
    const withoutFlag = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
    });
    expect(withoutFlag.status).toBe(200);
    expect(withoutFlag.body.active).toBe(false);
    await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] },
    });
    const withFlag = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] },
    });
    expect(withFlag.body.active).toBe(false);
  });

  it('adds a single-value string attribute with "Add" and "add"', async () => {
    const id = await createUser('babs@contoso.com');
    const capital = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Add', path: 'nickName', value: 'Babs' }] },
    });
    expect(capital.body.nickName).toBe('Babs');
    const lower = await client.request('PATCH', `/Users/${id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'nickName', value: 'Barbara' }] },
    });
    expect(lower.body.nickName).toBe('Barbara');
  });

  it('replaces several attributes: one op per path (without the flag) and dotted keys in a no-path value (with it)', async () => {
    const id = await createUser('multi@contoso.com', {
      emails: [{ value: 'multi@contoso.com', type: 'work', primary: true }],
    });
    const withoutFlag = await client.request('PATCH', `/Users/${id}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'displayName', value: 'Pvlo' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
          { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
          { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
          { op: 'Replace', path: 'externalId', value: 'Eqpj' },
          { op: 'Replace', path: `${ENTERPRISE_SCHEMA}:employeeNumber`, value: 'Eqpj' },
        ],
      },
    });
    expect(withoutFlag.status).toBe(200);
    expect(withoutFlag.body).toMatchObject({
      displayName: 'Pvlo',
      emails: [{ value: 'TestBcwqnm@test.microsoft.com', type: 'work', primary: true }],
      name: { givenName: 'Gtfd', familyName: 'Pkqf' },
      externalId: 'Eqpj',
      [ENTERPRISE_SCHEMA]: { employeeNumber: 'Eqpj' },
    });
    expect(withoutFlag.body.schemas).toContain(ENTERPRISE_SCHEMA);

    const withFlag = await client.request('PATCH', `/Users/${id}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
          {
            op: 'replace',
            value: {
              displayName: 'Bjfe',
              'name.givenName': 'Kkom',
              'name.familyName': 'Unua',
              [`${ENTERPRISE_SCHEMA}:employeeNumber`]: 'Aklq',
            },
          },
        ],
      },
    });
    expect(withFlag.status).toBe(200);
    expect(withFlag.body).toMatchObject({
      displayName: 'Bjfe',
      emails: [{ value: 'TestMhvaes@test.microsoft.com', type: 'work', primary: true }],
      name: { givenName: 'Kkom', familyName: 'Unua' },
      externalId: 'Eqpj',
      [ENTERPRISE_SCHEMA]: { employeeNumber: 'Aklq' },
    });
    // The dotted keys were applied as paths, not stored as attributes named "name.givenName".
    expect(withFlag.body['name.givenName']).toBeUndefined();
  });

  it('removes a group member with a value list (without the flag) and with a filter path (with it)', async () => {
    const u1 = await createUser('u1091@contoso.com');
    const u2 = await createUser('u2@contoso.com');
    const u3 = await createUser('u3@contoso.com');
    const gid = (
      await client.request('POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Flagged' } })
    ).body.id;
    await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Add', path: 'members', value: [{ value: u1 }, { value: u2 }, { value: u3 }] }],
      },
    });
    const withoutFlag = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Remove', path: 'members', value: [{ value: u1 }] }],
      },
    });
    expect(withoutFlag.status).toBe(200);
    expect(withoutFlag.body.members.map((m: { value: string }) => m.value).sort()).toEqual([u2, u3].sort());
    const withFlag = await client.request('PATCH', `/Groups/${gid}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${u2}"]` }] },
    });
    expect(withFlag.body.members.map((m: { value: string }) => m.value)).toEqual([u3]);
  });
});

describe('Entra ID enterprise extension, manager and app roles', () => {
  beforeEach(async () => {
    client = await startServer();
  });

  it('accepts the manager as a plain id on create and in a PATCH, and answers it as a complex value', async () => {
    const boss = await createUser('boss@contoso.com');
    const created = await client.request('POST', '/Users', {
      body: {
        schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
        userName: 'report@contoso.com',
        active: true,
        [ENTERPRISE_SCHEMA]: { employeeNumber: '100009', department: 'Human Resources US', manager: boss },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE_SCHEMA]).toMatchObject({
      employeeNumber: '100009',
      department: 'Human Resources US',
      manager: { value: boss },
    });
    const other = await createUser('other-boss@contoso.com');
    const patched = await client.request('PATCH', `/Users/${created.body.id}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Add', path: `${ENTERPRISE_SCHEMA}:manager`, value: other }],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body[ENTERPRISE_SCHEMA].manager).toMatchObject({ value: other });
    const removed = await client.request('PATCH', `/Users/${created.body.id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Remove', path: `${ENTERPRISE_SCHEMA}:manager` }] },
    });
    expect(removed.status).toBe(200);
    expect(removed.body[ENTERPRISE_SCHEMA].manager).toBeUndefined();
  });

  it('provisions app roles: POST with "primary" as a string, PATCH adding a role whose value is JSON text', async () => {
    const created = await client.request('POST', '/Users', {
      body: {
        schemas: [USER_SCHEMA],
        externalId: 'alias',
        userName: 'alias@contoso.OnMicrosoft.com',
        active: true,
        displayName: 'First Name Last Name',
        meta: { resourceType: 'User' },
        roles: [
          { primary: 'False', type: 'WindowsAzureActiveDirectoryRole', display: 'Admin', value: 'Admin' },
          { primary: 'False', type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.roles).toEqual([
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Admin', value: 'Admin' },
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
    ]);
    const roleJson = '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}';
    const patched = await client.request('PATCH', `/Users/${created.body.id}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Add', path: 'roles', value: [{ value: roleJson }] }],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.roles.map((role: { value: string }) => role.value)).toEqual([
      'Admin',
      'User',
      roleJson,
    ]);
  });
});

describe('Entra ID: one user and one group through their whole lifecycle', () => {
  beforeEach(async () => {
    client = await startServer();
  });

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
