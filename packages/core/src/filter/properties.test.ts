import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../errors/index.js';
import { defaultSchemaRegistry } from '../schema/registry.js';
import { SCHEMA_URNS } from '../schema/types.js';
import type { CompareOperator, FilterNode, FilterPath, FilterValue } from './ast.js';
import { evaluateFilter } from './evaluate.js';
import { formatFilter, formatPatchPath } from './format.js';
import { parseFilter } from './parse-filter.js';
import { parseAttributePath, parsePatchPath } from './parse-path.js';
import { resolveFilter } from './resolve.js';

/** Runs `run` and fails unless it returns or throws a 400 ScimError of `scimType`. */
function onlyScimErrors(scimType: string, run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isScimError(error) || error.status !== 400 || error.scimType !== scimType) {
      throw new Error(`unexpected ${String(error)} (${(error as Error)?.name})`);
    }
  }
}

const SEEDS = [
  'userName eq "bjensen"',
  'name.familyName co "O\'Malley"',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'title pr and userType eq "Employee"',
  'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
  'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"',
  'active eq true and x eq -1.5e3 and y eq null',
  'displayName eq "a \\"q\\" \\u00e9 \\n"',
];

/** Characters a filter is made of, so that random text often gets deep into the parser. */
const FILTER_ALPHABET = [
  ...'abcXYZ019 _-.:"\\()[]$/#\t\nue+',
  ' eq ',
  ' and ',
  ' or ',
  'not (',
  ' pr',
  'emails[',
  'true',
  'null',
  'urn:',
  '\\u00',
];

const filterishText = fc
  .array(fc.constantFrom(...FILTER_ALPHABET), { maxLength: 40 })
  .map((parts) => parts.join(''));

/** A seed filter with a few random edits: deletions, insertions and substitutions. */
const mutatedFilter = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 3 }),
        fc.constantFrom('', ...FILTER_ALPHABET),
        fc.string({ unit: 'binary', maxLength: 2 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([seed, edits]) => {
    let text = seed;
    for (const [at, remove, insert, noise] of edits) {
      const position = at % (text.length + 1);
      text = text.slice(0, position) + insert + (remove === 3 ? noise : '') + text.slice(position + remove);
    }
    return text;
  });

describe('random input never throws anything but a 400 ScimError', () => {
  it('arbitrary strings, unresolved and resolved', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), filterishText), (text) => {
        onlyScimErrors('invalidFilter', () => parseFilter(text));
        onlyScimErrors('invalidFilter', () => parseFilter(text, { resourceType: 'User' }));
        onlyScimErrors('invalidPath', () => parsePatchPath(text));
        onlyScimErrors('invalidPath', () => parsePatchPath(text, { resourceType: 'Group' }));
        onlyScimErrors('invalidPath', () => parseAttributePath(text, { resourceType: 'User' }));
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated valid filters', () => {
    fc.assert(
      fc.property(mutatedFilter, (text) => {
        onlyScimErrors('invalidFilter', () => parseFilter(text));
        onlyScimErrors('invalidFilter', () => parseFilter(text, { resourceType: 'User' }));
        onlyScimErrors('invalidFilter', () =>
          evaluateFilter(text, {
            schemas: [SCHEMA_URNS.user],
            userName: 'bjensen',
            emails: [{ value: 'x' }],
          }),
        );
        onlyScimErrors('invalidPath', () => parsePatchPath(text, { resourceType: 'User' }));
      }),
      { numRuns: 3000 },
    );
  });

  it('every seed is itself valid', () => {
    for (const seed of SEEDS) expect(() => parseFilter(seed)).not.toThrow();
  });
});

// ---- random ASTs ----

const KEYWORD_NAMES = ['and', 'or', 'not', 'pr', 'eq', 'true', 'null', 'Not', 'OR'];
const attributeName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,7}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...KEYWORD_NAMES) },
);
const schemaUrn = fc.option(
  fc.constantFrom(SCHEMA_URNS.user, SCHEMA_URNS.enterpriseUser, 'urn:acme:ext:1.0:User'),
  {
    nil: undefined,
  },
);

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const stringValue = fc.oneof(
  fc.string({ unit: anyCodeUnit, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('Sales and Marketing', 'x or y', 'not (a)', '"quoted"', '\\'),
);
const nonNullValue: fc.Arbitrary<Exclude<FilterValue, null>> = fc.oneof(
  stringValue,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);
const COMPARE: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

const withSchema = (schema: string | undefined, path: FilterPath): FilterPath =>
  schema === undefined ? path : { schema, ...path };

const topPath: fc.Arbitrary<FilterPath> = fc
  .tuple(schemaUrn, attributeName, fc.option(attributeName, { nil: undefined }))
  .map(([schema, attribute, subAttribute]) =>
    withSchema(schema, subAttribute === undefined ? { attribute } : { attribute, subAttribute }),
  );

function leaf(pathArb: fc.Arbitrary<FilterPath>): fc.Arbitrary<FilterNode> {
  return fc.oneof(
    pathArb.map((path): FilterNode => ({ op: 'pr', path })),
    fc
      .tuple(pathArb, fc.constantFrom(...COMPARE), nonNullValue)
      .map(([path, op, value]): FilterNode => ({ op, path, value })),
    fc
      .tuple(pathArb, fc.constantFrom<CompareOperator>('eq', 'ne'))
      .map(([path, op]): FilterNode => ({ op, path, value: null })),
  );
}

function tree(leafArb: fc.Arbitrary<FilterNode>, depth: number): fc.Arbitrary<FilterNode> {
  if (depth === 0) return leafArb;
  const sub = tree(leafArb, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leafArb },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), sub, sub)
        .map(([op, left, right]): FilterNode => ({ op, left, right })),
    },
    { weight: 1, arbitrary: sub.map((filter): FilterNode => ({ op: 'not', filter })) },
  );
}

/** A value path: the inner paths repeat the outer attribute (and schema), as the parser stores them. */
const valuePathNode: fc.Arbitrary<FilterNode> = fc
  .tuple(schemaUrn, attributeName)
  .chain(([schema, attribute]) => {
    const inner = attributeName.map((subAttribute) => withSchema(schema, { attribute, subAttribute }));
    return tree(leaf(inner), 2).map(
      (filter): FilterNode => ({ op: 'valuePath', path: withSchema(schema, { attribute }), filter }),
    );
  });

const randomFilter = tree(
  fc.oneof({ weight: 4, arbitrary: leaf(topPath) }, { weight: 1, arbitrary: valuePathNode }),
  4,
);

describe('formatFilter and parseFilter round-trip', () => {
  it('for random unresolved ASTs', () => {
    fc.assert(
      fc.property(randomFilter, (node) => {
        expect(parseFilter(formatFilter(node), { maxLength: 100_000 })).toStrictEqual(node);
      }),
      { numRuns: 2000 },
    );
  });

  it('for random PATCH paths', () => {
    const patchPath = fc.oneof(
      topPath.map((path) => ({ path })),
      valuePathNode.chain((node) =>
        fc.option(attributeName, { nil: undefined }).map((subAttribute) => {
          if (node.op !== 'valuePath') throw new Error('unreachable');
          return subAttribute === undefined
            ? { path: node.path, filter: node.filter }
            : { path: node.path, filter: node.filter, subAttribute };
        }),
      ),
    );
    fc.assert(
      fc.property(patchPath, (path) => {
        expect(parsePatchPath(formatPatchPath(path), { maxLength: 100_000 })).toStrictEqual(path);
      }),
      { numRuns: 1000 },
    );
  });

  // Resolved ASTs: typed paths of the built-in User, names in random letter case.
  type Kind = 'string' | 'boolean' | 'dateTime' | 'binary' | 'complex';
  const USER_PATHS: [string, Kind][] = [
    ['userName', 'string'],
    ['displayName', 'string'],
    ['title', 'string'],
    ['active', 'boolean'],
    ['name.givenName', 'string'],
    ['name', 'complex'],
    ['emails', 'complex'],
    ['emails.value', 'string'],
    ['emails.primary', 'boolean'],
    ['meta.lastModified', 'dateTime'],
    ['id', 'string'],
    ['externalId', 'string'],
    ['schemas', 'string'],
    ['employeeNumber', 'string'],
    [`${SCHEMA_URNS.enterpriseUser}:manager.value`, 'string'],
    [`${SCHEMA_URNS.user}:nickName`, 'string'],
    ['x509Certificates.value', 'binary'],
  ];
  const OPS: Record<Kind, CompareOperator[]> = {
    string: COMPARE,
    binary: ['eq', 'ne', 'co', 'sw', 'ew'],
    boolean: ['eq', 'ne'],
    dateTime: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
    complex: [],
  };
  const VALUES: Record<Kind, fc.Arbitrary<Exclude<FilterValue, null>>> = {
    string: stringValue,
    binary: fc.base64String({ maxLength: 12 }),
    boolean: fc.boolean(),
    dateTime: fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString()),
    complex: fc.constant('x'),
  };
  const randomCase = (text: string) =>
    fc
      .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
      .map((flips) => [...text].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

  const userLeaf: fc.Arbitrary<FilterNode> = fc.constantFrom(...USER_PATHS).chain(([text, kind]) =>
    randomCase(text).chain((cased) => {
      const path = parseAttributePath(cased);
      const options: fc.Arbitrary<FilterNode>[] = [
        fc.constant<FilterNode>({ op: 'pr', path }),
        fc.constantFrom<CompareOperator>('eq', 'ne').map((op): FilterNode => ({ op, path, value: null })),
      ];
      if (OPS[kind].length > 0) {
        options.push(
          fc
            .tuple(fc.constantFrom(...OPS[kind]), VALUES[kind])
            .map(([op, value]): FilterNode => ({ op, path, value })),
        );
      }
      return fc.oneof(...options);
    }),
  );
  const emailsValuePath: fc.Arbitrary<FilterNode> = tree(
    fc
      .constantFrom<[string, Kind]>(
        ['type', 'string'],
        ['value', 'string'],
        ['primary', 'boolean'],
        ['display', 'string'],
      )
      .chain(([sub, kind]) => {
        const path: FilterPath = { attribute: 'EMAILS', subAttribute: sub };
        return fc.oneof(
          fc.constant<FilterNode>({ op: 'pr', path }),
          fc
            .tuple(fc.constantFrom(...OPS[kind]), VALUES[kind])
            .map(([op, value]): FilterNode => ({ op, path, value })),
        );
      }),
    2,
  ).map((filter): FilterNode => ({ op: 'valuePath', path: { attribute: 'emails' }, filter }));

  const userFilter = tree(
    fc.oneof({ weight: 4, arbitrary: userLeaf }, { weight: 1, arbitrary: emailsValuePath }),
    3,
  );

  it('for random resolved ASTs of the User resource type', () => {
    const options = { registry: defaultSchemaRegistry, resourceType: 'User' };
    fc.assert(
      fc.property(userFilter, (node) => {
        const resolved = resolveFilter(node, options);
        const text = formatFilter(resolved);
        expect(parseFilter(text, { ...options, maxLength: 100_000 })).toStrictEqual(resolved);
        // Resolution is idempotent and evaluation never throws on a resolved filter.
        expect(resolveFilter(resolved, options)).toStrictEqual(resolved);
        evaluateFilter(resolved, {
          schemas: [SCHEMA_URNS.user],
          userName: 'u',
          emails: [{ value: 'a', primary: true }],
        });
      }),
      { numRuns: 1000 },
    );
  });
});
