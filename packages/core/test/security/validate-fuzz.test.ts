import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URNS, type ScimResource } from '../../src/schema/types.js';
import { validateResource } from '../../src/validate/index.js';
import {
  assertPrototypesClean,
  forbiddenKeyPaths,
  hostileJson,
  hostileString,
  jsonEdit,
  mutateJson,
  onlyClientErrors,
} from './hostile.js';

// validateResource receives the body of POST and PUT as the client sent it. Whatever that is, the
// outcome is a canonical resource or a 4xx ScimError; the result never carries what it must not.

const USER_BODY = {
  schemas: [SCHEMA_URNS.user, SCHEMA_URNS.enterpriseUser],
  userName: 'bjensen@example.com',
  externalId: '701984',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Babs',
  active: 'True',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
  groups: [{ value: 'g1' }],
  password: 'secret',
  [SCHEMA_URNS.enterpriseUser]: { employeeNumber: '1', manager: { value: 'm1' } },
  id: 'client-chosen',
  meta: { version: 'W/"9"' },
};

const GROUP_BODY = {
  schemas: [SCHEMA_URNS.group],
  displayName: 'Tour Guides',
  members: [{ value: 'u1' }, { value: 'u2', type: 'User' }],
};

const EXISTING: ScimResource = {
  schemas: [SCHEMA_URNS.user],
  id: 'u1',
  userName: 'bjensen@example.com',
  meta: { resourceType: 'User' },
};

function check(
  body: unknown,
  resourceType: 'User' | 'Group',
  mode: 'create' | 'replace',
  strict: boolean,
): void {
  const snapshot = JSON.stringify(body);
  const outcome = onlyClientErrors(() =>
    validateResource(body, {
      resourceType,
      mode,
      strict,
      ...(mode === 'replace' && resourceType === 'User' ? { existing: EXISTING } : {}),
    }),
  );
  assertPrototypesClean();
  // The body is only read.
  expect(JSON.stringify(body)).toBe(snapshot);
  if (!outcome.ok) return;
  const resource = outcome.value as ScimResource;
  expect(forbiddenKeyPaths(resource)).toStrictEqual([]);
  expect(JSON.parse(JSON.stringify(resource))).toStrictEqual(resource);
  // readOnly input never survives validation, whatever its spelling.
  const keys = Object.keys(resource).map((key) => key.toLowerCase());
  expect(keys).not.toContain('id');
  expect(keys).not.toContain('meta');
  if (resourceType === 'User') {
    expect(keys).not.toContain('groups');
    expect(typeof resource.userName).toBe('string');
  }
  expect(Array.isArray(resource.schemas)).toBe(true);
}

describe('validateResource under hostile bodies', () => {
  it('mutated valid User and Group bodies end in a resource or a 4xx ScimError', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(jsonEdit, { minLength: 1, maxLength: 5 }),
        fc.constantFrom<'create' | 'replace'>('create', 'replace'),
        fc.boolean(),
        (isGroup, edits, mode, strict) => {
          const body = mutateJson(isGroup ? GROUP_BODY : USER_BODY, edits);
          check(body, isGroup ? 'Group' : 'User', mode, strict);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('random JSON ends in a 4xx ScimError', () => {
    fc.assert(
      fc.property(hostileJson, fc.boolean(), (body, strict) => {
        check(body, 'User', 'create', strict);
        check(body, 'Group', 'create', strict);
      }),
      { numRuns: 1000 },
    );
  });

  it('random attribute names and values next to a valid core never throw anything but a 4xx ScimError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hostileString, hostileJson), { maxLength: 6 }),
        fc.boolean(),
        (entries, strict) => {
          const body = JSON.parse(
            JSON.stringify({ ...USER_BODY, ...Object.fromEntries(entries) }),
          ) as unknown;
          check(body, 'User', 'create', strict);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('deeply nested JSON in an attribute value is refused or dropped, never a stack overflow', () => {
    let deep: unknown = 'x';
    for (let depth = 0; depth < 50_000; depth += 1) deep = depth % 2 === 0 ? [deep] : { value: deep };
    for (const name of ['name', 'emails', 'nickName', 'urn:example:unknown', SCHEMA_URNS.enterpriseUser]) {
      for (const strict of [false, true]) {
        const outcome = onlyClientErrors(() =>
          validateResource(
            { schemas: [SCHEMA_URNS.user, SCHEMA_URNS.enterpriseUser], userName: 'a', [name]: deep },
            {
              resourceType: 'User',
              mode: 'create',
              strict,
            },
          ),
        );
        if (outcome.ok) expect(JSON.stringify(outcome.value).length).toBeLessThan(10_000);
      }
    }
  });
});
