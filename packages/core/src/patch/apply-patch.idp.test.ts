import { describe, expect, it } from 'vitest';
import type { ScimResource } from '../schema/types.js';
import { applyPatch } from './index.js';
import { ENTERPRISE, GROUP, USER, patch } from './test-fixtures.js';

// The PATCH requests that Microsoft Entra ID's and Okta's public SCIM documentation show, each
// applied to a resource, with the resource expected afterwards.

function entraUser(): ScimResource {
  return {
    schemas: [USER, ENTERPRISE],
    id: '6764549bef60420686bc',
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com',
    active: true,
    emails: [
      { primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' },
    ],
    name: { familyName: 'familyName', givenName: 'givenName' },
    [ENTERPRISE]: { employeeNumber: '4' },
    meta: { resourceType: 'User' },
  };
}

function entraGroup(): ScimResource {
  return {
    schemas: [GROUP],
    id: '927fa2c08dcb4a7fae9e',
    externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
    displayName: 'displayName',
    members: [{ value: 'a2bfd1d0bf6d4b15a66a', type: 'User' }],
    meta: { resourceType: 'Group' },
  };
}

describe('Microsoft Entra ID requests', () => {
  it('Update User [Multi-valued properties]: Replace emails[type eq "work"].value and name.familyName', () => {
    const { resource, delta } = applyPatch(
      entraUser(),
      patch(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ),
    );
    expect(resource).toEqual({
      ...entraUser(),
      emails: [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }],
      name: { familyName: 'updatedFamilyName', givenName: 'givenName' },
    });
    expect(delta.changedAttributes).toEqual(['emails', 'name.familyName']);
  });

  it('Update User [Single-valued properties]: Replace userName', () => {
    const { resource } = applyPatch(
      entraUser(),
      patch({ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }),
    );
    expect(resource).toEqual({
      ...entraUser(),
      userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
    });
  });

  it('Disable User: Replace active false (and the older "False" string)', () => {
    const expected = { ...entraUser(), active: false };
    expect(applyPatch(entraUser(), patch({ op: 'Replace', path: 'active', value: false })).resource).toEqual(
      expected,
    );
    expect(
      applyPatch(entraUser(), patch({ op: 'Replace', path: 'active', value: 'False' })).resource,
    ).toEqual(expected);
  });

  it('Add emails[type eq "work"].value when the user has no work email yet', () => {
    const user = { ...entraUser(), emails: [{ type: 'home', value: 'home@example.com' }] };
    const { resource } = applyPatch(
      user,
      patch(
        { op: 'Replace', path: 'title', value: 'tester' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'joe@example.com' },
      ),
    );
    expect(resource).toEqual({
      ...user,
      title: 'tester',
      emails: [
        { type: 'home', value: 'home@example.com' },
        { type: 'work', value: 'joe@example.com' },
      ],
    });
  });

  it('Replace of several attributes without path, with dotted and URN-qualified keys (pre-2020 Entra)', () => {
    const { resource } = applyPatch(
      entraUser(),
      patch({
        op: 'Replace',
        value: {
          displayName: 'Pvlo',
          'emails[type eq "work"].value': 'TestBcwqnm@test.microsoft.com',
          'name.givenName': 'Gtfd',
          'name.familyName': 'Pkqf',
          externalId: 'Eqpj',
          [`${ENTERPRISE}:employeeNumber`]: 'Eqpj',
        },
      }),
    );
    expect(resource).toEqual({
      ...entraUser(),
      displayName: 'Pvlo',
      emails: [{ primary: true, type: 'work', value: 'TestBcwqnm@test.microsoft.com' }],
      name: { givenName: 'Gtfd', familyName: 'Pkqf' },
      externalId: 'Eqpj',
      [ENTERPRISE]: { employeeNumber: 'Eqpj' },
    });
  });

  it('Add nickName (single-valued string) and the manager as a plain id', () => {
    const { resource } = applyPatch(
      entraUser(),
      patch(
        { op: 'Add', path: 'nickName', value: 'Babs' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: '2819c223-7f76-453a-919d-413861904646' },
      ),
    );
    expect(resource).toEqual({
      ...entraUser(),
      nickName: 'Babs',
      [ENTERPRISE]: { employeeNumber: '4', manager: { value: '2819c223-7f76-453a-919d-413861904646' } },
    });
  });

  it('Remove the manager', () => {
    const user = { ...entraUser(), [ENTERPRISE]: { employeeNumber: '4', manager: { value: 'm1' } } };
    const { resource } = applyPatch(user, patch({ op: 'Remove', path: `${ENTERPRISE}:manager` }));
    expect(resource).toEqual(entraUser());
  });

  it('Add an app role assignment to roles, with primary sent as the string "True"', () => {
    const { resource } = applyPatch(
      entraUser(),
      patch({
        op: 'Add',
        path: 'roles',
        value: [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
      }),
    );
    expect(resource).toEqual({
      ...entraUser(),
      roles: [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
    });
  });

  it('Update Group [Add Members]', () => {
    const { resource, delta } = applyPatch(
      entraGroup(),
      patch({
        name: 'addMember',
        op: 'Add',
        path: 'members',
        value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }],
      }),
    );
    expect(resource).toEqual({
      ...entraGroup(),
      members: [{ value: 'a2bfd1d0bf6d4b15a66a', type: 'User' }, { value: 'f648f8d5ea4e4cd38e9c' }],
    });
    expect(delta.members).toEqual({
      added: [{ value: 'f648f8d5ea4e4cd38e9c', type: 'User' }],
      removed: [],
      replaced: false,
    });
  });

  it('Update Group [Remove Members] with a value array', () => {
    const { resource, delta } = applyPatch(
      entraGroup(),
      patch({
        name: 'removeMember',
        op: 'Remove',
        path: 'members',
        value: [{ $ref: null, value: 'a2bfd1d0bf6d4b15a66a' }],
      }),
    );
    const { members: _removed, ...expected } = entraGroup();
    expect(resource).toEqual(expected);
    expect(delta.members).toEqual({ added: [], removed: ['a2bfd1d0bf6d4b15a66a'], replaced: false });
  });

  it('Update Group [Non-member attributes]: Replace displayName', () => {
    const { resource, delta } = applyPatch(
      entraGroup(),
      patch({
        op: 'Replace',
        path: 'displayName',
        value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
      }),
    );
    expect(resource).toEqual({
      ...entraGroup(),
      displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    });
    expect(delta).toEqual({ changedAttributes: ['displayName'] });
  });
});

function oktaUser(): ScimResource {
  return {
    schemas: [USER],
    id: '23a35c27-23d3-4c03-b4c5-6443c09e7173',
    userName: 'test.user@okta.local',
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
    displayName: 'Test User',
    active: true,
    meta: { resourceType: 'User' },
  };
}

function oktaGroup(): ScimResource {
  return {
    schemas: [GROUP],
    id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b',
    displayName: 'Test SCIMv2',
    members: [{ value: 'b1c794f24f4c49f4b5d503a4cb2686ea', display: 'SCIM 2 Group A', type: 'User' }],
    meta: { resourceType: 'Group' },
  };
}

describe('Okta requests', () => {
  it('Update a specific User: replace active false without path', () => {
    const { resource } = applyPatch(oktaUser(), patch({ op: 'replace', value: { active: false } }));
    expect(resource).toEqual({ ...oktaUser(), active: false });
  });

  it('Reactivate: replace active true', () => {
    const { resource } = applyPatch(
      { ...oktaUser(), active: false },
      patch({ op: 'replace', value: { active: true } }),
    );
    expect(resource).toEqual(oktaUser());
  });

  it('Update Group name: replace with the id echoed', () => {
    const { resource } = applyPatch(
      oktaGroup(),
      patch({
        op: 'replace',
        value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Test SCIMv2 renamed' },
      }),
    );
    expect(resource).toEqual({ ...oktaGroup(), displayName: 'Test SCIMv2 renamed' });
  });

  it('Update Group membership: add members', () => {
    const { resource } = applyPatch(
      oktaGroup(),
      patch({
        op: 'add',
        path: 'members',
        value: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }],
      }),
    );
    expect(resource).toEqual({
      ...oktaGroup(),
      members: [
        { value: 'b1c794f24f4c49f4b5d503a4cb2686ea', display: 'SCIM 2 Group A', type: 'User' },
        { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' },
      ],
    });
  });

  it('Update Group membership: remove members[value eq "..."]', () => {
    const { resource } = applyPatch(
      oktaGroup(),
      patch({ op: 'remove', path: 'members[value eq "b1c794f24f4c49f4b5d503a4cb2686ea"]' }),
    );
    const { members: _removed, ...expected } = oktaGroup();
    expect(resource).toEqual(expected);
  });

  it('Group Push: replace all members', () => {
    const { resource, delta } = applyPatch(
      oktaGroup(),
      patch({
        op: 'replace',
        path: 'members',
        value: [
          { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' },
          { value: '89bb1940-b905-4575-9e7f-6f887cfb368e', display: 'test.user2@okta.local' },
        ],
      }),
    );
    expect(resource.members).toEqual([
      { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' },
      { value: '89bb1940-b905-4575-9e7f-6f887cfb368e', display: 'test.user2@okta.local' },
    ]);
    expect(delta.members?.removed).toEqual(['b1c794f24f4c49f4b5d503a4cb2686ea']);
  });
});
