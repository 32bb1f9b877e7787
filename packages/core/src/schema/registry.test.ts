import { describe, expect, it } from 'vitest';
import { defineSchema } from './define.js';
import { createSchemaRegistry, defaultSchemaRegistry } from './registry.js';
import { SCHEMA_URNS, type AttributeDefinition } from './types.js';
import { splitAttributePath } from './urn-path.js';

const PRODUCT = 'urn:acme:params:scim:schemas:extension:product:2.0:User';
const productSchema = defineSchema({
  id: PRODUCT,
  name: 'ProductUser',
  attributes: [
    { name: 'role', type: 'string' },
    { name: 'quotaBytes', type: 'integer' },
  ],
});

function attribute(schemaId: string, name: string): AttributeDefinition {
  const found = defaultSchemaRegistry.getSchema(schemaId)?.attributes.find((a) => a.name === name);
  if (found === undefined) throw new Error(`missing ${name}`);
  return found;
}

describe('built-in schemas', () => {
  it('has every RFC 7643 4.1 User attribute in order', () => {
    const names = defaultSchemaRegistry.getSchema(SCHEMA_URNS.user)?.attributes.map((a) => a.name);
    expect(names).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ]);
  });

  it('publishes the 8.7.1 characteristics of userName, password, groups and photos', () => {
    expect(attribute(SCHEMA_URNS.user, 'userName')).toMatchObject({
      type: 'string',
      multiValued: false,
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
    expect(attribute(SCHEMA_URNS.user, 'password')).toMatchObject({
      mutability: 'writeOnly',
      returned: 'never',
    });
    const groups = attribute(SCHEMA_URNS.user, 'groups');
    expect(groups).toMatchObject({ multiValued: true, mutability: 'readOnly' });
    expect(groups.subAttributes?.map((s) => [s.name, s.mutability])).toEqual([
      ['value', 'readOnly'],
      ['$ref', 'readOnly'],
      ['display', 'readOnly'],
      ['type', 'readOnly'],
    ]);
    expect(groups.subAttributes?.[1]?.referenceTypes).toEqual(['User', 'Group']);
    const photos = attribute(SCHEMA_URNS.user, 'photos');
    expect(photos.subAttributes?.[0]).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    expect(photos.subAttributes?.[2]?.canonicalValues).toEqual(['photo', 'thumbnail']);
    expect(attribute(SCHEMA_URNS.user, 'x509Certificates').subAttributes?.[0]?.type).toBe('binary');
    expect(attribute(SCHEMA_URNS.user, 'active').type).toBe('boolean');
    expect(attribute(SCHEMA_URNS.user, 'name').subAttributes?.map((s) => s.name)).toEqual([
      'formatted',
      'familyName',
      'givenName',
      'middleName',
      'honorificPrefix',
      'honorificSuffix',
    ]);
  });

  it('has the enterprise extension and Group', () => {
    expect(
      defaultSchemaRegistry.getSchema(SCHEMA_URNS.enterpriseUser)?.attributes.map((a) => a.name),
    ).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
    const manager = attribute(SCHEMA_URNS.enterpriseUser, 'manager');
    expect(manager.subAttributes?.map((s) => [s.name, s.mutability])).toEqual([
      ['value', 'readWrite'],
      ['$ref', 'readWrite'],
      ['displayName', 'readOnly'],
    ]);
    const members = attribute(SCHEMA_URNS.group, 'members');
    expect(members.subAttributes?.map((s) => s.name)).toEqual(['value', '$ref', 'type', 'display']);
    expect(members.subAttributes?.every((s) => s.mutability === 'immutable')).toBe(true);
  });

  it('has the User and Group resource types', () => {
    expect(defaultSchemaRegistry.getResourceTypeByEndpoint('users')?.name).toBe('User');
    expect(defaultSchemaRegistry.getResourceTypeByEndpoint('/Groups/')?.name).toBe('Group');
    expect(defaultSchemaRegistry.getResourceType('user')?.schemaExtensions).toEqual([
      { schema: SCHEMA_URNS.enterpriseUser, required: false },
    ]);
    expect(defaultSchemaRegistry.schemasOf('User').map((s) => s.id)).toEqual([
      SCHEMA_URNS.user,
      SCHEMA_URNS.enterpriseUser,
    ]);
    expect(
      defaultSchemaRegistry.resourceTypeForSchemas(['URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP'])?.name,
    ).toBe('Group');
  });
});

describe('resolve', () => {
  it('resolves case-insensitively to canonical names', () => {
    const resolved = defaultSchemaRegistry.resolve('user', { attribute: 'USERNAME' });
    expect(resolved).toMatchObject({ schema: SCHEMA_URNS.user, extension: false, attribute: 'userName' });
    expect(
      defaultSchemaRegistry.resolve('User', { attribute: 'Name', subAttribute: 'GIVENNAME' }),
    ).toMatchObject({
      attribute: 'name',
      subAttribute: 'givenName',
      leaf: { name: 'givenName', type: 'string' },
    });
  });

  it('resolves the common attributes', () => {
    expect(defaultSchemaRegistry.resolve('User', { attribute: 'id' })?.definition.returned).toBe('always');
    expect(defaultSchemaRegistry.resolve('Group', { attribute: 'externalId' })?.schema).toBe(
      SCHEMA_URNS.group,
    );
    expect(
      defaultSchemaRegistry.resolve('User', { attribute: 'meta', subAttribute: 'lastmodified' }),
    ).toMatchObject({
      attribute: 'meta',
      subAttribute: 'lastModified',
      leaf: { type: 'dateTime' },
    });
    expect(
      defaultSchemaRegistry.resolve('User', { schema: SCHEMA_URNS.user, attribute: 'id' })?.attribute,
    ).toBe('id');
  });

  it('resolves URN-qualified extension paths', () => {
    expect(
      defaultSchemaRegistry.resolve('User', {
        schema: SCHEMA_URNS.enterpriseUser.toUpperCase(),
        attribute: 'manager',
        subAttribute: 'value',
      }),
    ).toMatchObject({
      schema: SCHEMA_URNS.enterpriseUser,
      extension: true,
      attribute: 'manager',
      subAttribute: 'value',
    });
    expect(defaultSchemaRegistry.resolve('User', { attribute: 'department' })).toMatchObject({
      extension: true,
    });
    expect(
      defaultSchemaRegistry.resolve('Group', { schema: SCHEMA_URNS.enterpriseUser, attribute: 'department' }),
    ).toBeUndefined();
  });

  it('answers undefined for unknown paths', () => {
    expect(defaultSchemaRegistry.resolve('User', { attribute: 'nope' })).toBeUndefined();
    expect(
      defaultSchemaRegistry.resolve('User', { attribute: 'userName', subAttribute: 'x' }),
    ).toBeUndefined();
    expect(defaultSchemaRegistry.resolve('User', { attribute: '__proto__' })).toBeUndefined();
    expect(defaultSchemaRegistry.resolve('Nope', { attribute: 'id' })).toBeUndefined();
  });

  it('splits textual paths', () => {
    expect(
      splitAttributePath(defaultSchemaRegistry, 'User', `${SCHEMA_URNS.enterpriseUser}:manager.value`),
    ).toEqual({
      schema: SCHEMA_URNS.enterpriseUser,
      attribute: 'manager',
      subAttribute: 'value',
    });
    expect(
      splitAttributePath(defaultSchemaRegistry, 'User', SCHEMA_URNS.enterpriseUser.toLowerCase()),
    ).toEqual({
      schema: SCHEMA_URNS.enterpriseUser,
      attribute: '',
    });
    expect(splitAttributePath(defaultSchemaRegistry, 'User', 'name.givenName')).toEqual({
      attribute: 'name',
      subAttribute: 'givenName',
    });
    expect(splitAttributePath(defaultSchemaRegistry, 'User', 'urn:x:y:z')).toBeUndefined();
  });
});

describe('extend', () => {
  const registry = createSchemaRegistry({
    schemas: [productSchema],
    extensions: { user: [{ schema: PRODUCT, required: false }] },
  });

  it('attaches a product extension that resolves like a built-in', () => {
    expect(registry.schemasOf('User').map((s) => s.id)).toEqual([
      SCHEMA_URNS.user,
      SCHEMA_URNS.enterpriseUser,
      PRODUCT,
    ]);
    expect(registry.resolve('User', { schema: PRODUCT, attribute: 'QUOTABYTES' })).toMatchObject({
      extension: true,
      attribute: 'quotaBytes',
      leaf: { type: 'integer' },
    });
    expect(defaultSchemaRegistry.getSchema(PRODUCT)).toBeUndefined();
  });

  it('adds whole custom resource types', () => {
    const withDevices = registry.extend({
      schemas: [
        defineSchema({
          id: 'urn:acme:params:scim:schemas:core:2.0:Device',
          name: 'Device',
          attributes: [{ name: 'serial', type: 'string', required: true }],
        }),
      ],
      resourceTypes: [
        {
          name: 'Device',
          endpoint: '/Devices',
          schema: 'urn:acme:params:scim:schemas:core:2.0:Device',
          schemaExtensions: [],
        },
      ],
    });
    expect(withDevices.getResourceTypeByEndpoint('/devices')?.name).toBe('Device');
    expect(withDevices.resolve('Device', { attribute: 'id' })?.schema).toBe(
      'urn:acme:params:scim:schemas:core:2.0:Device',
    );
    expect(withDevices.resolve('device', { attribute: 'SERIAL' })?.attribute).toBe('serial');
    expect(withDevices.getSchema(PRODUCT)).toBeDefined();
  });

  it('rejects inconsistent or dangerous definitions', () => {
    expect(() =>
      createSchemaRegistry({ extensions: { User: [{ schema: 'urn:none', required: false }] } }),
    ).toThrow(TypeError);
    expect(() => createSchemaRegistry({ extensions: { Nope: [] } })).toThrow(/unknown resource type/);
    expect(() =>
      createSchemaRegistry({
        schemas: [
          {
            id: 'urn:a:b',
            name: 'x',
            attributes: [
              {
                name: 'constructor',
                type: 'string',
                multiValued: false,
                required: false,
                caseExact: false,
                mutability: 'readWrite',
                returned: 'default',
                uniqueness: 'none',
              },
            ],
          },
        ],
      }),
    ).toThrow(/not a valid SCIM attribute name/);
    expect(() =>
      defineSchema({ id: 'urn:a:b', name: 'x', attributes: [{ name: '__proto__', type: 'string' }] }),
    ).toThrow(TypeError);
    expect(() =>
      defineSchema({
        id: 'urn:a:b',
        name: 'x',
        attributes: [
          { name: 'a', type: 'string' },
          { name: 'A', type: 'string' },
        ],
      }),
    ).toThrow(/Duplicate/);
    expect(() =>
      defineSchema({ id: 'urn:a:b', name: 'x', attributes: [{ name: 'c', type: 'complex' }] }),
    ).toThrow(/subAttributes/);
    expect(() =>
      createSchemaRegistry({
        resourceTypes: [
          { name: 'Other', endpoint: '/users', schema: SCHEMA_URNS.group, schemaExtensions: [] },
        ],
      }),
    ).toThrow(/share endpoint/);
  });
});
