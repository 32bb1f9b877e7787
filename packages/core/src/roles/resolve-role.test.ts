import { describe, expect, it } from 'vitest';
import type { GroupRef, RoleSettings } from '../store/types.js';
import { resolveRole } from './index.js';

const admins: GroupRef = { id: 'g-admins', displayName: 'Admins', externalId: 'ext-admins' };
const editors: GroupRef = { id: 'g-editors', displayName: 'Editors', externalId: 'ext-editors' };
const viewers: GroupRef = { id: 'g-viewers', displayName: 'Viewers' };
const marketing: GroupRef = { id: 'g-marketing', displayName: 'Marketing' };

function settings(overrides: Partial<RoleSettings> = {}): RoleSettings {
  return {
    roles: ['owner', 'admin', 'editor', 'viewer'],
    defaultRole: 'viewer',
    deactivateUnmapped: false,
    mappings: [
      { match: 'displayName', value: 'admins', role: 'admin' },
      { match: 'externalId', value: 'ext-editors', role: 'editor' },
      { match: 'id', value: 'g-viewers', role: 'viewer' },
    ],
    ...overrides,
  };
}

describe('resolveRole: mappings', () => {
  it('grants the mapped role and names the group and the mapping', () => {
    expect(resolveRole(settings(), { active: true }, [admins])).toEqual({
      role: 'admin',
      status: 'active',
      reason: "granted by group 'Admins' (mapping displayName=admins -> admin)",
      grantedBy: admins,
    });
  });

  it('matches displayName case-insensitively, externalId and id exactly', () => {
    expect(resolveRole(settings(), {}, [{ id: 'x', displayName: 'ADMINS' }]).role).toBe('admin');
    expect(resolveRole(settings(), {}, [editors]).reason).toBe(
      "granted by group 'Editors' (mapping externalId=ext-editors -> editor)",
    );
    expect(resolveRole(settings(), {}, [{ id: 'y', displayName: 'E', externalId: 'EXT-EDITORS' }]).role).toBe(
      'viewer',
    );
    expect(resolveRole(settings(), {}, [viewers]).reason).toBe(
      "granted by group 'Viewers' (mapping id=g-viewers -> viewer)",
    );
    expect(resolveRole(settings(), {}, [{ id: 'G-VIEWERS', displayName: 'V' }]).reason).toBe('default role');
  });

  it('gives the highest-privilege role when several mapped groups apply, whatever their order', () => {
    const forward = resolveRole(settings(), {}, [viewers, editors, admins]);
    const backward = resolveRole(settings(), {}, [admins, editors, viewers]);
    expect(forward.role).toBe('admin');
    expect(forward.grantedBy).toEqual(admins);
    expect(backward).toEqual(forward);
  });

  it('prefers the earlier mapping when two mappings grant the same role', () => {
    const s = settings({
      mappings: [
        { match: 'displayName', value: 'Marketing', role: 'editor' },
        { match: 'externalId', value: 'ext-editors', role: 'editor' },
      ],
    });
    expect(resolveRole(s, {}, [editors, marketing]).grantedBy).toEqual(marketing);
  });

  it('ignores a mapping whose role is not one of the ordered roles', () => {
    const s = settings({ mappings: [{ match: 'displayName', value: 'Marketing', role: 'superuser' }] });
    expect(resolveRole(s, {}, [marketing])).toEqual({
      role: 'viewer',
      status: 'active',
      reason: 'default role',
    });
  });
});

describe('resolveRole: default role and unmapped users', () => {
  it('gives the default role to a user in no mapped group', () => {
    expect(resolveRole(settings(), { active: true }, [marketing])).toEqual({
      role: 'viewer',
      status: 'active',
      reason: 'default role',
    });
  });

  it('leaves a user without role but active when there is no default role', () => {
    expect(resolveRole(settings({ defaultRole: null }), {}, [])).toEqual({
      role: null,
      status: 'active',
      reason: 'no role: in no mapped group and no default role',
    });
  });

  it('deactivates a user in no mapped group with deactivateUnmapped', () => {
    expect(resolveRole(settings({ deactivateUnmapped: true }), { active: true }, [marketing])).toEqual({
      role: null,
      status: 'inactive',
      reason: 'deactivated: in no mapped group',
    });
  });

  it('deactivates on leaving the last mapped group and reactivates on joining one again', () => {
    const s = settings({ deactivateUnmapped: true });
    const inBoth = resolveRole(s, { active: true }, [admins, editors]);
    expect(inBoth).toMatchObject({ role: 'admin', status: 'active' });
    const leftAdmins = resolveRole(s, { active: true }, [editors]);
    expect(leftAdmins).toMatchObject({ role: 'editor', status: 'active' });
    const leftAll = resolveRole(s, { active: true }, [marketing]);
    expect(leftAll).toEqual({ role: null, status: 'inactive', reason: 'deactivated: in no mapped group' });
    const joinedAgain = resolveRole(s, { active: true }, [marketing, viewers]);
    expect(joinedAgain).toEqual({
      role: 'viewer',
      status: 'active',
      reason: "granted by group 'Viewers' (mapping id=g-viewers -> viewer)",
      grantedBy: viewers,
    });
  });
});

describe('resolveRole: active=false', () => {
  it('makes the user inactive regardless of groups, keeping the role they would have', () => {
    expect(resolveRole(settings(), { active: false }, [admins])).toEqual({
      role: 'admin',
      status: 'inactive',
      reason: 'deactivated by the identity provider (active=false)',
      grantedBy: admins,
    });
  });

  it('wins over deactivateUnmapped as the stated reason', () => {
    expect(resolveRole(settings({ deactivateUnmapped: true }), { active: false }, [])).toEqual({
      role: null,
      status: 'inactive',
      reason: 'deactivated by the identity provider (active=false)',
    });
  });

  it('treats an absent active as active', () => {
    expect(resolveRole(settings(), {}, []).status).toBe('active');
  });
});

describe('resolveRole: IdP role attribute', () => {
  const withAttribute = settings({ roleAttribute: 'urn:acme:scim:1.0:User:role' });

  it('wins over the default role when it names a known role (case-insensitively)', () => {
    expect(resolveRole(withAttribute, { roleAttribute: 'Editor' }, [marketing])).toEqual({
      role: 'editor',
      status: 'active',
      reason: "granted by the identity provider's urn:acme:scim:1.0:User:role 'editor'",
    });
  });

  it('wins over a mapped group with lower privilege', () => {
    expect(resolveRole(withAttribute, { roleAttribute: 'admin' }, [viewers]).role).toBe('admin');
  });

  it('loses to a mapped group with higher privilege', () => {
    const result = resolveRole(withAttribute, { roleAttribute: 'editor' }, [admins]);
    expect(result.role).toBe('admin');
    expect(result.grantedBy).toEqual(admins);
  });

  it('loses to a mapped group granting the same role, so the group is named', () => {
    const result = resolveRole(withAttribute, { roleAttribute: 'admin' }, [admins]);
    expect(result.reason).toBe("granted by group 'Admins' (mapping displayName=admins -> admin)");
  });

  it('keeps a user with a valid role attribute active under deactivateUnmapped', () => {
    const s = { ...withAttribute, deactivateUnmapped: true };
    expect(resolveRole(s, { roleAttribute: 'viewer' }, [])).toMatchObject({
      role: 'viewer',
      status: 'active',
    });
  });

  it('is ignored, and the reason says so, when the value is not a known role', () => {
    expect(resolveRole(withAttribute, { roleAttribute: 'superuser' }, [])).toEqual({
      role: 'viewer',
      status: 'active',
      reason:
        "default role (the identity provider's urn:acme:scim:1.0:User:role 'superuser' is not a known role)",
    });
  });

  it('is ignored when the settings name no role attribute, or when it is empty or null', () => {
    expect(resolveRole(settings(), { roleAttribute: 'owner' }, []).role).toBe('viewer');
    expect(resolveRole(withAttribute, { roleAttribute: null }, []).reason).toBe('default role');
    expect(resolveRole(withAttribute, { roleAttribute: '' }, []).reason).toBe('default role');
  });

  it('still yields to active=false', () => {
    expect(resolveRole(withAttribute, { roleAttribute: 'owner', active: false }, [])).toMatchObject({
      role: 'owner',
      status: 'inactive',
    });
  });
});
