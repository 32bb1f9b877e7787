import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/errors/index.js';
import { applyPatch } from '../../src/patch/index.js';
import { SCHEMA_URNS, type ScimResource } from '../../src/schema/types.js';
import {
  assertPrototypesClean,
  forbiddenKeyPaths,
  hostileJson,
  hostileString,
  jsonClone,
  jsonEdit,
  mutateJson,
  onlyClientErrors,
} from './hostile.js';

// applyPatch receives the body of PATCH /Users/{id} and /Groups/{id} as the client sent it. Whatever
// that is, the outcome is a new resource or a 4xx ScimError, and a failure changes nothing.

const PATCH_OP = SCHEMA_URNS.patchOp;

function user(): ScimResource {
  return {
    schemas: [SCHEMA_URNS.user, SCHEMA_URNS.enterpriseUser],
    id: 'u1',
    userName: 'bjensen@example.com',
    name: { familyName: 'Jensen', givenName: 'Barbara' },
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    [SCHEMA_URNS.enterpriseUser]: { department: 'Tours', manager: { value: 'm1' } },
    meta: { resourceType: 'User', version: 'W/"1"' },
  };
}

function group(): ScimResource {
  return {
    schemas: [SCHEMA_URNS.group],
    id: 'g1',
    displayName: 'Tour Guides',
    members: [
      { value: 'u1', type: 'User' },
      { value: 'u2', type: 'User' },
    ],
    meta: { resourceType: 'Group', version: 'W/"1"' },
  };
}

/** Valid operations to start mutating from: every op, path form and IdP dialect. */
const VALID_OPERATIONS: unknown[] = [
  { op: 'replace', path: 'active', value: false },
  { op: 'Replace', path: 'active', value: 'False' },
  { op: 'add', path: 'emails', value: [{ value: 'x@example.com', type: 'other' }] },
  { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' },
  { op: 'remove', path: 'emails[type eq "home"]' },
  { op: 'replace', value: { displayName: 'Babs', 'name.givenName': 'B' } },
  { op: 'add', path: `${SCHEMA_URNS.enterpriseUser}:department`, value: 'Ops' },
  { op: 'replace', path: `${SCHEMA_URNS.enterpriseUser}:manager`, value: 'm2' },
  { op: 'remove', path: 'name.givenName' },
  { op: 'add', path: 'members', value: [{ value: 'u3' }] },
  { op: 'remove', path: 'members[value eq "u1"]' },
  { op: 'replace', path: 'members', value: [] },
  { op: 'Remove', path: 'members', value: [{ value: 'u2' }] },
  { op: 'replace', path: 'displayName', value: 'Guides' },
];

/** Operations of VALID_OPERATIONS that succeed on `user()` in any order and any number of times. */
const REPEATABLE_USER_OPERATIONS = [0, 1, 2, 3, 5, 6, 7].map((index) => VALID_OPERATIONS[index]);

const validBody = fc
  .array(fc.constantFrom(...VALID_OPERATIONS), { minLength: 1, maxLength: 4 })
  .map((Operations) => ({ schemas: [PATCH_OP], Operations }));

const mutatedBody = fc
  .tuple(validBody, fc.array(jsonEdit, { minLength: 1, maxLength: 4 }))
  .map(([body, edits]) => mutateJson(body, edits));

/** Random operations built from hostile parts: any op, any path text, any value. */
const randomOperation = fc.record(
  {
    op: fc.oneof(fc.constantFrom('add', 'remove', 'replace', 'ADD', 'move', 'copy', 'test'), hostileString),
    path: fc.oneof(
      hostileString,
      fc.constantFrom(
        'emails[type eq "work"]',
        'members[value eq "u1"]',
        'name.__proto__',
        '__proto__.polluted',
        'constructor.prototype.polluted',
        'emails[__proto__ pr].value',
        'emails[type eq "__proto__"].value',
        `${SCHEMA_URNS.enterpriseUser}:__proto__`,
        `${SCHEMA_URNS.enterpriseUser}:manager.constructor`,
      ),
    ),
    value: hostileJson,
  },
  { requiredKeys: ['op'] },
);

const randomBody = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(randomOperation, { maxLength: 5 })
      .map((Operations) => ({ schemas: [PATCH_OP], Operations })),
  },
  { weight: 1, arbitrary: hostileJson },
);

function check(resource: ScimResource, resourceType: string, body: unknown, membersExternal: boolean): void {
  const before = jsonClone(resource);
  const outcome = onlyClientErrors(() => applyPatch(resource, body, { resourceType, membersExternal }));
  assertPrototypesClean();
  // The input is never modified, whether the PATCH succeeded or failed half-way.
  expect(resource).toStrictEqual(before);
  if (outcome.ok) {
    const result = outcome.value as ReturnType<typeof applyPatch>;
    expect(forbiddenKeyPaths(result.resource)).toStrictEqual([]);
    // The output is plain JSON: it survives a round-trip unchanged (no functions, no cycles, no prototypes).
    expect(JSON.parse(JSON.stringify(result.resource))).toStrictEqual(result.resource);
    expect(result.resource.id).toBe(resource.id);
    expect(result.resource.schemas).toBeInstanceOf(Array);
  }
}

describe('applyPatch under hostile bodies', () => {
  it('mutated valid bodies end in a resource or a 4xx ScimError and never touch the input', () => {
    fc.assert(
      fc.property(mutatedBody, fc.boolean(), fc.boolean(), (body, isGroup, membersExternal) => {
        check(isGroup ? group() : user(), isGroup ? 'Group' : 'User', body, membersExternal);
      }),
      { numRuns: 1500 },
    );
    assertPrototypesClean();
  });

  it('random bodies end in a resource or a 4xx ScimError and never touch the input', () => {
    fc.assert(
      fc.property(randomBody, fc.boolean(), fc.boolean(), (body, isGroup, membersExternal) => {
        check(isGroup ? group() : user(), isGroup ? 'Group' : 'User', body, membersExternal);
      }),
      { numRuns: 1500 },
    );
    assertPrototypesClean();
  });

  it('non-object bodies and bodies without Operations are a 400 invalidSyntax', () => {
    for (const body of [
      null,
      undefined,
      42,
      'x',
      [],
      {},
      { Operations: 'x' },
      { schemas: [PATCH_OP] },
      { schemas: 'x', Operations: [] },
    ]) {
      try {
        applyPatch(user(), body, { resourceType: 'User' });
        expect.unreachable(`body ${JSON.stringify(body)} must be refused`);
      } catch (error) {
        expect(isScimError(error) && error.status === 400, JSON.stringify(body)).toBe(true);
      }
    }
  });
});

describe('applyPatch atomicity', () => {
  /** Operations that fail on their own against `user()`, each for a different reason. */
  const FAILING: unknown[] = [
    { op: 'replace', path: 'id', value: 'other' },
    { op: 'remove', path: 'userName' },
    { op: 'replace', path: 'noSuchAttribute', value: 1 },
    { op: 'add', path: 'emails', value: [{ value: { nested: 'object' } }] },
    { op: 'replace', path: 'active', value: { nested: true } },
    { op: 'replace', path: 'emails[type eq "work" and', value: 'x' },
    { op: 'frobnicate', path: 'active', value: true },
    { op: 'remove' },
    { op: 'add', path: 'name.__proto__', value: { polluted: true } },
  ];

  it('a failing operation after successful ones leaves no trace: the caller keeps its resource', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...REPEATABLE_USER_OPERATIONS), { maxLength: 4 }),
        fc.constantFrom(...FAILING),
        fc.array(fc.constantFrom(...REPEATABLE_USER_OPERATIONS), { maxLength: 2 }),
        (before, failing, after) => {
          const resource = user();
          const snapshot = jsonClone(resource);
          const body = { schemas: [PATCH_OP], Operations: [...before, failing, ...after] };
          let thrown: unknown;
          try {
            applyPatch(resource, body, { resourceType: 'User' });
          } catch (error) {
            thrown = error;
          }
          expect(isScimError(thrown), JSON.stringify(failing)).toBe(true);
          expect((thrown as { status: number }).status).toBe(400);
          // The detail names the failing operation by its index, so the client can fix it.
          expect((thrown as { detail: string }).detail).toContain(`Operations[${before.length}]`);
          expect(resource).toStrictEqual(snapshot);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a failing member operation yields no member delta for a store to apply', () => {
    const resource = { schemas: [SCHEMA_URNS.group], id: 'g1', displayName: 'G' };
    const body = {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: 'u9' }] },
        { op: 'replace', path: 'displayName', value: { not: 'a string' } },
      ],
    };
    let result: unknown;
    try {
      result = applyPatch(resource, body, { resourceType: 'Group', membersExternal: true });
    } catch (error) {
      expect(isScimError(error)).toBe(true);
    }
    expect(result).toBeUndefined();
    expect(resource).toStrictEqual({ schemas: [SCHEMA_URNS.group], id: 'g1', displayName: 'G' });
  });
});
