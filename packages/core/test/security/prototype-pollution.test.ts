import { afterEach, describe, expect, it } from 'vitest';
import { isScimError } from '../../src/errors/index.js';
import { evaluateFilter, parseAttributePath, parseFilter, parsePatchPath } from '../../src/filter/index.js';
import { createMemoryStore } from '../../src/memory/index.js';
import { toScimResource } from '../../src/meta/index.js';
import { applyPatch } from '../../src/patch/index.js';
import { projectResource } from '../../src/project/index.js';
import { SCHEMA_URNS, type ScimResource } from '../../src/schema/types.js';
import { validateResource } from '../../src/validate/index.js';
import { FORBIDDEN_KEYS, assertPrototypesClean, forbiddenKeyPaths, jsonClone } from './hostile.js';

// `__proto__`, `constructor` and `prototype` reach the core as attribute names in bodies (JSON.parse
// makes `__proto__` an own key), as PATCH paths, as keys inside PATCH values, as URN-qualified names
// and inside value filters. None of them may reach a prototype or come out in a result.

const USER = SCHEMA_URNS.user;
const ENTERPRISE = SCHEMA_URNS.enterpriseUser;
const PATCH_OP = SCHEMA_URNS.patchOp;

/** Every spelling a client could try, including case variants (SCIM names are case-insensitive). */
const NAMES = [...FORBIDDEN_KEYS, '__PROTO__', 'Constructor', 'PROTOTYPE'];

/** A JSON text where `name` is an own key at the top, inside `name`, inside an email and in the extension. */
function bodyWith(name: string, extra = ''): string {
  const payload = '{"polluted":"yes","prototype":{"polluted":"yes"}}';
  return `{"schemas":["${USER}","${ENTERPRISE}"],"userName":"a@example.com","${name}":${payload},"name":{"${name}":${payload},"givenName":"A"},"emails":[{"value":"a@example.com","${name}":${payload}}],"${ENTERPRISE}":{"${name}":${payload},"department":"D"},"${USER}:${name}":${payload},"${ENTERPRISE}:${name}":${payload}${extra}}`;
}

function user(): ScimResource {
  return {
    schemas: [USER, ENTERPRISE],
    id: 'u1',
    userName: 'a@example.com',
    name: { givenName: 'A' },
    emails: [{ value: 'a@example.com', type: 'work' }],
    [ENTERPRISE]: { department: 'D' },
  };
}

function expectClean(value: unknown): void {
  expect(forbiddenKeyPaths(value)).toStrictEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

function expect400(run: () => unknown, scimType?: string): void {
  try {
    run();
  } catch (error) {
    expect(isScimError(error), String(error)).toBe(true);
    expect((error as { status: number }).status).toBe(400);
    if (scimType !== undefined) expect((error as { scimType: string }).scimType).toBe(scimType);
    return;
  }
  expect.unreachable('expected a 400 ScimError');
}

afterEach(() => {
  assertPrototypesClean();
});

describe('validateResource', () => {
  for (const name of NAMES) {
    it(`drops "${name}" at every level of a lenient body`, () => {
      const result = validateResource(JSON.parse(bodyWith(name)), { resourceType: 'User', mode: 'create' });
      expectClean(result);
      expect(result.userName).toBe('a@example.com');
      expect((result.name as Record<string, unknown>).givenName).toBe('A');
    });

    it(`refuses "${name}" in strict mode with a 400 that names it`, () => {
      try {
        validateResource(JSON.parse(bodyWith(name)), { resourceType: 'User', mode: 'create', strict: true });
        expect.unreachable('strict validation must refuse an unknown attribute');
      } catch (error) {
        expect(isScimError(error) && error.status === 400).toBe(true);
        expect((error as Error).message.toLowerCase()).toContain(name.toLowerCase());
      }
    });

    it(`keeps "${name}" out of a replace that merges the existing resource`, () => {
      const existing = JSON.parse(
        bodyWith(name).replace('"userName"', '"id":"u1","userName"'),
      ) as ScimResource;
      const result = validateResource(JSON.parse(bodyWith(name)), {
        resourceType: 'User',
        mode: 'replace',
        existing,
      });
      expectClean(result);
    });
  }

  it('drops "__proto__" inside a Group member', () => {
    const body = JSON.parse(
      `{"schemas":["${SCHEMA_URNS.group}"],"displayName":"G","members":[{"value":"u1","__proto__":{"polluted":"yes"}}]}`,
    );
    expectClean(validateResource(body, { resourceType: 'Group', mode: 'create' }));
  });
});

describe('applyPatch', () => {
  const paths = [
    ...NAMES,
    ...NAMES.map((name) => `${name}.polluted`),
    ...NAMES.map((name) => `name.${name}`),
    ...NAMES.map((name) => `emails[type eq "work"].${name}`),
    ...NAMES.map((name) => `emails[${name} eq "x"]`),
    ...NAMES.map((name) => `emails[${name} pr].value`),
    ...NAMES.map((name) => `${ENTERPRISE}:${name}`),
    ...NAMES.map((name) => `${ENTERPRISE}:manager.${name}`),
    ...NAMES.map((name) => `${USER}:${name}`),
    'constructor.prototype.polluted',
    '__proto__.__proto__.polluted',
  ];

  for (const op of ['add', 'replace', 'remove']) {
    it(`refuses every forbidden name in a "${op}" path with 400 invalidPath`, () => {
      for (const path of paths) {
        const resource = user();
        const before = jsonClone(resource);
        expect400(
          () =>
            applyPatch(resource, {
              schemas: [PATCH_OP],
              Operations: [{ op, path, value: { polluted: 'yes' } }],
            }),
          'invalidPath',
        );
        expect(resource, path).toStrictEqual(before);
      }
    });
  }

  it('accepts a forbidden name inside a quoted filter value: it is data, not a path', () => {
    const { resource } = applyPatch(user(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'emails[type eq "__proto__"].value', value: 'x@example.com' }],
    });
    expectClean(resource);
  });

  for (const name of NAMES) {
    it(`drops "${name}" keys inside values of add and replace, with and without a path`, () => {
      const payload = `{"polluted":"yes","prototype":{"polluted":"yes"}}`;
      const body = JSON.parse(`{"schemas":["${PATCH_OP}"],"Operations":[
        {"op":"add","value":{"${name}":${payload},"name":{"${name}":${payload},"familyName":"F"},"${ENTERPRISE}":{"${name}":${payload}},"${ENTERPRISE}:${name}":${payload},"name.${name}":${payload}}},
        {"op":"replace","path":"name","value":{"${name}":${payload},"givenName":"G"}},
        {"op":"add","path":"emails","value":[{"value":"b@example.com","${name}":${payload}}]},
        {"op":"replace","path":"${ENTERPRISE}:manager","value":{"value":"m1","${name}":${payload}}},
        {"op":"replace","path":"${ENTERPRISE}","value":{"department":"E","${name}":${payload}}}
      ]}`);
      let resource: ScimResource | undefined;
      try {
        resource = applyPatch(user(), body).resource;
      } catch (error) {
        // A refusal is fine too, as long as it is a 400 and nothing leaked.
        expect(isScimError(error) && error.status === 400, String(error)).toBe(true);
      }
      if (resource !== undefined) {
        expectClean(resource);
        expect((resource.name as Record<string, unknown>).givenName).toBe('G');
      }
    });
  }

  it('keeps "__proto__" member keys out of a group and of the member delta', () => {
    const body = JSON.parse(
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"members","value":[{"value":"u2","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}]}]}`,
    );
    const group = { schemas: [SCHEMA_URNS.group], id: 'g1', displayName: 'G', members: [] };
    expectClean(applyPatch(group, body).resource);
    const external = applyPatch({ schemas: [SCHEMA_URNS.group], id: 'g1', displayName: 'G' }, body, {
      membersExternal: true,
    });
    expectClean(external);
    expect(external.delta.members?.added.map((member) => member.value)).toStrictEqual(['u2']);
  });

  it('ignores "__proto__" keys in the PatchOp envelope and operations themselves', () => {
    const body = JSON.parse(
      `{"schemas":["${PATCH_OP}"],"__proto__":{"polluted":"yes"},"Operations":[{"op":"replace","path":"displayName","value":"X","__proto__":{"polluted":"yes"},"constructor":{"polluted":"yes"}}]}`,
    );
    try {
      expectClean(applyPatch(user(), body).resource);
    } catch (error) {
      expect(isScimError(error) && error.status === 400, String(error)).toBe(true);
    }
  });
});

describe('paths, filters and projection', () => {
  it('resolved filters, PATCH paths and attribute lists refuse forbidden names', () => {
    for (const name of NAMES) {
      expect400(() => parseFilter(`${name} pr`, { resourceType: 'User' }), 'invalidFilter');
      expect400(() => parseFilter(`name.${name} eq "x"`, { resourceType: 'User' }), 'invalidFilter');
      expect400(() => parseFilter(`emails[${name} pr]`, { resourceType: 'User' }), 'invalidFilter');
      expect400(() => parseFilter(`${ENTERPRISE}:${name} pr`, { resourceType: 'User' }), 'invalidFilter');
      expect400(() => parsePatchPath(`${name}.x`, { resourceType: 'User' }), 'invalidPath');
      expect400(() => parseAttributePath(name, { resourceType: 'User' }), 'invalidPath');
    }
  });

  it('evaluation reads own attributes only, also of a resource with "__proto__" as an own key', () => {
    const resource = JSON.parse(
      `{"schemas":["urn:example:unregistered"],"id":"1","__proto__":{"userName":"admin","polluted":"yes"}}`,
    ) as ScimResource;
    expect(evaluateFilter('userName eq "admin"', resource)).toBe(false);
    expect(evaluateFilter('polluted pr', resource)).toBe(false);
    expect(evaluateFilter('constructor pr', { schemas: ['urn:example:unregistered'], id: '1' })).toBe(false);
  });

  it('projection and toScimResource never emit forbidden keys, even from stored data that has them', () => {
    const data = JSON.parse(
      `{"schemas":["${USER}"],"userName":"a","__proto__":{"polluted":"yes"},"constructor":{"polluted":"yes"},"name":{"__proto__":{"polluted":"yes"},"givenName":"A"}}`,
    ) as Record<string, unknown>;
    const response = toScimResource(
      {
        id: 'u1',
        resourceType: 'User',
        version: 1,
        created: '2024-01-01T00:00:00Z',
        lastModified: '2024-01-01T00:00:00Z',
        data,
      },
      { baseUrl: 'https://scim.example.com/scim/v2' },
    );
    const projected = projectResource(response, { resourceType: 'User' });
    expectClean(projected);
    for (const attributes of ['__proto__', 'constructor,userName', 'name.__proto__', 'userName']) {
      expectClean(projectResource(response, { resourceType: 'User', attributes }));
      expectClean(projectResource(response, { resourceType: 'User', excludedAttributes: attributes }));
    }
  });
});

describe('memory store', () => {
  it('stores and returns data with forbidden keys removed or inert, and prototypes stay clean', async () => {
    const store = createMemoryStore();
    await store.createTenant({ id: 't1', name: 'T1', createdAt: '2024-01-01T00:00:00Z' });
    const data = validateResource(JSON.parse(bodyWith('__proto__')), {
      resourceType: 'User',
      mode: 'create',
    });
    await store.transaction('t1', async (tx) => {
      await tx.create({ resourceType: 'User', id: 'u1', now: '2024-01-01T00:00:00Z', data });
    });
    const stored = await store.getResource('t1', 'User', 'u1');
    expectClean(stored?.data);
    const filter = parseFilter('userName eq "a@example.com"', { resourceType: 'User' });
    const page = await store.queryResources('t1', { resourceType: 'User', filter, count: 10 });
    expect(page.resources.map((resource) => resource.id)).toStrictEqual(['u1']);
  });
});
