import { describe, expect, it } from 'vitest';
import { createSchemaRegistry, defineSchema } from '../schema/index.js';
import { DIALECT_NAMES, applyPatch, resolveDialects } from './index.js';
import { ENTERPRISE, bjensen, patch, tourGuides } from './test-fixtures.js';

const error = (scimType: string) => expect.objectContaining({ name: 'ScimError', status: 400, scimType });

describe('resolveDialects', () => {
  it('switches every rule on by default and only the named ones off', () => {
    const all = resolveDialects();
    expect(DIALECT_NAMES.every((name) => all[name])).toBe(true);
    const some = resolveDialects({ stringBooleans: false });
    expect(some.stringBooleans).toBe(false);
    expect(some.caseInsensitiveOps).toBe(true);
  });

  it('rejects an unknown rule name so a typo does not pass silently', () => {
    expect(() => resolveDialects({ stringBoolean: false })).toThrow(
      /Unknown PATCH dialect rule "stringBoolean"/,
    );
  });
});

describe('caseInsensitiveOps', () => {
  const body = patch({ op: 'Replace', path: 'title', value: 'CTO' });

  it('on: accepts "Replace", "ADD", "Remove"', () => {
    expect(applyPatch(bjensen(), body).resource.title).toBe('CTO');
    expect(applyPatch(bjensen(), patch({ op: 'ADD', path: 'nickName', value: 'B' })).resource.nickName).toBe(
      'B',
    );
    expect(applyPatch(bjensen(), patch({ op: 'Remove', path: 'title' })).resource).not.toHaveProperty(
      'title',
    );
  });

  it('off: only lower-case op names, with a hint', () => {
    expect(() => applyPatch(bjensen(), body, { dialects: { caseInsensitiveOps: false } })).toThrow(
      expect.objectContaining({ scimType: 'invalidSyntax', detail: expect.stringContaining('lower case') }),
    );
  });
});

describe('stringBooleans', () => {
  const body = patch({ op: 'replace', path: 'active', value: 'False' });

  it('on: "False" is false', () => {
    expect(applyPatch(bjensen(), body).resource.active).toBe(false);
  });

  it('off: a string for a boolean is invalidValue', () => {
    expect(() => applyPatch(bjensen(), body, { dialects: { stringBooleans: false } })).toThrow(
      error('invalidValue'),
    );
  });

  it('off: also inside complex values', () => {
    const primary = patch({ op: 'add', path: 'emails', value: [{ value: 'x@y.z', primary: 'true' }] });
    expect(() => applyPatch(bjensen(), primary, { dialects: { stringBooleans: false } })).toThrow(
      error('invalidValue'),
    );
  });
});

describe('stringNumbers', () => {
  const PRODUCT = 'urn:acme:params:scim:schemas:extension:product:2.0:User';
  const registry = createSchemaRegistry({
    schemas: [
      defineSchema({
        id: PRODUCT,
        name: 'ProductUser',
        attributes: [
          { name: 'quotaBytes', type: 'integer' },
          { name: 'ratio', type: 'decimal' },
        ],
      }),
    ],
    extensions: { User: [{ schema: PRODUCT, required: false }] },
  });
  const body = patch({ op: 'add', value: { [PRODUCT]: { quotaBytes: '1048576', ratio: '0.5' } } });

  it('on: "1048576" and "0.5" become numbers, and the extension joins schemas', () => {
    const { resource, delta } = applyPatch(bjensen(), body, { registry });
    expect(resource[PRODUCT]).toEqual({ quotaBytes: 1048576, ratio: 0.5 });
    expect(resource.schemas).toContain(PRODUCT);
    expect(delta.changedAttributes).toEqual([`${PRODUCT}:quotaBytes`, `${PRODUCT}:ratio`]);
  });

  it('off: a string for a number is invalidValue', () => {
    expect(() => applyPatch(bjensen(), body, { registry, dialects: { stringNumbers: false } })).toThrow(
      error('invalidValue'),
    );
  });
});

describe('dottedKeysInNoPathValue', () => {
  const body = patch({
    op: 'Replace',
    value: {
      'name.givenName': 'Babs',
      [`${ENTERPRISE}:department`]: 'R&D',
      'emails[type eq "work"].value': 'babs@example.com',
    },
  });

  it('on: each key is applied as a path', () => {
    const { resource } = applyPatch(bjensen(), body);
    expect(resource.name).toMatchObject({ givenName: 'Babs', familyName: 'Jensen' });
    expect(resource[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'R&D' });
    expect((resource.emails as Record<string, unknown>[])[0]).toEqual({
      value: 'babs@example.com',
      type: 'work',
      primary: true,
    });
  });

  it('off: such keys are not attributes and are ignored', () => {
    const { resource, delta } = applyPatch(bjensen(), body, { dialects: { dottedKeysInNoPathValue: false } });
    expect(resource).toEqual(bjensen());
    expect(delta.changedAttributes).toEqual([]);
  });

  it('off and strict: such keys are invalidPath', () => {
    expect(() =>
      applyPatch(bjensen(), body, { dialects: { dottedKeysInNoPathValue: false }, strict: true }),
    ).toThrow(error('invalidPath'));
  });
});

describe('removeMembersByValueArray', () => {
  const body = patch({
    op: 'Remove',
    path: 'members',
    value: [{ value: '2819c223-7f76-453a-919d-413861904646' }],
  });

  it('on: removes only the listed members', () => {
    const { resource } = applyPatch(tourGuides(), body);
    expect(resource.members).toEqual([
      { value: '902c246b-6245-4190-8e05-00816be7344a', display: 'Mandy Pepperidge', type: 'User' },
    ]);
  });

  it('on: works for other multi-valued attributes too', () => {
    const { resource } = applyPatch(
      bjensen(),
      patch({ op: 'remove', path: 'emails', value: [{ value: 'babs@jensen.org' }] }),
    );
    expect(resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  });

  it('off: RFC 7644 3.5.2.2, a remove without filter removes every member', () => {
    const { resource } = applyPatch(tourGuides(), body, { dialects: { removeMembersByValueArray: false } });
    expect(resource).not.toHaveProperty('members');
  });
});

describe('createMissingValuePathElement', () => {
  const user = () => ({ ...bjensen(), emails: [{ value: 'babs@jensen.org', type: 'home' }] });
  const body = patch({ op: 'Add', path: 'emails[type eq "work"].value', value: 'bjensen@example.com' });

  it('on: creates the element the filter describes', () => {
    const { resource } = applyPatch(user(), body);
    expect(resource.emails).toEqual([
      { value: 'babs@jensen.org', type: 'home' },
      { type: 'work', value: 'bjensen@example.com' },
    ]);
  });

  it('on: also for replace, and for a whole element', () => {
    const { resource } = applyPatch(
      user(),
      patch({ op: 'replace', path: 'phoneNumbers[type eq "mobile"]', value: { value: '+1 555 0100' } }),
    );
    expect(resource.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
  });

  it('on: a filter that does not describe one element still fails with noTarget', () => {
    const { emails: _ignored, ...withoutEmails } = user();
    expect(() =>
      applyPatch(withoutEmails, patch({ op: 'add', path: 'emails[type ne "work"].value', value: 'x@y.z' })),
    ).toThrow(error('noTarget'));
  });

  it('off: noTarget', () => {
    expect(() => applyPatch(user(), body, { dialects: { createMissingValuePathElement: false } })).toThrow(
      error('noTarget'),
    );
  });
});

describe('managerAsString', () => {
  const body = patch({
    op: 'Add',
    path: `${ENTERPRISE}:manager`,
    value: '26118915-6090-4610-87e4-49d8ca9f808d',
  });

  it('on: a plain id becomes { value }', () => {
    const { resource } = applyPatch(bjensen(), body);
    expect(resource[ENTERPRISE]).toMatchObject({
      manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
    });
  });

  it('on: { value } is accepted as it is', () => {
    const { resource } = applyPatch(
      bjensen(),
      patch({ op: 'add', path: `${ENTERPRISE}:manager`, value: { value: 'm1', displayName: 'ignored' } }),
    );
    // displayName is readOnly: the service provider fills it, never the client.
    expect((resource[ENTERPRISE] as Record<string, unknown>).manager).toEqual({ value: 'm1' });
  });

  it('off: a string for a complex attribute is invalidValue', () => {
    expect(() => applyPatch(bjensen(), body, { dialects: { managerAsString: false } })).toThrow(
      error('invalidValue'),
    );
  });
});

describe('emptyMembersReplaceMeansNone', () => {
  const body = patch({ op: 'replace', path: 'members', value: [] });

  it('on: replacing members with [] leaves none', () => {
    const { resource, delta } = applyPatch(tourGuides(), body);
    expect(resource).not.toHaveProperty('members');
    expect(delta.members?.removed).toHaveLength(2);
  });

  it('on: also with null, and for other attributes', () => {
    const { resource } = applyPatch(bjensen(), patch({ op: 'replace', path: 'displayName', value: null }));
    expect(resource).not.toHaveProperty('displayName');
  });

  it('on: never clears a required attribute (mutability, RFC 7644 3.5.2)', () => {
    expect(() => applyPatch(bjensen(), patch({ op: 'replace', path: 'userName', value: null }))).toThrow(
      error('mutability'),
    );
  });

  it('off: an empty replace is invalidValue', () => {
    expect(() =>
      applyPatch(tourGuides(), body, { dialects: { emptyMembersReplaceMeansNone: false } }),
    ).toThrow(error('invalidValue'));
  });
});

describe('unchangedReadOnlyInValue', () => {
  const body = patch({
    op: 'replace',
    value: { id: 'acbf3ae7-8463-4692-b4fd-9b4da3f908ce', displayName: 'Tour Leaders' },
  });

  it("on: Okta's echoed id is ignored when it equals the resource's", () => {
    expect(applyPatch(tourGuides(), body).resource.displayName).toBe('Tour Leaders');
  });

  it('on: a different id is still mutability', () => {
    expect(() => applyPatch(tourGuides(), patch({ op: 'replace', value: { id: 'other' } }))).toThrow(
      error('mutability'),
    );
  });

  it('off: any readOnly attribute in the value is mutability', () => {
    expect(() => applyPatch(tourGuides(), body, { dialects: { unchangedReadOnlyInValue: false } })).toThrow(
      error('mutability'),
    );
  });
});

describe('singleValueForMultiValued', () => {
  const body = patch({ op: 'add', path: 'phoneNumbers', value: { value: '+1 555 0100', type: 'work' } });

  it('on: one object is one element', () => {
    expect(applyPatch(bjensen(), body).resource.phoneNumbers).toEqual([
      { value: '+1 555 0100', type: 'work' },
    ]);
  });

  it('off: invalidValue', () => {
    expect(() => applyPatch(bjensen(), body, { dialects: { singleValueForMultiValued: false } })).toThrow(
      error('invalidValue'),
    );
  });
});

describe('removeAbsentMemberIsNoOp', () => {
  const body = patch({ op: 'remove', path: 'members[value eq "not-a-member"]' });

  it('on: removing someone who is not a member changes nothing', () => {
    const { resource, delta } = applyPatch(tourGuides(), body);
    expect(resource).toEqual(tourGuides());
    expect(delta).toEqual({ changedAttributes: [] });
  });

  it('on: also for a value array', () => {
    const { resource } = applyPatch(
      tourGuides(),
      patch({ op: 'remove', path: 'members', value: [{ value: 'not-a-member' }] }),
    );
    expect(resource).toEqual(tourGuides());
  });

  it('off: noTarget', () => {
    expect(() => applyPatch(tourGuides(), body, { dialects: { removeAbsentMemberIsNoOp: false } })).toThrow(
      error('noTarget'),
    );
  });
});
