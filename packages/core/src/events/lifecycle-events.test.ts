import { describe, expect, it } from 'vitest';
import type { ScimResource } from '../schema/types.js';
import type { AccessState } from '../store/types.js';
import { resolveRole } from '../roles/index.js';
import { lifecycleEvents } from './index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const ann: ScimResource = {
  schemas: [USER],
  id: 'u1',
  userName: 'ann@example.com',
  active: true,
  name: { givenName: 'Ann', familyName: 'Lee' },
  meta: { version: 'W/"1"' },
};

const admin: AccessState = { role: 'admin', status: 'active', reason: 'granted by group' };
const viewer: AccessState = { role: 'viewer', status: 'active', reason: 'default role' };
const none: AccessState = { role: null, status: 'inactive', reason: 'deactivated: in no mapped group' };

describe('lifecycleEvents: users', () => {
  it('reports a creation as user.provisioned with the initial access', () => {
    expect(
      lifecycleEvents({ resourceType: 'User', resourceId: 'u1', after: ann, accessAfter: viewer }),
    ).toEqual([
      {
        type: 'user.provisioned',
        resourceType: 'User',
        resourceId: 'u1',
        data: { active: true, role: 'viewer', status: 'active' },
      },
    ]);
  });

  it('reports changed attributes, ignoring meta', () => {
    const after = {
      ...ann,
      name: { givenName: 'Anne', familyName: 'Lee' },
      title: 'CTO',
      [ENTERPRISE]: { department: 'R&D' },
      meta: { version: 'W/"2"' },
    };
    expect(lifecycleEvents({ resourceType: 'User', resourceId: 'u1', before: ann, after })).toEqual([
      {
        type: 'user.updated',
        resourceType: 'User',
        resourceId: 'u1',
        changedAttributes: ['name.givenName', 'title', `${ENTERPRISE}:department`],
      },
    ]);
  });

  it('uses the PATCH delta for changed attributes when given', () => {
    const after = { ...ann, title: 'CTO' };
    const events = lifecycleEvents({
      resourceType: 'User',
      resourceId: 'u1',
      before: ann,
      after,
      delta: { changedAttributes: ['title'] },
    });
    expect(events).toEqual([
      { type: 'user.updated', resourceType: 'User', resourceId: 'u1', changedAttributes: ['title'] },
    ]);
  });

  it('emits nothing when nothing changed', () => {
    expect(
      lifecycleEvents({ resourceType: 'User', resourceId: 'u1', before: ann, after: { ...ann } }),
    ).toEqual([]);
  });

  it('reports active turning false as user.deactivated and back as user.reactivated', () => {
    const inactive = { ...ann, active: false };
    expect(lifecycleEvents({ resourceType: 'User', resourceId: 'u1', before: ann, after: inactive })).toEqual(
      [
        { type: 'user.updated', resourceType: 'User', resourceId: 'u1', changedAttributes: ['active'] },
        { type: 'user.deactivated', resourceType: 'User', resourceId: 'u1', data: { cause: 'active=false' } },
      ],
    );
    const types = lifecycleEvents({
      resourceType: 'User',
      resourceId: 'u1',
      before: inactive,
      after: ann,
    }).map((event) => [event.type, event.data]);
    expect(types).toEqual([
      ['user.updated', undefined],
      ['user.reactivated', { cause: 'active=true' }],
    ]);
  });

  it('reports deprovisioning as user.deactivated and a hard delete as user.deleted', () => {
    expect(
      lifecycleEvents({ resourceType: 'User', resourceId: 'u1', before: ann, deprovisioned: true }),
    ).toEqual([
      { type: 'user.deactivated', resourceType: 'User', resourceId: 'u1', data: { cause: 'deprovisioned' } },
    ]);
    expect(lifecycleEvents({ resourceType: 'User', resourceId: 'u1', before: ann, deleted: true })).toEqual([
      { type: 'user.deleted', resourceType: 'User', resourceId: 'u1' },
    ]);
  });

  it('reports restoring a deprovisioned user as user.reactivated (plus user.updated when data changed)', () => {
    const events = lifecycleEvents({
      resourceType: 'User',
      resourceId: 'u1',
      before: ann,
      after: { ...ann, title: 'CFO' },
      restored: true,
    });
    expect(events.map((event) => event.type)).toEqual(['user.updated', 'user.reactivated']);
    expect(events[1]?.data).toEqual({ cause: 'restored' });
  });

  it('reports a change of role or status as role.changed with old and new values', () => {
    expect(
      lifecycleEvents({
        resourceType: 'User',
        resourceId: 'u1',
        before: ann,
        after: ann,
        accessBefore: admin,
        accessAfter: none,
      }),
    ).toEqual([
      {
        type: 'role.changed',
        resourceType: 'User',
        resourceId: 'u1',
        data: {
          oldRole: 'admin',
          newRole: null,
          oldStatus: 'active',
          newStatus: 'inactive',
          reason: 'deactivated: in no mapped group',
        },
      },
    ]);
    expect(
      lifecycleEvents({
        resourceType: 'User',
        resourceId: 'u1',
        accessBefore: viewer,
        accessAfter: { ...viewer },
      }),
    ).toEqual([]);
  });
});

describe('lifecycleEvents with resolveRole: leaving and rejoining mapped groups', () => {
  it('reports leaving the last mapped group and joining one again as role.changed, not as IdP deactivation', () => {
    const settings = {
      roles: ['admin', 'viewer'],
      defaultRole: 'viewer',
      deactivateUnmapped: true,
      mappings: [{ match: 'displayName' as const, value: 'Admins', role: 'admin' }],
    };
    const admins = { id: 'g1', displayName: 'Admins' };
    const inAdmins = resolveRole(settings, { active: true }, [admins]);
    const inNone = resolveRole(settings, { active: true }, []);
    const back = resolveRole(settings, { active: true }, [admins]);
    const step = (accessBefore: AccessState, accessAfter: AccessState) =>
      lifecycleEvents({
        resourceType: 'User',
        resourceId: 'u1',
        before: ann,
        after: ann,
        accessBefore,
        accessAfter,
      });

    expect(step(inAdmins, inNone)).toEqual([
      {
        type: 'role.changed',
        resourceType: 'User',
        resourceId: 'u1',
        data: {
          oldRole: 'admin',
          newRole: null,
          oldStatus: 'active',
          newStatus: 'inactive',
          reason: 'deactivated: in no mapped group',
        },
      },
    ]);
    expect(step(inNone, back)).toEqual([
      {
        type: 'role.changed',
        resourceType: 'User',
        resourceId: 'u1',
        data: {
          oldRole: null,
          newRole: 'admin',
          oldStatus: 'inactive',
          newStatus: 'active',
          reason: "granted by group 'Admins' (mapping displayName=Admins -> admin)",
        },
      },
    ]);
  });
});

describe('lifecycleEvents: groups', () => {
  const admins: ScimResource = { schemas: [GROUP], id: 'g1', displayName: 'Admins' };

  it('reports group.created and its initial members', () => {
    const after = { ...admins, members: [{ value: 'u1' }, { value: 'u2' }] };
    expect(lifecycleEvents({ resourceType: 'Group', resourceId: 'g1', after })).toEqual([
      { type: 'group.created', resourceType: 'Group', resourceId: 'g1' },
      {
        type: 'group.members_added',
        resourceType: 'Group',
        resourceId: 'g1',
        data: { memberIds: ['u1', 'u2'] },
      },
    ]);
  });

  it('reports a rename as group.updated and member changes from the delta', () => {
    const events = lifecycleEvents({
      resourceType: 'Group',
      resourceId: 'g1',
      before: admins,
      after: { ...admins, displayName: 'Administrators' },
      delta: {
        changedAttributes: ['displayName', 'members'],
        members: { added: [{ value: 'u3', type: 'User' }], removed: ['u1'], replaced: false },
      },
    });
    expect(events).toEqual([
      { type: 'group.updated', resourceType: 'Group', resourceId: 'g1', changedAttributes: ['displayName'] },
      { type: 'group.members_added', resourceType: 'Group', resourceId: 'g1', data: { memberIds: ['u3'] } },
      { type: 'group.members_removed', resourceType: 'Group', resourceId: 'g1', data: { memberIds: ['u1'] } },
    ]);
  });

  it('prefers the member change the store really applied', () => {
    const events = lifecycleEvents({
      resourceType: 'Group',
      resourceId: 'g1',
      before: admins,
      after: admins,
      delta: {
        changedAttributes: ['members'],
        members: { added: [{ value: 'u9', type: 'User' }], removed: [], replaced: true },
      },
      members: { added: ['u9'], removed: ['u1', 'u2'] },
    });
    expect(events).toEqual([
      { type: 'group.members_added', resourceType: 'Group', resourceId: 'g1', data: { memberIds: ['u9'] } },
      {
        type: 'group.members_removed',
        resourceType: 'Group',
        resourceId: 'g1',
        data: { memberIds: ['u1', 'u2'] },
      },
    ]);
  });

  it('marks a replace whose removals are unknown', () => {
    const events = lifecycleEvents({
      resourceType: 'Group',
      resourceId: 'g1',
      before: admins,
      after: admins,
      delta: {
        changedAttributes: ['members'],
        members: { added: [{ value: 'u9', type: 'User' }], removed: [], replaced: true },
      },
    });
    expect(events).toEqual([
      {
        type: 'group.members_added',
        resourceType: 'Group',
        resourceId: 'g1',
        data: { memberIds: ['u9'], replaced: true },
      },
    ]);
  });

  it('diffs loaded members when there is no delta', () => {
    const before = { ...admins, members: [{ value: 'u1' }, { value: 'u2' }] };
    const after = { ...admins, members: [{ value: 'u2' }, { value: 'u3' }] };
    expect(
      lifecycleEvents({ resourceType: 'Group', resourceId: 'g1', before, after }).map((e) => [
        e.type,
        e.data,
      ]),
    ).toEqual([
      ['group.members_added', { memberIds: ['u3'] }],
      ['group.members_removed', { memberIds: ['u1'] }],
    ]);
  });

  it('reports group.deleted', () => {
    expect(
      lifecycleEvents({ resourceType: 'Group', resourceId: 'g1', before: admins, deleted: true }),
    ).toEqual([{ type: 'group.deleted', resourceType: 'Group', resourceId: 'g1' }]);
  });
});
