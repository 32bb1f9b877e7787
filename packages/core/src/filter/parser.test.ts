import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors/index.js';
import { SCHEMA_URNS } from '../schema/types.js';
import type { FilterNode, FilterPath } from './ast.js';
import { evaluateFilter } from './evaluate.js';
import { formatFilter } from './format.js';
import { parseFilter } from './parse-filter.js';
import { parseAttributePath, parsePatchPath } from './parse-path.js';

const path = (attribute: string, subAttribute?: string, schema?: string): FilterPath => ({
  ...(schema === undefined ? {} : { schema }),
  attribute,
  ...(subAttribute === undefined ? {} : { subAttribute }),
});

function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }
  throw new Error('expected a ScimError');
}

/** Every filter example of RFC 7644 section 3.4.2.2, with the tree it must parse to. */
const RFC_EXAMPLES: [string, FilterNode][] = [
  ['userName eq "bjensen"', { op: 'eq', path: path('userName'), value: 'bjensen' }],
  ['name.familyName co "O\'Malley"', { op: 'co', path: path('name', 'familyName'), value: "O'Malley" }],
  ['userName sw "J"', { op: 'sw', path: path('userName'), value: 'J' }],
  [
    'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
    { op: 'sw', path: path('userName', undefined, SCHEMA_URNS.user), value: 'J' },
  ],
  ['title pr', { op: 'pr', path: path('title') }],
  [
    'meta.lastModified gt "2011-05-13T04:42:34Z"',
    { op: 'gt', path: path('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' },
  ],
  [
    'meta.lastModified ge "2011-05-13T04:42:34Z"',
    { op: 'ge', path: path('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' },
  ],
  [
    'meta.lastModified lt "2011-05-13T04:42:34Z"',
    { op: 'lt', path: path('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' },
  ],
  [
    'meta.lastModified le "2011-05-13T04:42:34Z"',
    { op: 'le', path: path('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' },
  ],
  [
    'title pr and userType eq "Employee"',
    {
      op: 'and',
      left: { op: 'pr', path: path('title') },
      right: { op: 'eq', path: path('userType'), value: 'Employee' },
    },
  ],
  [
    'title pr or userType eq "Intern"',
    {
      op: 'or',
      left: { op: 'pr', path: path('title') },
      right: { op: 'eq', path: path('userType'), value: 'Intern' },
    },
  ],
  [
    'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    { op: 'eq', path: path('schemas'), value: SCHEMA_URNS.enterpriseUser },
  ],
  [
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    {
      op: 'and',
      left: { op: 'eq', path: path('userType'), value: 'Employee' },
      right: {
        op: 'or',
        left: { op: 'co', path: path('emails'), value: 'example.com' },
        right: { op: 'co', path: path('emails', 'value'), value: 'example.org' },
      },
    },
  ],
  [
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    {
      op: 'and',
      left: { op: 'ne', path: path('userType'), value: 'Employee' },
      right: {
        op: 'not',
        filter: {
          op: 'or',
          left: { op: 'co', path: path('emails'), value: 'example.com' },
          right: { op: 'co', path: path('emails', 'value'), value: 'example.org' },
        },
      },
    },
  ],
  [
    'userType eq "Employee" and (emails.type eq "work")',
    {
      op: 'and',
      left: { op: 'eq', path: path('userType'), value: 'Employee' },
      right: { op: 'eq', path: path('emails', 'type'), value: 'work' },
    },
  ],
  [
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    {
      op: 'and',
      left: { op: 'eq', path: path('userType'), value: 'Employee' },
      right: {
        op: 'valuePath',
        path: path('emails'),
        filter: {
          op: 'and',
          left: { op: 'eq', path: path('emails', 'type'), value: 'work' },
          right: { op: 'co', path: path('emails', 'value'), value: '@example.com' },
        },
      },
    },
  ],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    {
      op: 'or',
      left: {
        op: 'valuePath',
        path: path('emails'),
        filter: {
          op: 'and',
          left: { op: 'eq', path: path('emails', 'type'), value: 'work' },
          right: { op: 'co', path: path('emails', 'value'), value: '@example.com' },
        },
      },
      right: {
        op: 'valuePath',
        path: path('ims'),
        filter: {
          op: 'and',
          left: { op: 'eq', path: path('ims', 'type'), value: 'xmpp' },
          right: { op: 'co', path: path('ims', 'value'), value: '@foo.com' },
        },
      },
    },
  ],
  // Section 3.4.2.2 also shows that names and operators are case-insensitive.
  ['userName Eq "john"', { op: 'eq', path: path('userName'), value: 'john' }],
  ['Username eq "john"', { op: 'eq', path: path('Username'), value: 'john' }],
];

describe('parseFilter: RFC 7644 3.4.2.2 examples', () => {
  it.each(RFC_EXAMPLES)('%s', (text, expected) => {
    expect(parseFilter(text)).toStrictEqual(expected);
  });

  it.each(RFC_EXAMPLES)('%s resolves against the User resource type', (text) => {
    const resolved = parseFilter(text, { resourceType: 'User' });
    const paths: FilterPath[] = [];
    const walk = (node: FilterNode): void => {
      switch (node.op) {
        case 'and':
        case 'or':
          walk(node.left);
          walk(node.right);
          return;
        case 'not':
          walk(node.filter);
          return;
        case 'valuePath':
          paths.push(node.path);
          walk(node.filter);
          return;
        default:
          paths.push(node.path);
      }
    };
    walk(resolved);
    for (const p of paths) expect(p.resolved).toBeDefined();
  });
});

describe('parseFilter: grammar', () => {
  it('gives not precedence over and, and and over or', () => {
    expect(parseFilter('a pr or b pr and not (c pr)')).toStrictEqual({
      op: 'or',
      left: { op: 'pr', path: path('a') },
      right: {
        op: 'and',
        left: { op: 'pr', path: path('b') },
        right: { op: 'not', filter: { op: 'pr', path: path('c') } },
      },
    });
    expect(parseFilter('a pr and b pr or c pr')).toStrictEqual({
      op: 'or',
      left: { op: 'and', left: { op: 'pr', path: path('a') }, right: { op: 'pr', path: path('b') } },
      right: { op: 'pr', path: path('c') },
    });
  });

  it('is left-associative and lets parentheses override', () => {
    expect(parseFilter('a pr and b pr and c pr')).toStrictEqual({
      op: 'and',
      left: { op: 'and', left: { op: 'pr', path: path('a') }, right: { op: 'pr', path: path('b') } },
      right: { op: 'pr', path: path('c') },
    });
    expect(parseFilter('a pr and (b pr or c pr)')).toStrictEqual({
      op: 'and',
      left: { op: 'pr', path: path('a') },
      right: { op: 'or', left: { op: 'pr', path: path('b') }, right: { op: 'pr', path: path('c') } },
    });
    expect(parseFilter('((a pr))')).toStrictEqual({ op: 'pr', path: path('a') });
  });

  it('accepts operators, keywords and literals in any letter case', () => {
    expect(parseFilter('A PR AND NOT (B Ne TRUE) OR c GE 1')).toStrictEqual({
      op: 'or',
      left: {
        op: 'and',
        left: { op: 'pr', path: path('A') },
        right: { op: 'not', filter: { op: 'ne', path: path('B'), value: true } },
      },
      right: { op: 'ge', path: path('c'), value: 1 },
    });
    expect(parseFilter('x eq False')).toMatchObject({ value: false });
    expect(parseFilter('x eq NULL')).toMatchObject({ value: null });
  });

  it('treats keywords inside strings as text', () => {
    expect(parseFilter('displayName eq "Sales and Marketing"')).toStrictEqual({
      op: 'eq',
      path: path('displayName'),
      value: 'Sales and Marketing',
    });
    expect(parseFilter('displayName eq "x or y) and not (z pr ["')).toMatchObject({
      value: 'x or y) and not (z pr [',
    });
  });

  it('decodes every JSON escape', () => {
    expect(parseFilter('userName eq "a \\"quoted\\" name"')).toMatchObject({ value: 'a "quoted" name' });
    expect(parseFilter('x eq "\\\\ \\/ \\b \\f \\n \\r \\t"')).toMatchObject({
      value: '\\ / \b \f \n \r \t',
    });
    expect(parseFilter('x eq "O\\u0027Malley \\u00e9\\u00C9 \\ud83d\\ude00"')).toMatchObject({
      value: "O'Malley éÉ 😀",
    });
    expect(parseFilter('x eq "héllo 世界 😀"')).toMatchObject({ value: 'héllo 世界 😀' });
  });

  it('reads JSON numbers, true, false and null', () => {
    expect(parseFilter('x eq 0')).toMatchObject({ value: 0 });
    expect(parseFilter('x eq -12')).toMatchObject({ value: -12 });
    expect(parseFilter('x eq 1.5e3')).toMatchObject({ value: 1500 });
    expect(parseFilter('x eq 2E-2')).toMatchObject({ value: 0.02 });
    expect(parseFilter('x eq true')).toMatchObject({ value: true });
    expect(parseFilter('x ne null')).toMatchObject({ op: 'ne', value: null });
  });

  it('accepts any run of blanks between tokens and none around brackets', () => {
    expect(parseFilter('  userName\teq\n"x"  ')).toStrictEqual({
      op: 'eq',
      path: path('userName'),
      value: 'x',
    });
    expect(parseFilter('(a pr)and(b pr)')).toMatchObject({ op: 'and' });
    expect(parseFilter('not(a pr)')).toMatchObject({ op: 'not' });
  });

  it('splits URN-qualified paths at the last colon, keeping the sub-attribute', () => {
    expect(
      parseFilter(`${SCHEMA_URNS.enterpriseUser}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`),
    ).toMatchObject({
      path: { schema: SCHEMA_URNS.enterpriseUser, attribute: 'manager', subAttribute: 'value' },
    });
    expect(parseFilter(`${SCHEMA_URNS.user}:name.familyName pr`)).toStrictEqual({
      op: 'pr',
      path: path('name', 'familyName', SCHEMA_URNS.user),
    });
  });

  it('canonicalises URN prefixes case-insensitively when a registry is given', async () => {
    const { defaultSchemaRegistry } = await import('../schema/registry.js');
    const text = 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:department eq "x"';
    expect(parseFilter(text)).toMatchObject({
      path: { schema: 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER' },
    });
    expect(parseFilter(text, { registry: defaultSchemaRegistry })).toMatchObject({
      path: { schema: SCHEMA_URNS.enterpriseUser, attribute: 'department' },
    });
  });

  it('stores value-path inner paths fully qualified', () => {
    expect(parseFilter(`${SCHEMA_URNS.user}:emails[type eq "work"]`)).toStrictEqual({
      op: 'valuePath',
      path: path('emails', undefined, SCHEMA_URNS.user),
      filter: { op: 'eq', path: path('emails', 'type', SCHEMA_URNS.user), value: 'work' },
    });
    expect(parseFilter('members[value eq "2819c223" or not ($ref pr)]')).toMatchObject({
      op: 'valuePath',
      filter: { op: 'or', right: { op: 'not', filter: { op: 'pr', path: path('members', '$ref') } } },
    });
  });

  it('lets attributes be named like keywords', () => {
    expect(parseFilter('not eq "x" and and pr or or pr')).toStrictEqual({
      op: 'or',
      left: {
        op: 'and',
        left: { op: 'eq', path: path('not'), value: 'x' },
        right: { op: 'pr', path: path('and') },
      },
      right: { op: 'pr', path: path('or') },
    });
    expect(parseFilter('pr pr')).toStrictEqual({ op: 'pr', path: path('pr') });
  });
});

describe('parseFilter: errors', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['userName', /Expected an operator .* at position 9, found the end of the filter/],
    ['userName eqq "x"', /Expected an operator .*after "userName" at position 10, found "eqq"/],
    // Names of Object.prototype are no operators (the fuzz test once found `constructor` accepted).
    [
      'userName constructor "x"',
      /Expected an operator .*after "userName" at position 10, found "constructor"/,
    ],
    ['userName toString "x"', /Expected an operator .*found "toString"/],
    ['userName __proto__ "x"', /Expected an operator .*found "__proto__"/],
    ['emails[type eq "work"].value hasOwnProperty "x"', /Expected an operator .*found "hasOwnProperty"/],
    ['userName eq', /Expected a value .* after "eq" at position 12/],
    ['userName eq bjensen', /strings must be in double quotes/],
    ['userName eq "bjensen', /Unterminated string starting at position 13/],
    ['userName eq "a\\qb"', /Invalid escape \\q in a string at position 15/],
    ['userName eq "\\u12"', /four hexadecimal digits/],
    ['userName eq "a\nb"', /Control character U\+000A/],
    ['x eq 01', /leading zeros/],
    ['x eq 1.', /digit must follow the decimal point/],
    ['x eq -', /digit must follow "-"/],
    ['x eq 1e', /digit must follow the exponent/],
    ['x eq 1e999', /out of range/],
    ['x eq 12abc', /Invalid number/],
    ['not userName eq "x"', /"not" at position 1 must be followed by a parenthesised filter/],
    ['(a pr', /Expected "and", "or" or "\)" at position 6 \(to close the "\(" at position 1\)/],
    ['a pr)', /Unmatched "\)" at position 5/],
    ['a pr b pr', /Expected "and", "or" or the end of the filter at position 6, found "b"/],
    ['a pr and', /Expected an attribute path, "\(" or "not \(" at position 9/],
    ['and pr and', /at position 11/],
    ['emails[type eq "work"', /"\]" at position 22 \(to close the "\[" at position 7\)/],
    ['emails[]', /Empty value filter/],
    ['emails[type[value eq "x"]]', /cannot be nested/],
    ['emails[emails.type eq "work"]', /name a sub-attribute of emails/],
    ['name.givenName[value eq "x"]', /must follow a top-level attribute/],
    ['emails[type eq "work"].value', /Expected an operator .*after "emails\[\.\.\.\]\.value"/],
    ['emails[type eq "work"].1x eq "x"', /not a valid sub-attribute/],
    ['name.familyName.x pr', /only one sub-attribute level/],
    ['1abc pr', /Invalid number|attribute path/],
    ['_x pr', /not a valid attribute path/],
    ['a:b pr', /schema prefix must be a URN/],
    ['urn::x:y pr', /empty part/],
    ['urn:x: pr', /ends with ":"/],
    ['x eq "y" #', /Unexpected character "#" at position 10/],
    ['x gt null', /null can only be compared with eq or ne/],
    ['x co null', /null can only be compared with eq or ne/],
    ['[a pr]', /Expected an attribute path/],
  ];
  it.each(cases)('%j', (text, message) => {
    const error = errorOf(() => parseFilter(text));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toMatch(message);
  });

  it('rejects a non-string filter with invalidFilter', () => {
    expect(errorOf(() => parseFilter(42 as unknown as string)).scimType).toBe('invalidFilter');
  });
});

describe('parseFilter: limits', () => {
  it('rejects text longer than maxLength before parsing', () => {
    const long = `userName eq "${'a'.repeat(5000)}"`;
    expect(errorOf(() => parseFilter(long)).detail).toMatch(/at most 4096/);
    expect(parseFilter(long, { maxLength: 6000 })).toMatchObject({ op: 'eq' });
    expect(errorOf(() => parseFilter('userName pr', { maxLength: 5 })).detail).toMatch(
      /11 characters long; at most 5/,
    );
  });

  it('rejects nesting deeper than maxDepth', () => {
    const nested = (n: number) => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
    expect(parseFilter(nested(32))).toStrictEqual({ op: 'pr', path: path('a') });
    expect(errorOf(() => parseFilter(nested(33))).detail).toMatch(
      /nested deeper than 32 levels at position 33/,
    );
    const nots = `${'not ('.repeat(40)}a pr${')'.repeat(40)}`;
    expect(errorOf(() => parseFilter(nots, { maxLength: 10_000 })).detail).toMatch(/deeper than 32/);
    expect(errorOf(() => parseFilter(nested(3), { maxDepth: 2 })).detail).toMatch(/deeper than 2/);
  });

  it('rejects more than maxNodes expressions', () => {
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `a${i} pr`).join(' or ');
    expect(() => parseFilter(terms(250), { maxLength: 100_000 })).not.toThrow();
    expect(errorOf(() => parseFilter(terms(260), { maxLength: 100_000 })).detail).toMatch(
      /more than 500 expressions/,
    );
    expect(errorOf(() => parseFilter(terms(3), { maxNodes: 4 })).detail).toMatch(/more than 4 expressions/);
  });

  it('rejects a hostile, deeply nested input without a stack overflow', () => {
    const hostile = '('.repeat(100_000);
    const error = errorOf(() => parseFilter(hostile, { maxLength: 1_000_000 }));
    expect(error.detail).toMatch(/deeper than 32/);
  });
});

describe('parsePatchPath', () => {
  it('parses every RFC 7644 3.5.2 path form', () => {
    expect(parsePatchPath('members')).toStrictEqual({ path: path('members') });
    expect(parsePatchPath('name.familyName')).toStrictEqual({ path: path('name', 'familyName') });
    expect(parsePatchPath('members[value eq "2819c223-7f76-453a-919d-413861904646"]')).toStrictEqual({
      path: path('members'),
      filter: { op: 'eq', path: path('members', 'value'), value: '2819c223-7f76-453a-919d-413861904646' },
    });
    expect(parsePatchPath('emails[type eq "work" and value ew "example.com"].display')).toStrictEqual({
      path: path('emails'),
      filter: {
        op: 'and',
        left: { op: 'eq', path: path('emails', 'type'), value: 'work' },
        right: { op: 'ew', path: path('emails', 'value'), value: 'example.com' },
      },
      subAttribute: 'display',
    });
    expect(parsePatchPath(`${SCHEMA_URNS.enterpriseUser}:manager`)).toStrictEqual({
      path: path('manager', undefined, SCHEMA_URNS.enterpriseUser),
    });
    expect(parsePatchPath(`${SCHEMA_URNS.enterpriseUser}:manager.value`)).toStrictEqual({
      path: path('manager', 'value', SCHEMA_URNS.enterpriseUser),
    });
  });

  it('resolves against a resource type and canonicalises names', () => {
    const resolved = parsePatchPath('EMAILS[TYPE eq "work"].VALUE', { resourceType: 'User' });
    expect(resolved.path).toMatchObject({
      attribute: 'emails',
      resolved: { complex: true, multiValued: true },
    });
    expect(resolved.filter).toMatchObject({ path: { attribute: 'emails', subAttribute: 'type' } });
    expect(resolved.subAttribute).toBe('value');
  });

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['emails[type eq "work"].', /not a valid sub-attribute/],
    ['emails[type eq "work"].value.x', /not a valid sub-attribute/],
    ['emails[type eq "work"] x', /Expected a sub-attribute/],
    ['emails x', /Expected a value filter/],
    ['name.givenName[value eq "x"]', /top-level attribute/],
    ['emails[type eq "work"', /"\]"/],
    ['userName eq "x"', /Expected a value filter "\[...\]" or the end of the path/],
  ];
  it.each(bad)('rejects %j with invalidPath', (text, message) => {
    const error = errorOf(() => parsePatchPath(text));
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toMatch(message);
  });

  it('names unknown attributes and non-complex value filters with invalidPath', () => {
    expect(errorOf(() => parsePatchPath('nope', { resourceType: 'User' })).detail).toMatch(
      /Unknown attribute "nope"/,
    );
    expect(
      errorOf(() => parsePatchPath('emails[type eq "work"].nope', { resourceType: 'User' })).detail,
    ).toMatch(/emails has no sub-attribute "nope"/);
    expect(
      errorOf(() => parsePatchPath(SCHEMA_URNS.enterpriseUser, { resourceType: 'User' })).detail,
    ).toMatch(
      /names the whole schema urn:ietf:params:scim:schemas:extension:enterprise:2.0:User, not an attribute/,
    );
    const error = errorOf(() => parsePatchPath('userName[value eq "x"]', { resourceType: 'User' }));
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toMatch(/not a complex attribute/);
  });
});

describe('parseAttributePath', () => {
  it('parses and resolves sortBy-style paths', () => {
    expect(parseAttributePath('name.familyName')).toStrictEqual(path('name', 'familyName'));
    expect(parseAttributePath('META.LASTMODIFIED', { resourceType: 'User' })).toMatchObject({
      attribute: 'meta',
      subAttribute: 'lastModified',
      resolved: { type: 'dateTime' },
    });
  });

  it('rejects value filters and unknown names with the requested error type', () => {
    expect(errorOf(() => parseAttributePath('emails[type eq "work"]')).scimType).toBe('invalidPath');
    const error = errorOf(() =>
      parseAttributePath('nope', { resourceType: 'Group', errorType: 'invalidFilter' }),
    );
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toMatch(/Unknown attribute "nope" for resource type Group/);
  });
});

describe('parseFilter: a sub-attribute after a value filter (Microsoft Entra ID)', () => {
  const work = { op: 'eq', path: path('emails', 'type'), value: 'work' } as const;

  it('reads attr[filter].sub op value as attr[filter and sub op value]', () => {
    expect(parseFilter('emails[type eq "work"].value eq "user@contoso.com"')).toEqual({
      op: 'valuePath',
      path: path('emails'),
      filter: {
        op: 'and',
        left: work,
        right: { op: 'eq', path: path('emails', 'value'), value: 'user@contoso.com' },
      },
    });
    expect(parseFilter('emails[type eq "work"].value pr')).toEqual({
      op: 'valuePath',
      path: path('emails'),
      filter: { op: 'and', left: work, right: { op: 'pr', path: path('emails', 'value') } },
    });
  });

  it('keeps the URN and combines with the rest of the filter', () => {
    const node = parseFilter(`userName eq "a" or ${SCHEMA_URNS.user}:emails[type eq "work"].VALUE EQ "b"`);
    expect(node).toMatchObject({
      op: 'or',
      right: {
        op: 'valuePath',
        path: path('emails', undefined, SCHEMA_URNS.user),
        filter: {
          op: 'and',
          right: { op: 'eq', path: path('emails', 'VALUE', SCHEMA_URNS.user), value: 'b' },
        },
      },
    });
  });

  it('resolves and evaluates like the bracketed form', () => {
    const user = {
      schemas: [SCHEMA_URNS.user],
      userName: 'u',
      emails: [
        { type: 'home', value: 'x@example.com' },
        { type: 'work', value: 'y@example.com' },
      ],
    };
    const options = { resourceType: 'User' };
    expect(evaluateFilter('emails[type eq "work"].value eq "Y@example.com"', user, options)).toBe(true);
    expect(evaluateFilter('emails[type eq "work"].value eq "x@example.com"', user, options)).toBe(false);
    const resolved = parseFilter('emails[type eq "work"].value eq "y@example.com"', options);
    expect(formatFilter(resolved)).toBe('emails[type eq "work" and value eq "y@example.com"]');
  });
});
