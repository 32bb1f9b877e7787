import { describe, expect, it } from 'vitest';
import { createSchemaRegistry, defineSchema } from '../schema/index.js';
import { applyPatch } from './index.js';
import { ENTERPRISE, PATCH_OP, bjensen, patch, tourGuides } from './test-fixtures.js';

const error = (scimType: string, detail?: string) =>
  expect.objectContaining({
    name: 'ScimError',
    status: 400,
    scimType,
    ...(detail === undefined ? {} : { detail: expect.stringContaining(detail) }),
  });

describe('applyPatch: the message', () => {
  it.each([
    ['not an object', 'nope'],
    ['an array', []],
    ['no schemas', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['the wrong schema', { schemas: ['urn:x'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['no Operations', { schemas: [PATCH_OP] }],
    ['empty Operations', { schemas: [PATCH_OP], Operations: [] }],
    ['an operation that is not an object', { schemas: [PATCH_OP], Operations: ['add'] }],
    ['an operation without op', { schemas: [PATCH_OP], Operations: [{ path: 'title', value: 'x' }] }],
    ['an unknown op', { schemas: [PATCH_OP], Operations: [{ op: 'merge', path: 'title', value: 'x' }] }],
  ])('is invalidSyntax with %s', (_case, body) => {
    expect(() => applyPatch(bjensen(), body)).toThrow(error('invalidSyntax'));
  });

  it('is invalidValue for an add or replace without value, naming the operation', () => {
    expect(() => applyPatch(bjensen(), patch({ op: 'title', path: 'x' }))).toThrow(error('invalidSyntax'));
    expect(() =>
      applyPatch(
        bjensen(),
        patch({ op: 'add', path: 'title', value: 'x' }, { op: 'replace', path: 'title' }),
      ),
    ).toThrow(error('invalidValue', 'Operations[1]'));
  });

  it('is invalidValue for a no-path add whose value is not an object', () => {
    expect(() => applyPatch(bjensen(), patch({ op: 'add', value: 'x' }))).toThrow(error('invalidValue'));
  });
});

describe('applyPatch: paths', () => {
  it.each([
    ['an unknown attribute', 'favouriteColour'],
    ['an unknown sub-attribute', 'name.nickname'],
    ['a filter on a singular attribute', 'name[givenName eq "x"]'],
    ['a malformed filter', 'emails[type eq]'],
    ['an unknown extension', 'urn:acme:unknown:2.0:User:x'],
    ['a path that is not a string', 42],
  ])('is invalidPath for %s', (_case, path) => {
    expect(() => applyPatch(bjensen(), patch({ op: 'replace', path, value: 'x' }))).toThrow(
      error('invalidPath'),
    );
  });

  it('names the failing operation and path in the detail', () => {
    expect(() =>
      applyPatch(
        bjensen(),
        patch({ op: 'add', path: 'title', value: 'x' }, { op: 'replace', path: 'nope', value: 1 }),
      ),
    ).toThrow(error('invalidPath', 'Operations[1] (replace "nope")'));
  });
});

describe('applyPatch: values and mutability', () => {
  it('is invalidValue for a wrong type, naming the attribute', () => {
    expect(() => applyPatch(bjensen(), patch({ op: 'replace', path: 'active', value: 'maybe' }))).toThrow(
      error('invalidValue', 'active'),
    );
    expect(() => applyPatch(bjensen(), patch({ op: 'replace', path: 'emails', value: [1] }))).toThrow(
      error('invalidValue'),
    );
  });

  it('is mutability for removing a required attribute (RFC 7644 3.5.2)', () => {
    expect(() => applyPatch(bjensen(), patch({ op: 'remove', path: 'userName' }))).toThrow(
      error('mutability', 'required'),
    );
  });

  it('is invalidValue for two primary values in a replace', () => {
    expect(() =>
      applyPatch(
        bjensen(),
        patch({
          op: 'replace',
          path: 'emails',
          value: [
            { value: 'a@x.org', primary: true },
            { value: 'b@x.org', primary: true },
          ],
        }),
      ),
    ).toThrow(error('invalidValue', 'primary'));
  });

  it.each([
    ['id', { op: 'replace', path: 'id', value: 'other' }],
    ['meta', { op: 'replace', path: 'meta.lastModified', value: '2020-01-01T00:00:00Z' }],
    ['remove id', { op: 'remove', path: 'id' }],
    ['groups (readOnly on User)', { op: 'add', path: 'groups', value: [{ value: 'g1' }] }],
    ['meta in a no-path value', { op: 'replace', value: { meta: { version: 'W/"9"' } } }],
  ])('is mutability for %s', (_case, operation) => {
    expect(() => applyPatch(bjensen(), patch(operation))).toThrow(error('mutability'));
  });

  it('is mutability for an immutable attribute that already has a value, not for one without', () => {
    const SCHEMA = 'urn:acme:params:scim:schemas:extension:hr:2.0:User';
    const registry = createSchemaRegistry({
      schemas: [
        defineSchema({
          id: SCHEMA,
          name: 'Hr',
          attributes: [{ name: 'badge', type: 'string', mutability: 'immutable' }],
        }),
      ],
      extensions: { User: [{ schema: SCHEMA, required: false }] },
    });
    const first = applyPatch(bjensen(), patch({ op: 'add', path: `${SCHEMA}:badge`, value: 'B-1' }), {
      registry,
    });
    expect(first.resource[SCHEMA]).toEqual({ badge: 'B-1' });
    // The same value again is no change.
    expect(
      applyPatch(first.resource, patch({ op: 'add', path: `${SCHEMA}:badge`, value: 'B-1' }), { registry })
        .delta,
    ).toEqual({ changedAttributes: [] });
    expect(() =>
      applyPatch(first.resource, patch({ op: 'replace', path: `${SCHEMA}:badge`, value: 'B-2' }), {
        registry,
      }),
    ).toThrow(error('mutability', 'immutable'));
    expect(() =>
      applyPatch(first.resource, patch({ op: 'remove', path: `${SCHEMA}:badge` }), { registry }),
    ).toThrow(error('mutability'));
  });

  it("is mutability for changing an existing member's immutable display", () => {
    expect(() =>
      applyPatch(
        tourGuides(),
        patch({
          op: 'replace',
          path: 'members[value eq "2819c223-7f76-453a-919d-413861904646"].display',
          value: 'B',
        }),
      ),
    ).toThrow(error('mutability'));
  });
});

describe('applyPatch: required values', () => {
  it.each([
    ['a replace with an empty userName', { op: 'replace', path: 'userName', value: '' }],
    ['a no-path replace with an empty userName', { op: 'replace', value: { userName: '' } }],
  ])('is invalidValue for %s (RFC 7643 4.1.1: non-empty)', (_case, operation) => {
    expect(() => applyPatch(bjensen(), patch(operation))).toThrow(
      error('invalidValue', '"userName" is required and must not be empty'),
    );
  });
});

describe('applyPatch: immutable sub-attributes of multi-valued values', () => {
  const DEVICES = 'urn:acme:params:scim:schemas:extension:devices:2.0:User';
  const registry = createSchemaRegistry({
    schemas: [
      defineSchema({
        id: DEVICES,
        name: 'Devices',
        attributes: [
          {
            name: 'devices',
            type: 'complex',
            multiValued: true,
            subAttributes: [
              { name: 'value', type: 'string', caseExact: true },
              { name: 'enrolledBy', type: 'string', mutability: 'immutable' },
              { name: 'label', type: 'string' },
            ],
          },
        ],
      }),
    ],
    extensions: { User: [{ schema: DEVICES, required: false }] },
  });
  const user = () => ({
    ...bjensen(),
    schemas: [...bjensen().schemas, DEVICES],
    [DEVICES]: { devices: [{ value: 'd1', enrolledBy: 'mdm', label: 'laptop' }] },
  });
  const run = (...operations: Record<string, unknown>[]) =>
    applyPatch(user(), patch(...operations), { registry });
  const changed = error('mutability', `${DEVICES}:devices[value eq "d1"].enrolledBy`);

  it.each([
    [
      'a replace of the whole list',
      { op: 'replace', path: `${DEVICES}:devices`, value: [{ value: 'd1', enrolledBy: 'x' }] },
    ],
    [
      'an add of an element with the same value',
      { op: 'add', path: `${DEVICES}:devices`, value: [{ value: 'd1', enrolledBy: 'x' }] },
    ],
    [
      'a replace of the element matched by a filter',
      { op: 'replace', path: `${DEVICES}:devices[value eq "d1"]`, value: { value: 'd1', enrolledBy: 'x' } },
    ],
    [
      'a no-path replace',
      { op: 'replace', value: { [DEVICES]: { devices: [{ value: 'd1', enrolledBy: 'x' }] } } },
    ],
  ])('is mutability for %s that changes one', (_case, operation) => {
    expect(() => run(operation)).toThrow(changed);
  });

  it('keeps an immutable sub-attribute a replace omits, and allows new and removed elements', () => {
    expect(
      run({ op: 'replace', path: `${DEVICES}:devices[value eq "d1"]`, value: { value: 'd1', label: 'L' } })
        .resource[DEVICES],
    ).toEqual({ devices: [{ value: 'd1', enrolledBy: 'mdm', label: 'L' }] });
    expect(
      run({
        op: 'replace',
        path: `${DEVICES}:devices`,
        value: [{ value: 'd1' }, { value: 'd2', enrolledBy: 'u' }],
      }).resource[DEVICES],
    ).toEqual({
      devices: [
        { value: 'd1', enrolledBy: 'mdm' },
        { value: 'd2', enrolledBy: 'u' },
      ],
    });
    expect(
      run({ op: 'replace', path: `${DEVICES}:devices`, value: [{ value: 'd2', enrolledBy: 'u' }] }).resource[
        DEVICES
      ],
    ).toEqual({ devices: [{ value: 'd2', enrolledBy: 'u' }] });
    expect(run({ op: 'add', path: `${DEVICES}:devices[value eq "d1"].label`, value: 'x' }).delta).toEqual({
      changedAttributes: [`${DEVICES}:devices`],
    });
  });

  it("is mutability for a replace of loaded members that changes a member's type", () => {
    expect(() =>
      applyPatch(
        tourGuides(),
        patch({
          op: 'replace',
          path: 'members',
          value: [{ value: '2819c223-7f76-453a-919d-413861904646', type: 'Group' }],
        }),
      ),
    ).toThrow(error('mutability', 'members[value eq "2819c223-7f76-453a-919d-413861904646"].type'));
  });
});

describe('applyPatch: atomicity', () => {
  it('changes nothing when a later operation fails, and never touches the input', () => {
    const input = bjensen();
    const snapshot = JSON.parse(JSON.stringify(input));
    expect(() =>
      applyPatch(
        input,
        patch(
          { op: 'replace', path: 'displayName', value: 'Changed' },
          { op: 'remove', path: 'emails' },
          { op: 'add', path: 'name.givenName', value: 'X' },
          { op: 'replace', path: 'id', value: 'boom' },
        ),
      ),
    ).toThrow(error('mutability', 'Operations[3]'));
    expect(input).toEqual(snapshot);
  });

  it('returns a resource that shares no objects with the input', () => {
    const input = bjensen();
    const { resource } = applyPatch(input, patch({ op: 'replace', path: 'title', value: 'x' }));
    (resource.name as Record<string, unknown>).givenName = 'mutated';
    (resource.emails as Record<string, unknown>[]).pop();
    expect(input).toEqual(bjensen());
  });
});

describe('applyPatch: prototype pollution', () => {
  it.each([
    '__proto__',
    'constructor',
    'prototype',
    '__proto__.polluted',
    'name.__proto__',
    'constructor.prototype',
  ])('rejects the path %s as invalidPath', (path) => {
    expect(() => applyPatch(bjensen(), patch({ op: 'add', path, value: { polluted: true } }))).toThrow(
      error('invalidPath'),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ignores such keys in values, also nested and in extension objects', () => {
    const body = JSON.parse(
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"name":{"__proto__":{"polluted":true},"givenName":"Ann"},"${ENTERPRISE}":{"__proto__":{"polluted":true},"department":"X"}}}]}`,
    );
    const { resource } = applyPatch(bjensen(), body);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(resource)).toBe(Object.prototype);
    expect(Object.hasOwn(resource, '__proto__')).toBe(false);
    expect(resource.name).toEqual({
      formatted: 'Ms. Barbara J Jensen, III',
      familyName: 'Jensen',
      givenName: 'Ann',
    });
    expect(Object.getPrototypeOf(resource.name)).toBe(Object.prototype);
    expect(resource[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'X' });
  });

  it('does not read filter values as forbidden names', () => {
    const user = { ...bjensen(), emails: [{ value: 'constructor@example.com', type: 'work' }] };
    const { resource } = applyPatch(
      user,
      patch({ op: 'remove', path: 'emails[value eq "constructor@example.com"]' }),
    );
    expect(resource).not.toHaveProperty('emails');
  });
});

describe('applyPatch: schemas', () => {
  it('drops the extension URN when its last attribute is removed, and adds it back', () => {
    const removed = applyPatch(
      bjensen(),
      patch(
        { op: 'remove', path: `${ENTERPRISE}:employeeNumber` },
        { op: 'remove', path: `${ENTERPRISE}:department` },
      ),
    ).resource;
    expect(removed).not.toHaveProperty(ENTERPRISE);
    expect(removed.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
    const added = applyPatch(
      removed,
      patch({ op: 'add', path: `${ENTERPRISE}:costCenter`, value: '4130' }),
    ).resource;
    expect(added[ENTERPRISE]).toEqual({ costCenter: '4130' });
    expect(added.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
  });

  it('accepts a path naming a whole extension, for add and remove', () => {
    const { resource } = applyPatch(
      bjensen(),
      patch({ op: 'add', path: ENTERPRISE, value: { division: 'Theme Parks' } }),
    );
    expect(resource[ENTERPRISE]).toEqual({
      employeeNumber: '701984',
      department: 'Tour Operations',
      division: 'Theme Parks',
    });
    const removed = applyPatch(bjensen(), patch({ op: 'remove', path: ENTERPRISE })).resource;
    expect(removed).not.toHaveProperty(ENTERPRISE);
    expect(removed.schemas).not.toContain(ENTERPRISE);
  });
});
