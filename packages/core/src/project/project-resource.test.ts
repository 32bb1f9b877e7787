import { describe, expect, it } from 'vitest';
import { defineSchema } from '../schema/define.js';
import { createSchemaRegistry } from '../schema/registry.js';
import { SCHEMA_URNS, type ScimResource } from '../schema/types.js';
import { projectResource, projectResources } from './project-resource.js';

const USER = SCHEMA_URNS.user;
const ENTERPRISE = SCHEMA_URNS.enterpriseUser;
const PRODUCT = 'urn:acme:params:scim:schemas:extension:product:2.0:User';

const user: ScimResource = {
  schemas: [USER, ENTERPRISE],
  id: 'u1',
  externalId: 'ext-1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  password: 'secret',
  emails: [
    { value: 'b@work', type: 'work', primary: true },
    { value: 'b@home', type: 'home' },
  ],
  [ENTERPRISE]: { department: 'R&D', manager: { value: 'm1', displayName: 'Boss' } },
  meta: {
    resourceType: 'User',
    created: '2024-01-01T00:00:00Z',
    lastModified: '2024-01-02T00:00:00Z',
    location: 'https://x/Users/u1',
    version: 'W/"2"',
  },
};

const project = (options: { attributes?: string | string[]; excludedAttributes?: string | string[] }) =>
  projectResource(user, { resourceType: 'User', ...options });

describe('projectResource', () => {
  it('returns default attributes without the password', () => {
    const { password: _password, ...expected } = user;
    expect(project({})).toEqual(expected);
  });

  it('keeps the key order of the input and leaves an own __proto__ key out without touching prototypes', () => {
    const { password: _password, ...expected } = user;
    expect(Object.keys(project({}))).toEqual(Object.keys(expected));
    const odd: ScimResource = { ...user };
    Object.defineProperty(odd, '__proto__', { value: { polluted: true }, enumerable: true });
    const projected = projectResource(odd, { resourceType: 'User' });
    expect(Object.hasOwn(projected, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(projected)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(projected).toEqual(expected);
  });

  it('returns only requested attributes plus id, schemas and meta.resourceType', () => {
    expect(project({ attributes: 'userName' })).toEqual({
      schemas: [USER, ENTERPRISE],
      id: 'u1',
      userName: 'bjensen',
      meta: { resourceType: 'User' },
    });
  });

  it('selects sub-attributes, case-insensitively, in lists and singular complex values', () => {
    expect(project({ attributes: ['NAME.givenName', 'emails.value'] })).toEqual({
      schemas: [USER, ENTERPRISE],
      id: 'u1',
      name: { givenName: 'Barbara' },
      emails: [{ value: 'b@work' }, { value: 'b@home' }],
      meta: { resourceType: 'User' },
    });
  });

  it('selects URN-qualified extension attributes and whole extensions', () => {
    expect(project({ attributes: `${ENTERPRISE}:manager.value` })).toMatchObject({
      [ENTERPRISE]: { manager: { value: 'm1' } },
    });
    expect(project({ attributes: `${ENTERPRISE}:department,userName` })).toEqual({
      schemas: [USER, ENTERPRISE],
      id: 'u1',
      userName: 'bjensen',
      [ENTERPRISE]: { department: 'R&D' },
      meta: { resourceType: 'User' },
    });
    expect(project({ attributes: ENTERPRISE.toLowerCase() })[ENTERPRISE]).toEqual(user[ENTERPRISE]);
  });

  it('never returns the password, even when asked for', () => {
    expect(project({ attributes: 'password' })).not.toHaveProperty('password');
  });

  it('excludes attributes, sub-attributes and whole extensions but never always-returned ones', () => {
    const result = project({ excludedAttributes: `emails.type,name,${ENTERPRISE},id,meta.location,schemas` });
    expect(result).toEqual({
      schemas: [USER, ENTERPRISE],
      id: 'u1',
      externalId: 'ext-1',
      userName: 'bjensen',
      emails: [{ value: 'b@work', primary: true }, { value: 'b@home' }],
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:00Z',
        lastModified: '2024-01-02T00:00:00Z',
        version: 'W/"2"',
      },
    });
    expect(project({ excludedAttributes: 'meta' }).meta).toEqual({ resourceType: 'User' });
    expect(project({ excludedAttributes: `${ENTERPRISE}:manager` })[ENTERPRISE]).toEqual({
      department: 'R&D',
    });
  });

  it('lets attributes win over excludedAttributes and ignores unknown paths', () => {
    expect(project({ attributes: 'userName', excludedAttributes: 'userName' }).userName).toBe('bjensen');
    expect(project({ attributes: 'nope,urn:x:y:z' })).toEqual({
      schemas: [USER, ENTERPRISE],
      id: 'u1',
      meta: { resourceType: 'User' },
    });
  });

  it('honours returned always/request/never of a product extension', () => {
    const registry = createSchemaRegistry({
      schemas: [
        defineSchema({
          id: PRODUCT,
          name: 'P',
          attributes: [
            { name: 'role', type: 'string', returned: 'always' },
            { name: 'quotaBytes', type: 'integer', returned: 'request' },
            { name: 'apiKey', type: 'string', returned: 'never', mutability: 'writeOnly' },
          ],
        }),
      ],
      extensions: { User: [{ schema: PRODUCT, required: false }] },
    });
    const resource: ScimResource = {
      ...user,
      schemas: [USER, PRODUCT],
      [PRODUCT]: { role: 'admin', quotaBytes: 10, apiKey: 'k' },
    };
    const run = (options: { attributes?: string; excludedAttributes?: string }) =>
      projectResource(resource, { registry, resourceType: 'User', ...options })[PRODUCT];
    expect(run({})).toEqual({ role: 'admin' });
    expect(run({ attributes: 'userName' })).toEqual({ role: 'admin' });
    expect(run({ excludedAttributes: `${PRODUCT}:role` })).toEqual({ role: 'admin' });
    expect(run({ attributes: `${PRODUCT}:quotaBytes` })).toEqual({ role: 'admin', quotaBytes: 10 });
    expect(run({ attributes: 'quotabytes' })).toEqual({ role: 'admin', quotaBytes: 10 });
    expect(run({ attributes: PRODUCT })).toEqual({ role: 'admin', quotaBytes: 10 });
  });

  it('projects groups and lists', () => {
    const group: ScimResource = {
      schemas: [SCHEMA_URNS.group],
      id: 'g1',
      displayName: 'Admins',
      members: [{ value: 'u1', $ref: 'https://x/Users/u1', type: 'User' }],
      meta: { resourceType: 'Group' },
    };
    expect(
      projectResources([group, group], { resourceType: 'Group', excludedAttributes: 'members' }),
    ).toEqual([
      { schemas: [SCHEMA_URNS.group], id: 'g1', displayName: 'Admins', meta: { resourceType: 'Group' } },
      { schemas: [SCHEMA_URNS.group], id: 'g1', displayName: 'Admins', meta: { resourceType: 'Group' } },
    ]);
    expect(projectResource(group, { resourceType: 'Group', attributes: 'members.value' }).members).toEqual([
      { value: 'u1' },
    ]);
  });

  it('does not mutate its input', () => {
    const copy = JSON.parse(JSON.stringify(user)) as ScimResource;
    project({ attributes: 'name.givenName' });
    expect(user).toEqual(copy);
  });
});
