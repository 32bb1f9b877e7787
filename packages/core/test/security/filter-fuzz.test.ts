import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/errors/index.js';
import {
  evaluateFilter,
  formatFilter,
  parseAttributePath,
  parseFilter,
  parsePatchPath,
} from '../../src/filter/index.js';
import { SCHEMA_URNS } from '../../src/schema/types.js';
import { assertPrototypesClean, hostileJson, hostileString, onlyClientErrors } from './hostile.js';

// Hostile filters and paths: whatever arrives in `?filter=` or a PATCH `path` must end in a value
// or a 4xx ScimError, never another exception (a 500), a stack overflow or a polluted prototype.

/** Tokens that make random text reach deep into the grammar, including its limits. */
const TOKENS = [
  'userName',
  'emails',
  'name.familyName',
  'urn:ietf:params:scim:schemas:core:2.0:User:',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
  'meta.lastModified',
  '__proto__',
  'constructor',
  'prototype',
  ' eq ',
  ' ne ',
  ' co ',
  ' sw ',
  ' ew ',
  ' gt ',
  ' le ',
  ' pr',
  ' and ',
  ' or ',
  'not ',
  '(',
  ')',
  '[',
  ']',
  '.',
  '"',
  '\\"',
  '\\u',
  '\\',
  '"x"',
  '"2011-05-13T04:42:34Z"',
  'true',
  'false',
  'null',
  '1e999',
  '-0',
  '42',
  ' ',
  "' OR 1=1 --",
  '{"$ne":null}',
  '%',
  '_',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));

/** A syntactically valid filter nested `depth` times in one of the nesting forms. */
const deepFilter = fc
  .tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('paren', 'not', 'valuePath', 'and'))
  .map(([depth, form]) => {
    switch (form) {
      case 'paren':
        return `${'('.repeat(depth)}userName pr${')'.repeat(depth)}`;
      case 'not':
        return `${'not ('.repeat(depth)}userName pr${')'.repeat(depth)}`;
      case 'valuePath':
        return `${'emails[value pr and ('.repeat(depth)}type pr${')]'.repeat(depth)}`;
      default:
        return `userName pr${' and title pr'.repeat(depth)}`;
    }
  });

const user = {
  schemas: [SCHEMA_URNS.user],
  id: '1',
  userName: 'bjensen',
  emails: [{ value: 'b@example.com', type: 'work' }],
  name: { familyName: 'Jensen' },
};

function everyParser(text: string): void {
  onlyClientErrors(() => parseFilter(text));
  const resolved = onlyClientErrors(() => parseFilter(text, { resourceType: 'User' }));
  onlyClientErrors(() => parseFilter(text, { resourceType: 'Group' }));
  onlyClientErrors(() => parsePatchPath(text));
  onlyClientErrors(() => parsePatchPath(text, { resourceType: 'User' }));
  onlyClientErrors(() => parseAttributePath(text, { resourceType: 'User' }));
  onlyClientErrors(() => evaluateFilter(text, user, { resourceType: 'User' }));
  if (resolved.ok) {
    // A filter that parsed must print to a filter that parses to the same tree.
    const printed = formatFilter(resolved.value as ReturnType<typeof parseFilter>);
    expect(parseFilter(printed, { resourceType: 'User', maxLength: 1_000_000 })).toStrictEqual(
      resolved.value,
    );
  }
}

describe('filter and path parsers under hostile input', () => {
  it('token soup never throws anything but a 4xx ScimError', () => {
    fc.assert(fc.property(tokenSoup, everyParser), { numRuns: 2000 });
    assertPrototypesClean();
  });

  it('arbitrary unicode (lone surrogates, NUL, control characters) never throws anything but a 4xx ScimError', () => {
    fc.assert(fc.property(hostileString, everyParser), { numRuns: 1000 });
  });

  it('deep nesting is refused by the depth and node limits, not by a stack overflow', () => {
    fc.assert(
      fc.property(deepFilter, (text) => {
        const outcome = onlyClientErrors(() =>
          parseFilter(text, { resourceType: 'User', maxLength: 1_000_000 }),
        );
        onlyClientErrors(() => parsePatchPath(`emails[${text}]`, { maxLength: 1_000_000 }));
        if (!outcome.ok) {
          // The error must name the limit, so the caller knows what to change.
          let detail = '';
          try {
            parseFilter(text, { resourceType: 'User', maxLength: 1_000_000 });
          } catch (error) {
            detail = isScimError(error) ? error.detail : '';
          }
          expect(detail).toMatch(/deep|nest|depth|expressions|at most/i);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a nesting far past any stack is still a 400 with the default depth limit', () => {
    // Only the length limit is lifted: the depth limit alone must stop the recursion.
    const depth = 200_000;
    const text = `${'('.repeat(depth)}userName pr${')'.repeat(depth)}`;
    for (const run of [
      () => parseFilter(text, { maxLength: Number.MAX_SAFE_INTEGER }),
      () => parseFilter(text, { maxLength: Number.MAX_SAFE_INTEGER, resourceType: 'User' }),
      () => parseFilter(text),
      () => parsePatchPath(`emails[${text}]`, { maxLength: Number.MAX_SAFE_INTEGER }),
    ]) {
      const outcome = onlyClientErrors(run);
      expect(outcome.ok).toBe(false);
    }
  });

  it('a very long filter is refused before parsing with a 400 that states the limit', () => {
    const text = `userName eq "${'a'.repeat(10_000)}"`;
    try {
      parseFilter(text);
      expect.unreachable('a 10 kB filter must be refused by the default length limit');
    } catch (error) {
      expect(isScimError(error) && error.status === 400 && error.scimType === 'invalidFilter').toBe(true);
      expect((error as Error).message).toMatch(/4096/);
    }
  });

  it('evaluating a valid filter against hostile resources never throws anything but a 4xx ScimError', () => {
    const filters = [
      'userName eq "bjensen"',
      'emails[type eq "work" and value co "@"]',
      'name.familyName sw "J" or not (title pr)',
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      'active eq true',
    ].map((text) => parseFilter(text, { resourceType: 'User' }));
    fc.assert(
      fc.property(
        fc.constantFrom(...filters),
        fc.dictionary(
          fc.constantFrom(
            'userName',
            'emails',
            'name',
            'title',
            'active',
            'meta',
            '__proto__',
            'constructor',
          ),
          hostileJson,
        ),
        (filter, data) => {
          const resource = JSON.parse(JSON.stringify({ schemas: [SCHEMA_URNS.user], id: '1', ...data }));
          const outcome = onlyClientErrors(() => evaluateFilter(filter, resource, { resourceType: 'User' }));
          if (outcome.ok) expect(typeof outcome.value).toBe('boolean');
        },
      ),
      { numRuns: 1000 },
    );
    assertPrototypesClean();
  });

  it('inherited members of Object.prototype are never read as attributes', () => {
    // A resource of no registered type is evaluated unresolved, so any syntactically valid name
    // reaches the evaluator; it must see own data only.
    const empty = { schemas: ['urn:example:unregistered'], id: '1' };
    for (const text of [
      'constructor pr',
      'toString pr',
      'hasOwnProperty pr',
      'constructor.name eq "Object"',
      'constructor.prototype pr',
      'valueOf pr',
    ]) {
      expect(evaluateFilter(text, empty), text).toBe(false);
      expect(evaluateFilter(`not (${text})`, empty), text).toBe(true);
    }
  });
});
