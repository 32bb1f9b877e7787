import { type FilterNode, SCHEMA_URNS, defaultSchemaRegistry, isScimError, parseFilter } from '@scim/core';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../src/compile-filter.js';
import { toResourceDocument } from '../src/resource-document.js';
import { createResourceLayout } from '../src/resource-layout.js';
import { type SampleResource, createOracle } from './mingo-oracle.js';

// MongoDB operator injection: whatever a filter value looks like (`{"$ne": null}`, `$where`, a
// regular expression), the compiled query holds it as a literal under `$eq`, an ordering operator
// or an escaped `$regex`, never as an operator of its own; mingo (a MongoDB query engine in
// JavaScript) then selects exactly what the reference evaluator selects.

const USER = SCHEMA_URNS.user;
const ENTERPRISE = SCHEMA_URNS.enterpriseUser;
const registry = defaultSchemaRegistry;

/** Values that are MongoDB syntax or regular-expression syntax. */
const PAYLOADS = [
  '{"$ne": null}',
  '{"$gt": ""}',
  '{"$where": "sleep(1000) || true"}',
  '$where',
  '$ne',
  '$gt',
  '$expr',
  '$function',
  "'; return true; var x='",
  'this.password',
  '.*',
  '.',
  '^',
  '$',
  '^.*$',
  '(?i)',
  '[a-z]+',
  'a|b',
  'x{2}',
  '\\',
  '\\d',
  '/',
  '\u0000',
  '*',
  '+',
  '?',
  '(',
  ')',
  'a.b',
];

/** Operators the compiler may emit; anything else in a compiled query is a finding. */
const ALLOWED_OPERATORS = new Set([
  '$and',
  '$or',
  '$nor',
  '$not',
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$type',
  '$size',
  '$elemMatch',
  '$regex',
  '$options',
  '$all',
]);

/** Operators that run code or escape the document: never acceptable. */
const CODE_OPERATORS = ['$where', '$expr', '$function', '$accumulator', '$jsonSchema', '$text', '$lookup'];

const NOW = '2024-05-01T10:00:00.000Z';

const samples: SampleResource[] = [
  ...PAYLOADS.map((payload, index) => ({
    resourceType: 'User',
    id: `u-${index}`,
    created: NOW,
    lastModified: NOW,
    data: {
      schemas: [USER, ENTERPRISE],
      userName: `user${index}${payload}`,
      displayName: payload,
      title: `t${payload}t`,
      emails: [{ value: `${payload}@example.com`, type: 'work' }],
      [ENTERPRISE]: { department: payload, manager: { value: payload } },
    },
  })),
  // Near misses that a pattern would match but a literal must not.
  ...['ab', 'aXb', 'A', 'xx', 'd1', 'plain', 'b'].map((name) => ({
    resourceType: 'User',
    id: `n-${name}`,
    created: NOW,
    lastModified: NOW,
    data: {
      schemas: [USER, ENTERPRISE],
      userName: name,
      displayName: name,
      title: name,
      emails: [{ value: `${name}@example.com`, type: 'work' }],
      [ENTERPRISE]: { department: name },
    },
  })),
];

const oracle = createOracle(registry, samples);

/** Every key of a compiled query, with the path to it. */
function keysOf(
  value: unknown,
  at: string,
  found: { key: string; at: string }[] = [],
): { key: string; at: string }[] {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) keysOf(item, `${at}[${index}]`, found);
  } else if (value !== null && typeof value === 'object' && !(value instanceof RegExp)) {
    for (const [key, item] of Object.entries(value)) {
      found.push({ key, at });
      keysOf(item, `${at}.${key}`, found);
    }
  }
  return found;
}

/** Fails unless every `$`-key is an allowed operator and every other key is a field path. */
function expectOnlyAllowedOperators(query: unknown, label: string): void {
  for (const { key, at } of keysOf(query, '$')) {
    if (key.startsWith('$')) {
      expect(ALLOWED_OPERATORS.has(key), `${label}: operator ${key} at ${at}`).toBe(true);
    } else {
      // A field path: dotted segments, none of which starts with `$` (that would be an operator).
      expect(
        key.split('.').some((segment) => segment.startsWith('$')),
        `${label}: field ${key} at ${at}`,
      ).toBe(false);
    }
  }
  const text = JSON.stringify(query, (_key, item: unknown) => (item instanceof RegExp ? String(item) : item));
  for (const operator of CODE_OPERATORS)
    expect(text.includes(`"${operator}":`), `${label}: ${operator}`).toBe(false);
}

/** The values directly under operators whose operand is a literal, for checking a payload stays one. */
function literalOperands(query: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(query)) {
    for (const item of query) literalOperands(item, found);
  } else if (query !== null && typeof query === 'object' && !(query instanceof RegExp)) {
    for (const [key, item] of Object.entries(query)) {
      if (['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$regex'].includes(key)) found.push(item);
      else literalOperands(item, found);
    }
  }
  return found;
}

const literal = (text: string) => JSON.stringify(text);

describe('operator-shaped values are inert', () => {
  const attributes = [
    'userName',
    'displayName',
    'title',
    'emails.value',
    `${ENTERPRISE}:department`,
    `${ENTERPRISE}:manager.value`,
    'id',
  ];
  const operators = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'le'];

  it('every payload in every operator compiles to literals and selects what the reference selects', async () => {
    let compared = 0;
    for (const payload of PAYLOADS) {
      for (const attribute of attributes) {
        for (const op of operators) {
          const filter = `${attribute} ${op} ${literal(payload)}`;
          const { actual, expected, query } = await oracle.compare('User', filter);
          expectOnlyAllowedOperators(query, filter);
          expect(actual, filter).toStrictEqual(expected);
          // The payload (lower-cased where the attribute is case-insensitive) is an operand, never a key.
          const operands = literalOperands(query);
          expect(operands.length, filter).toBeGreaterThan(0);
          for (const operand of operands)
            expect(
              typeof operand === 'object' && operand !== null && !(operand instanceof RegExp),
              filter,
            ).toBe(false);
          compared += 1;
        }
      }
    }
    expect(compared).toBe(PAYLOADS.length * attributes.length * operators.length);
  });

  it('an eq of {"$ne": null} is a string comparison under $eq, not a $ne operator', async () => {
    const { actual, query } = await oracle.compare('User', 'displayName eq "{\\"$ne\\": null}"');
    expect(query).toStrictEqual({ '_s.displayName': { $eq: '{"$ne": null}' } });
    expect(actual).toStrictEqual([`u-${PAYLOADS.indexOf('{"$ne": null}')}`]);
  });

  it('regular-expression metacharacters in co, sw and ew match literally', async () => {
    const id = (payload: string) => `u-${PAYLOADS.indexOf(payload)}`;
    const ids = async (filter: string) => (await oracle.compare('User', filter)).actual;
    expect(await ids('displayName eq "."')).toStrictEqual([id('.')]);
    expect(await ids('displayName co ".*"')).toStrictEqual([id('.*'), id('^.*$')].sort());
    expect(await ids('displayName sw "a.b"')).toStrictEqual([id('a.b')]);
    expect(await ids('displayName co "a|b"')).toStrictEqual([id('a|b')]);
    expect(await ids('displayName ew "$"')).toStrictEqual([id('$'), id('^.*$')].sort());
    expect(await ids('displayName sw "^"')).toStrictEqual([id('^'), id('^.*$')].sort());
    expect(await ids('displayName co "x{2}"')).toStrictEqual([id('x{2}')]);
    expect(await ids('displayName eq "\\\\d"')).toStrictEqual([id('\\d')]);
    expect(await ids('displayName co "(?i)"')).toStrictEqual([id('(?i)')]);
    expect(await ids('displayName co "\\u0000"')).toStrictEqual([id('\u0000')]);
  });

  it('payloads inside value filters and boolean combinations select what the reference selects', async () => {
    for (const payload of PAYLOADS) {
      for (const filter of [
        `emails[value sw ${literal(payload)} and type eq "work"]`,
        `userName eq ${literal(payload)} or displayName eq ${literal(payload)}`,
        `not (displayName co ${literal(payload)})`,
        `emails[not (value ew ${literal(payload)})]`,
      ]) {
        const { actual, expected, query } = await oracle.compare('User', filter);
        expectOnlyAllowedOperators(query, filter);
        expect(actual, filter).toStrictEqual(expected);
      }
    }
  });
});

describe('operator-shaped names never reach a query', () => {
  it('the parser refuses $-names and dotted tricks with 400 invalidFilter', () => {
    for (const text of [
      '$where eq "x"',
      '$ne pr',
      'userName.$ne eq "x"',
      'emails[$where pr]',
      '_s.userName eq "x"',
      'tenantId eq "other"',
      `${ENTERPRISE}:$where eq "x"`,
    ]) {
      try {
        parseFilter(text, { resourceType: 'User' });
        expect.unreachable(`"${text}" must not parse`);
      } catch (error) {
        expect(isScimError(error), text).toBe(true);
        expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
      }
    }
  });

  it('a hand-built AST naming a $-operator, a store field or another tenant is refused with 400', async () => {
    for (const attribute of ['$where', '$expr', 'tenantId', '_s', 'data', 'id.$ne', '__proto__']) {
      const filter = { op: 'eq', path: { attribute }, value: 'x' } as FilterNode;
      await expect(
        compileFilter(filter, { resourceType: 'User', registry }),
        attribute,
      ).rejects.toMatchObject({
        name: 'ScimError',
        status: 400,
      });
    }
  });

  it('a hand-built AST with an object value never turns it into an operator', async () => {
    // parseFilter only produces string, number, boolean and null values; a caller building ASTs by
    // hand must still not be able to smuggle an operator document through the value.
    for (const value of [{ $ne: null }, { $where: 'sleep(1000)' }, { $gt: '' }, ['a']]) {
      const filter = { op: 'eq', path: { attribute: 'userName' }, value } as unknown as FilterNode;
      let query: unknown;
      try {
        query = await compileFilter(filter, { resourceType: 'User', registry });
      } catch {
        continue; // refusing is inert
      }
      expectOnlyAllowedOperators(query, JSON.stringify(value));
      const operands = literalOperands(query);
      for (const operand of operands) {
        expect(
          operand === null || typeof operand !== 'object' || Array.isArray(operand),
          JSON.stringify(value),
        ).toBe(true);
      }
    }
  });
});

describe('stored documents', () => {
  it('the query mirror, sort keys and unique keys never have $-prefixed or dotted field names', () => {
    const data = JSON.parse(
      JSON.stringify({
        schemas: [USER, ENTERPRISE],
        userName: '$where',
        displayName: '{"$ne": null}',
        name: { givenName: '$gt', familyName: 'a.b' },
        emails: [{ value: '$ne@example.com', type: '$where', display: '.' }],
        [ENTERPRISE]: { department: '$expr', manager: { value: '$function' } },
      }),
    ) as Record<string, unknown>;
    const document = toResourceDocument(createResourceLayout(registry, 'User'), {
      tenantId: 't',
      resourceType: 'User',
      id: '$ne',
      version: 1,
      created: NOW,
      lastModified: NOW,
      data,
    });
    for (const field of ['_s', '_m', '_sort', '_u'] as const) {
      for (const { key, at } of keysOf(document[field], field)) {
        expect(key.startsWith('$'), `${at}.${key}`).toBe(false);
        expect(key.includes('.'), `${at}.${key}`).toBe(false);
      }
    }
    // The data is kept exactly as given: the values are strings, not operators.
    expect(document.data).toStrictEqual(data);
  });
});
