import { describe, expect, it } from 'vitest';
import { isScimError, type ScimError } from '../errors/scim-error.js';
import { defineSchema } from '../schema/define.js';
import { createSchemaRegistry } from '../schema/registry.js';
import { SCHEMA_URNS } from '../schema/types.js';
import { validateResource } from './validate-resource.js';

const USER = SCHEMA_URNS.user;
const ENTERPRISE = SCHEMA_URNS.enterpriseUser;
const PRODUCT = 'urn:acme:params:scim:schemas:extension:product:2.0:User';
const productRegistry = createSchemaRegistry({
  schemas: [
    defineSchema({
      id: PRODUCT,
      name: 'ProductUser',
      attributes: [
        { name: 'role', type: 'string' },
        { name: 'quotaBytes', type: 'integer' },
      ],
    }),
  ],
  extensions: { User: [{ schema: PRODUCT, required: false }] },
});

function failure(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

const create = (body: unknown, strict = false) =>
  validateResource(body, { resourceType: 'User', mode: 'create', strict });

describe('validateResource: names and schemas', () => {
  it('canonicalises attribute names and URN keys case-insensitively (Entra style)', () => {
    const result = create({
      schemas: [USER.toUpperCase(), ENTERPRISE],
      UserName: 'bjensen@example.com',
      Active: 'True',
      NAME: { GivenName: 'Barbara', familyname: 'Jensen' },
      Emails: [{ Value: 'b@example.com', Type: 'work', Primary: 'true' }],
      [ENTERPRISE.toLowerCase()]: { Department: 'R&D', EmployeeNumber: '42' },
    });
    expect(result).toEqual({
      schemas: [USER, ENTERPRISE],
      userName: 'bjensen@example.com',
      name: { familyName: 'Jensen', givenName: 'Barbara' },
      active: true,
      emails: [{ value: 'b@example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber: '42', department: 'R&D' },
    });
  });

  it('requires schemas with the core schema', () => {
    expect(failure(() => create({ userName: 'a' }))).toMatchObject({
      status: 400,
      scimType: 'invalidSyntax',
    });
    expect(failure(() => create({ schemas: [ENTERPRISE], userName: 'a' })).detail).toContain(USER);
    expect(failure(() => create({ schemas: 'x', userName: 'a' })).scimType).toBe('invalidSyntax');
    expect(failure(() => create({ schemas: [USER, 7], userName: 'a' })).scimType).toBe('invalidSyntax');
  });

  it('leaves out a non-URN URI in schemas that no registered schema has, unless strict (Entra ID group creation)', () => {
    const microsoft = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
    expect(
      validateResource(
        { schemas: [SCHEMA_URNS.group, microsoft], displayName: 'g' },
        { resourceType: 'Group', mode: 'create' },
      ),
    ).toEqual({ schemas: [SCHEMA_URNS.group], displayName: 'g' });
    // Only a URI that is not a URN is left out: an unknown URN is a schema the client expects us to honour.
    expect(failure(() => create({ schemas: [USER, 'urn:acme:unknown'], userName: 'a' }))).toMatchObject({
      status: 400,
      scimType: 'invalidSyntax',
    });
    const strictError = failure(() =>
      validateResource(
        { schemas: [SCHEMA_URNS.group, microsoft], displayName: 'g' },
        { resourceType: 'Group', mode: 'create', strict: true },
      ),
    );
    expect(strictError.scimType).toBe('invalidSyntax');
    expect(strictError.detail).toContain(microsoft);
  });

  it('rejects unknown extension URNs in schemas (strict or not) and as keys', () => {
    const inSchemas = failure(() => create({ schemas: [USER, 'urn:acme:unknown'], userName: 'a' }, true));
    expect(inSchemas).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(inSchemas.detail).toContain('urn:acme:unknown');
    const asKey = failure(() => create({ schemas: [USER], userName: 'a', 'urn:acme:unknown': { x: 1 } }));
    expect(asKey).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    // a schema of another resource type is unknown for this one
    expect(failure(() => create({ schemas: [USER, SCHEMA_URNS.group], userName: 'a' })).scimType).toBe(
      'invalidSyntax',
    );
  });

  it('adds the URN of an extension sent without it in schemas', () => {
    const result = create({ schemas: [USER], userName: 'a', [ENTERPRISE]: { department: 'Ops' } });
    expect(result.schemas).toEqual([USER, ENTERPRISE]);
  });

  it('accepts URN-qualified attributes as keys and the core URN as an object', () => {
    const result = create({
      schemas: [USER],
      [`${USER}`]: { userName: 'qualified' },
      [`${ENTERPRISE}:department`]: 'Sales',
    });
    expect(result).toEqual({
      schemas: [USER, ENTERPRISE],
      userName: 'qualified',
      [ENTERPRISE]: { department: 'Sales' },
    });
  });

  it('rejects the same attribute twice in different case', () => {
    const error = failure(() => create({ schemas: [USER], userName: 'a', USERNAME: 'b' }));
    expect(error).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(error.detail).toContain('userName');
  });

  it('requires a JSON object body', () => {
    for (const body of [null, [], 'x', 3]) expect(failure(() => create(body)).scimType).toBe('invalidSyntax');
  });
});

describe('validateResource: unknown and readOnly attributes', () => {
  it('drops unknown attributes by default and rejects them in strict mode', () => {
    const body = {
      schemas: [USER],
      userName: 'a',
      favouriteColour: 'blue',
      name: { nick: 'x', givenName: 'A' },
    };
    expect(create(body)).toEqual({ schemas: [USER], userName: 'a', name: { givenName: 'A' } });
    const top = failure(() => create(body, true));
    expect(top).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(top.detail).toContain('favouriteColour');
    const sub = failure(() => create({ schemas: [USER], userName: 'a', name: { nick: 'x' } }, true));
    expect(sub.detail).toContain('nick');
  });

  it('ignores readOnly input: id, meta, groups, manager.displayName', () => {
    const result = create({
      schemas: [USER, ENTERPRISE],
      id: 'client-chosen',
      meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z' },
      userName: 'a',
      groups: [{ value: 'g1' }],
      [ENTERPRISE]: { manager: { value: 'm1', displayName: 'Boss' } },
    });
    expect(result).toEqual({
      schemas: [USER, ENTERPRISE],
      userName: 'a',
      [ENTERPRISE]: { manager: { value: 'm1' } },
    });
  });

  it('never lets prototype-polluting keys through', () => {
    const body = JSON.parse(
      `{"schemas":["${USER}"],"userName":"a","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"name":{"__proto__":{"polluted":true},"givenName":"A"},"prototype":1}`,
    ) as unknown;
    const result = create(body);
    expect(result).toEqual({ schemas: [USER], userName: 'a', name: { givenName: 'A' } });
    expect(Object.keys(result)).toEqual(['schemas', 'userName', 'name']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(failure(() => create(body, true)).scimType).toBe('invalidSyntax');
  });
});

describe('validateResource: required, types, primary', () => {
  it('requires userName', () => {
    const error = failure(() => create({ schemas: [USER], displayName: 'x' }));
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain('userName');
    expect(failure(() => create({ schemas: [USER], userName: null })).scimType).toBe('invalidValue');
    // RFC 7643 4.1.1: "Each User MUST include a non-empty userName value."
    const empty = failure(() => create({ schemas: [USER], userName: '' }));
    expect(empty).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(empty.detail).toContain('"userName" is required and must not be empty');
  });

  it('names the path of a wrongly typed value', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ userName: 42 }, 'userName'],
      [{ userName: 'a', active: 'yes' }, 'active'],
      [{ userName: 'a', name: 'Barbara' }, 'name'],
      [{ userName: 'a', emails: [{ value: 5 }] }, 'emails[0].value'],
      [{ userName: 'a', emails: [{ value: 'x', primary: 'maybe' }] }, 'emails[0].primary'],
      [{ userName: 'a', profileUrl: 'not a url' }, 'profileUrl'],
      [{ userName: 'a', x509Certificates: [{ value: '***' }] }, 'x509Certificates[0].value'],
      [{ userName: 'a', [ENTERPRISE]: { department: ['a'] } }, `${ENTERPRISE}:department`],
    ];
    for (const [body, path] of cases) {
      const error = failure(() => create({ schemas: [USER], ...body }));
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidValue');
      expect(error.detail).toContain(`"${path}"`);
    }
  });

  it('rejects more than one primary value', () => {
    const error = failure(() =>
      create({
        schemas: [USER],
        userName: 'a',
        emails: [
          { value: 'a@x', primary: true },
          { value: 'b@x', Primary: 'True' },
        ],
      }),
    );
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain('emails');
  });

  it('treats null and empty lists as unassigned', () => {
    expect(create({ schemas: [USER], userName: 'a', displayName: null, emails: [], name: {} })).toEqual({
      schemas: [USER],
      userName: 'a',
    });
  });

  it('keeps canonicalValues advisory unless strict', () => {
    const body = { schemas: [USER], userName: 'a', emails: [{ value: 'a@x', type: 'custom' }] };
    expect(create(body).emails).toEqual([{ value: 'a@x', type: 'custom' }]);
    expect(failure(() => create(body, true)).detail).toContain('"work"');
    expect(create({ ...body, emails: [{ value: 'a@x', type: 'Work' }] }, true).emails).toEqual([
      { value: 'a@x', type: 'Work' },
    ]);
  });

  it('coerces and validates extension attributes of a product registry like built-ins', () => {
    const result = validateResource(
      {
        schemas: [USER, PRODUCT],
        userName: 'a',
        [PRODUCT.toUpperCase()]: { ROLE: 'admin', quotabytes: '1048576' },
      },
      { registry: productRegistry, resourceType: 'User', mode: 'create' },
    );
    expect(result).toEqual({
      schemas: [USER, PRODUCT],
      userName: 'a',
      [PRODUCT]: { role: 'admin', quotaBytes: 1048576 },
    });
    const error = failure(() =>
      validateResource(
        { schemas: [USER], userName: 'a', [PRODUCT]: { quotaBytes: 1.5 } },
        { registry: productRegistry, resourceType: 'User', mode: 'create' },
      ),
    );
    expect(error.detail).toContain(`"${PRODUCT}:quotaBytes"`);
  });

  it('requires a required extension and its required attributes', () => {
    const registry = createSchemaRegistry({
      schemas: [
        defineSchema({
          id: PRODUCT,
          name: 'P',
          attributes: [{ name: 'tier', type: 'string', required: true }],
        }),
      ],
      extensions: { User: [{ schema: PRODUCT, required: true }] },
    });
    const run = (body: Record<string, unknown>) =>
      validateResource(
        { schemas: [USER], userName: 'a', ...body },
        { registry, resourceType: 'User', mode: 'create' },
      );
    expect(failure(() => run({})).detail).toContain(PRODUCT);
    expect(failure(() => run({ [PRODUCT]: { other: 1 } })).detail).toContain(`${PRODUCT}:tier`);
    expect(run({ [PRODUCT]: { tier: 'gold' } })[PRODUCT]).toEqual({ tier: 'gold' });
  });
});

describe('validateResource: replace', () => {
  const registry = createSchemaRegistry({
    schemas: [
      defineSchema({
        id: PRODUCT,
        name: 'P',
        attributes: [
          { name: 'tenantKey', type: 'string', mutability: 'immutable' },
          {
            name: 'badge',
            type: 'complex',
            subAttributes: [
              { name: 'serial', type: 'string', mutability: 'immutable', caseExact: true },
              { name: 'colour', type: 'string' },
            ],
          },
        ],
      }),
    ],
    extensions: { User: [{ schema: PRODUCT, required: false }] },
  });
  const existing = {
    schemas: [USER, PRODUCT],
    userName: 'a',
    password: 'stored-secret',
    [PRODUCT]: { tenantKey: 'K1', badge: { serial: 'S1', colour: 'red' } },
  };
  const replace = (body: Record<string, unknown>) =>
    validateResource(
      { schemas: [USER, PRODUCT], userName: 'a', ...body },
      { registry, resourceType: 'User', mode: 'replace', existing },
    );

  it('rejects a changed immutable value with 400 mutability', () => {
    const error = failure(() => replace({ [PRODUCT]: { tenantKey: 'K2' } }));
    expect(error).toMatchObject({ status: 400, scimType: 'mutability' });
    expect(error.detail).toContain('tenantKey');
    const sub = failure(() => replace({ [PRODUCT]: { tenantKey: 'K1', badge: { serial: 's1' } } }));
    expect(sub).toMatchObject({ scimType: 'mutability' });
    expect(sub.detail).toContain('badge.serial');
  });

  it('accepts the same immutable value (case-insensitively when not caseExact) and keeps omitted ones', () => {
    expect(replace({ [PRODUCT]: { tenantKey: 'k1', badge: { colour: 'blue' } } })[PRODUCT]).toEqual({
      tenantKey: 'k1',
      badge: { serial: 'S1', colour: 'blue' },
    });
    expect(replace({})[PRODUCT]).toEqual({ tenantKey: 'K1' });
  });

  it('keeps a stored password the PUT does not carry, and replaces it when sent', () => {
    expect(replace({}).password).toBe('stored-secret');
    expect(replace({ password: 'new' }).password).toBe('new');
  });

  it('checks immutable sub-attributes of multi-valued complex values element by element (by value)', () => {
    const DEVICES = 'urn:acme:params:scim:schemas:extension:devices:2.0:User';
    const devicesRegistry = createSchemaRegistry({
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
    const stored = {
      schemas: [USER, DEVICES],
      userName: 'a',
      [DEVICES]: { devices: [{ value: 'd1', enrolledBy: 'mdm', label: 'laptop' }] },
    };
    const put = (devices: unknown) =>
      validateResource(
        { schemas: [USER, DEVICES], userName: 'a', [DEVICES]: { devices } },
        { registry: devicesRegistry, resourceType: 'User', mode: 'replace', existing: stored },
      );
    const changed = failure(() => put([{ value: 'd1', enrolledBy: 'someone-else' }]));
    expect(changed).toMatchObject({ status: 400, scimType: 'mutability' });
    expect(changed.detail).toContain(`${DEVICES}:devices[value eq "d1"].enrolledBy`);
    // Same value (case-insensitively: not caseExact), or omitted: kept; readWrite label free to change.
    expect(put([{ value: 'd1', enrolledBy: 'MDM', label: 'work laptop' }])[DEVICES]).toEqual({
      devices: [{ value: 'd1', enrolledBy: 'MDM', label: 'work laptop' }],
    });
    expect(put([{ value: 'd1', label: 'x' }])[DEVICES]).toEqual({
      devices: [{ value: 'd1', enrolledBy: 'mdm', label: 'x' }],
    });
    // A new element (another value) is an addition, and dropping one is a removal: both allowed.
    expect(put([{ value: 'd2', enrolledBy: 'user' }])[DEVICES]).toEqual({
      devices: [{ value: 'd2', enrolledBy: 'user' }],
    });
  });

  it("rejects a PUT that changes a loaded group member's immutable type or $ref", () => {
    const group = {
      schemas: [SCHEMA_URNS.group],
      displayName: 'G',
      members: [{ value: 'u1', type: 'User', $ref: 'https://x/Users/u1' }],
    };
    const put = (members: unknown) =>
      validateResource(
        { schemas: [SCHEMA_URNS.group], displayName: 'G', members },
        { resourceType: 'Group', mode: 'replace', existing: group },
      );
    const error = failure(() => put([{ value: 'u1', type: 'Group' }]));
    expect(error).toMatchObject({ status: 400, scimType: 'mutability' });
    expect(error.detail).toContain('members[value eq "u1"].type');
    expect(failure(() => put([{ value: 'u1', $ref: 'https://x/Users/u2' }])).scimType).toBe('mutability');
    expect(put([{ value: 'u1' }, { value: 'u2', type: 'User' }]).members).toEqual([
      { value: 'u1', type: 'User', $ref: 'https://x/Users/u1' },
      { value: 'u2', type: 'User' },
    ]);
    expect(put([]).members).toBeUndefined();
  });

  it('lets create set immutable values freely', () => {
    const result = validateResource(
      { schemas: [USER], userName: 'a', [PRODUCT]: { tenantKey: 'K9' } },
      { registry, resourceType: 'User', mode: 'create', existing },
    );
    expect(result[PRODUCT]).toEqual({ tenantKey: 'K9' });
  });
});

describe('validateResource: groups', () => {
  it('validates members with canonical names and keeps $ref', () => {
    const result = validateResource(
      {
        schemas: [SCHEMA_URNS.group],
        DisplayName: 'Admins',
        Members: [{ Value: 'u1', $REF: 'https://x/Users/u1', Type: 'User', display: 'A' }],
      },
      { resourceType: 'Group', mode: 'create' },
    );
    expect(result).toEqual({
      schemas: [SCHEMA_URNS.group],
      displayName: 'Admins',
      members: [{ value: 'u1', $ref: 'https://x/Users/u1', type: 'User', display: 'A' }],
    });
  });

  it('rejects an unknown resource type as a programming error', () => {
    expect(() => validateResource({}, { resourceType: 'Nope', mode: 'create' })).toThrow(TypeError);
  });
});

describe('validateResource: custom resource types', () => {
  const DEVICE = 'urn:acme:params:scim:schemas:core:2.0:Device';
  const registry = createSchemaRegistry({
    schemas: [
      defineSchema({
        id: DEVICE,
        name: 'Device',
        attributes: [
          {
            name: 'serial',
            type: 'string',
            required: true,
            caseExact: true,
            uniqueness: 'server',
            mutability: 'immutable',
          },
          { name: 'enrolledAt', type: 'dateTime' },
          { name: 'storageGb', type: 'decimal' },
        ],
      }),
    ],
    resourceTypes: [{ name: 'Device', endpoint: '/Devices', schema: DEVICE, schemaExtensions: [] }],
  });

  it('validates a whole custom resource type like a built-in', () => {
    const created = validateResource(
      {
        schemas: [DEVICE.toLowerCase()],
        Serial: 'SN-1',
        externalId: 'e1',
        storageGB: '512.5',
        enrolledAt: '2024-05-01T12:00:00Z',
      },
      { registry, resourceType: 'device', mode: 'create' },
    );
    expect(created).toEqual({
      schemas: [DEVICE],
      externalId: 'e1',
      serial: 'SN-1',
      enrolledAt: '2024-05-01T12:00:00Z',
      storageGb: 512.5,
    });
    expect(
      failure(() =>
        validateResource({ schemas: [DEVICE] }, { registry, resourceType: 'Device', mode: 'create' }),
      ).detail,
    ).toContain('serial');
    const changed = failure(() =>
      validateResource(
        { schemas: [DEVICE], serial: 'sn-1' },
        { registry, resourceType: 'Device', mode: 'replace', existing: created },
      ),
    );
    expect(changed).toMatchObject({ status: 400, scimType: 'mutability' });
    expect(
      failure(() =>
        validateResource(
          { schemas: [DEVICE], serial: 'x', enrolledAt: 'soon' },
          { registry, resourceType: 'Device', mode: 'create' },
        ),
      ).detail,
    ).toContain('"enrolledAt"');
  });
});
