import { describe, expect, it } from 'vitest';
import type { ScimResource } from '../schema/types.js';
import { applyPatch } from './index.js';
import { GROUP, patch, tourGuides } from './test-fixtures.js';

// With `membersExternal`, a group's members live apart: the resource carries none, and member
// operations only describe the change in `delta.members`.

function group(): ScimResource {
  return { schemas: [GROUP], id: 'g1', displayName: 'Engineering', meta: { resourceType: 'Group' } };
}

const external = { membersExternal: true };
const error = (scimType: string) => expect.objectContaining({ name: 'ScimError', status: 400, scimType });

describe('applyPatch with membersExternal', () => {
  it('turns an add into added MemberRefs, type defaulting to User', () => {
    const { resource, delta } = applyPatch(
      group(),
      patch({
        op: 'add',
        path: 'members',
        value: [
          { value: 'u1', display: 'Ann' },
          { value: 'g2', type: 'group' },
        ],
      }),
      external,
    );
    expect(resource).toEqual(group());
    expect(delta).toEqual({
      changedAttributes: ['members'],
      members: {
        added: [
          { value: 'u1', type: 'User', display: 'Ann' },
          { value: 'g2', type: 'Group' },
        ],
        removed: [],
        replaced: false,
      },
    });
  });

  it('turns members[value eq "id"] and or-joined ids into removed ids', () => {
    const { delta } = applyPatch(
      group(),
      patch(
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'remove', path: 'members[value eq "u2" or value eq "u3"]' },
      ),
      external,
    );
    expect(delta.members).toEqual({ added: [], removed: ['u1', 'u2', 'u3'], replaced: false });
  });

  it("turns Entra's remove with a value array into removed ids", () => {
    const { delta } = applyPatch(
      group(),
      patch({ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }),
      external,
    );
    expect(delta.members).toEqual({ added: [], removed: ['u1', 'u2'], replaced: false });
  });

  it("turns Okta's replace into a replaced set, and [] into an empty one", () => {
    const replaced = applyPatch(
      group(),
      patch({ op: 'replace', path: 'members', value: [{ value: 'u9', display: 'Zed' }] }),
      external,
    );
    expect(replaced.delta.members).toEqual({
      added: [{ value: 'u9', type: 'User', display: 'Zed' }],
      removed: [],
      replaced: true,
    });
    const emptied = applyPatch(group(), patch({ op: 'replace', path: 'members', value: [] }), external);
    expect(emptied.delta.members).toEqual({ added: [], removed: [], replaced: true });
  });

  it('treats a remove of "members" without value as replacing with none', () => {
    const { delta } = applyPatch(group(), patch({ op: 'remove', path: 'members' }), external);
    expect(delta.members).toEqual({ added: [], removed: [], replaced: true });
  });

  it('composes operations in order', () => {
    const { delta } = applyPatch(
      group(),
      patch(
        { op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'remove', path: 'members[value eq "u3"]' },
        { op: 'add', path: 'members', value: [{ value: 'u3' }] },
      ),
      external,
    );
    expect(delta.members).toEqual({
      added: [
        { value: 'u2', type: 'User' },
        { value: 'u3', type: 'User' },
      ],
      removed: ['u1'],
      replaced: false,
    });
  });

  it('after a replace, a removal only shrinks the new set', () => {
    const { delta } = applyPatch(
      group(),
      patch(
        { op: 'replace', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
        { op: 'remove', path: 'members[value eq "u1"]' },
      ),
      external,
    );
    expect(delta.members).toEqual({ added: [{ value: 'u2', type: 'User' }], removed: [], replaced: true });
  });

  it('handles members inside a no-path value along with other attributes', () => {
    const { resource, delta } = applyPatch(
      group(),
      patch({ op: 'replace', value: { displayName: 'Platform', members: [{ value: 'u5' }] } }),
      external,
    );
    expect(resource.displayName).toBe('Platform');
    expect(resource).not.toHaveProperty('members');
    expect(delta.changedAttributes).toEqual(['displayName', 'members']);
    expect(delta.members).toEqual({ added: [{ value: 'u5', type: 'User' }], removed: [], replaced: true });
  });

  it('leaves delta.members out when no member operation ran', () => {
    expect(
      applyPatch(group(), patch({ op: 'replace', path: 'displayName', value: 'X' }), external).delta,
    ).toEqual({
      changedAttributes: ['displayName'],
    });
  });

  it('needs loaded members for a remove filtering on anything but value', () => {
    expect(() =>
      applyPatch(group(), patch({ op: 'remove', path: 'members[type eq "Group"]' }), external),
    ).toThrow(
      expect.objectContaining({
        status: 400,
        scimType: 'invalidPath',
        detail: expect.stringContaining("needs the group's members loaded"),
      }),
    );
  });

  it('evaluates such a filter on the members when they are loaded', () => {
    const loaded = {
      ...tourGuides(),
      members: [
        { value: 'u1', type: 'User' },
        { value: 'g2', type: 'Group' },
      ],
    };
    const { resource, delta } = applyPatch(
      loaded,
      patch({ op: 'remove', path: 'members[type eq "Group"]' }),
      external,
    );
    expect(resource.members).toEqual([{ value: 'u1', type: 'User' }]);
    expect(delta.members).toEqual({ added: [], removed: ['g2'], replaced: false });
  });

  it('rejects member sub-attribute paths it cannot apply without the members', () => {
    expect(() =>
      applyPatch(
        group(),
        patch({ op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }),
        external,
      ),
    ).toThrow(error('invalidPath'));
  });

  it('rejects a member without an id and an unknown member type', () => {
    expect(() =>
      applyPatch(group(), patch({ op: 'add', path: 'members', value: [{ display: 'x' }] }), external),
    ).toThrow(error('invalidValue'));
    expect(() =>
      applyPatch(
        group(),
        patch({ op: 'add', path: 'members', value: [{ value: 'x', type: 'Robot' }] }),
        external,
      ),
    ).toThrow(error('invalidValue'));
  });
});
