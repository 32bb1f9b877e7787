import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors/index.js';
import { createSchemaRegistry } from '../schema/registry.js';
import { SCHEMA_URNS, type ScimResource } from '../schema/types.js';
import { compareCodePoints, evaluateFilter } from './evaluate.js';
import { parseFilter } from './parse-filter.js';

const bjensen: ScimResource = {
  schemas: [SCHEMA_URNS.user, SCHEMA_URNS.enterpriseUser],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'BJ-1',
  userName: 'bjensen@example.com',
  name: { familyName: "O'Malley", givenName: 'Barbara' },
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  x509Certificates: [{ value: 'TUlJREFEQ0NBbUtnQXdJQkFnSUJB' }],
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff591"',
  },
  [SCHEMA_URNS.enterpriseUser]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
};

const group: ScimResource = {
  schemas: [SCHEMA_URNS.group],
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  displayName: 'Sales and Marketing',
  members: [{ value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen' }],
};

const matches = (filter: string, resource: ScimResource = bjensen) => evaluateFilter(filter, resource);

describe('evaluateFilter: RFC 7644 3.4.2.2 examples against a User', () => {
  const table: [string, boolean][] = [
    ['userName eq "bjensen@example.com"', true],
    ['userName eq "bjensen"', false],
    ['name.familyName co "O\'Malley"', true],
    ['userName sw "J"', false],
    ['userName sw "B"', true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "b"', true],
    ['title pr', true],
    ['nickName pr', false],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', true],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', true],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      true,
    ],
    [
      'emails[type eq "home" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      false,
    ],
  ];
  it.each(table)('%s -> %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });
});

describe('evaluateFilter: semantics', () => {
  it('compares caseExact=false strings case-insensitively, also for co, sw and ew', () => {
    expect(matches('userName eq "BJENSEN@EXAMPLE.COM"')).toBe(true);
    expect(matches('name.familyName co "MALLEY"')).toBe(true);
    expect(matches('name.familyName sw "o\'m"')).toBe(true);
    expect(matches('name.familyName ew "LEY"')).toBe(true);
    expect(matches('title gt "tour"')).toBe(true);
    expect(matches('title le "TOUR GUIDE"')).toBe(true);
  });

  it('compares caseExact=true strings exactly', () => {
    expect(matches('id eq "2819C223-7F76-453A-919D-413861904646"')).toBe(false);
    expect(matches('id eq "2819c223-7f76-453a-919d-413861904646"')).toBe(true);
    expect(matches('externalId eq "bj-1"')).toBe(false);
    expect(matches('externalId sw "BJ"')).toBe(true);
  });

  it('compares dateTimes chronologically across zones and precision', () => {
    expect(matches('meta.lastModified eq "2011-05-13T06:42:34+02:00"')).toBe(true);
    expect(matches('meta.lastModified eq "2011-05-13T04:42:34.000Z"')).toBe(true);
    expect(matches('meta.lastModified gt "2011-05-13T04:42:33.999Z"')).toBe(true);
    expect(matches('meta.lastModified lt "2011-05-13T05:42:34+01:00"')).toBe(false);
    expect(matches('meta.created lt "2011-01-01T00:00:00Z"')).toBe(true);
  });

  it('compares booleans and numbers by value', () => {
    expect(matches('active eq true')).toBe(true);
    expect(matches('active eq false')).toBe(false);
    expect(matches('active ne false')).toBe(true);
    const registry = createSchemaRegistry({
      schemas: [
        {
          id: 'urn:acme:params:scim:schemas:extension:product:2.0:User',
          name: 'ProductUser',
          attributes: [
            {
              name: 'quotaBytes',
              type: 'integer',
              multiValued: false,
              required: false,
              caseExact: false,
              mutability: 'readWrite',
              returned: 'default',
              uniqueness: 'none',
            },
            {
              name: 'score',
              type: 'decimal',
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
      extensions: {
        User: [{ schema: 'urn:acme:params:scim:schemas:extension:product:2.0:User', required: false }],
      },
    });
    const user: ScimResource = {
      schemas: [SCHEMA_URNS.user],
      userName: 'q',
      'urn:acme:params:scim:schemas:extension:product:2.0:User': { quotaBytes: 1024, score: 2.5 },
    };
    const run = (filter: string) => evaluateFilter(filter, user, { registry });
    expect(run('quotaBytes gt 1000')).toBe(true);
    expect(run('quotaBytes ge 1024 and quotaBytes le 1024')).toBe(true);
    expect(run('quotaBytes lt 1024')).toBe(false);
    expect(run('urn:acme:params:scim:schemas:extension:product:2.0:User:score eq 2.5')).toBe(true);
    expect(run('score gt 2.49')).toBe(true);
    expect(() => run('quotaBytes eq 1.5')).toThrow(/whole number/);
  });

  it('matches multi-valued attributes when any value matches', () => {
    expect(matches('emails.value eq "babs@jensen.org"')).toBe(true);
    expect(matches('emails.type eq "home"')).toBe(true);
    expect(matches('emails.type eq "other"')).toBe(false);
    expect(matches('emails ew ".org"')).toBe(true);
    expect(matches('members.value eq "2819c223-7f76-453a-919d-413861904646"', group)).toBe(true);
    expect(matches('members eq "2819c223-7f76-453a-919d-413861904646"', group)).toBe(true);
  });

  it('applies all conditions of a value filter to the same element', () => {
    expect(matches('emails[type eq "work" and value ew ".org"]')).toBe(false);
    expect(matches('emails.type eq "work" and emails.value ew ".org"')).toBe(true);
    expect(matches('emails[type eq "home" and not (primary eq true)]')).toBe(true);
    expect(matches('emails[primary eq true]')).toBe(true);
    expect(matches('members[value eq "2819c223-7f76-453a-919d-413861904646"]', group)).toBe(true);
    expect(matches('members[value eq "x"]', group)).toBe(false);
    expect(matches('name[givenName eq "barbara"]')).toBe(true);
  });

  it('evaluates ne as "not eq", so an absent attribute is not equal', () => {
    expect(matches('nickName ne "x"')).toBe(true);
    expect(matches('emails.type ne "work"')).toBe(false);
    expect(matches('emails.type ne "other"')).toBe(true);
  });

  it('treats null, "", [] and empty complex values as not present', () => {
    const sparse: ScimResource = {
      schemas: [SCHEMA_URNS.user],
      userName: 'sparse',
      nickName: '',
      title: null,
      emails: [],
      name: { givenName: null, familyName: '' },
      phoneNumbers: [{ value: null }],
    };
    for (const attribute of [
      'nickName',
      'title',
      'emails',
      'name',
      'phoneNumbers',
      'displayName',
      'name.givenName',
    ]) {
      expect(evaluateFilter(`${attribute} pr`, sparse)).toBe(false);
      expect(evaluateFilter(`${attribute} eq null`, sparse)).toBe(true);
      expect(evaluateFilter(`${attribute} ne null`, sparse)).toBe(false);
    }
    expect(evaluateFilter('userName pr', sparse)).toBe(true);
    expect(evaluateFilter('userName eq null', sparse)).toBe(false);
    expect(evaluateFilter('userName ne null', sparse)).toBe(true);
  });

  it('reads extension attributes under their URN, qualified or not', () => {
    expect(matches('employeeNumber eq "701984"')).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw "tour"')).toBe(
      true,
    );
    expect(
      matches(
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"',
      ),
    ).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName pr')).toBe(
      true,
    );
    expect(matches('organization pr')).toBe(false);
  });

  it('compares complex multi-valued attributes without a sub-attribute through their value', () => {
    expect(matches('emails eq "babs@jensen.org"')).toBe(true);
    expect(parseFilter('emails co "x"', { resourceType: 'User' })).toMatchObject({
      path: { attribute: 'emails', subAttribute: 'value' },
    });
  });

  it('selects the resource type from schemas, or from options', () => {
    expect(matches('displayName eq "sales and marketing"', group)).toBe(true);
    expect(() => matches('userName pr', group)).toThrow(
      /Unknown attribute "userName" for resource type Group/,
    );
    expect(
      evaluateFilter('displayName pr', { schemas: [], displayName: 'x' }, { resourceType: 'Group' }),
    ).toBe(true);
  });

  it('accepts a parsed AST, resolved or not', () => {
    const unresolved = parseFilter('USERNAME eq "BJENSEN@example.com"');
    expect(evaluateFilter(unresolved, bjensen)).toBe(true);
    const resolved = parseFilter('emails[type eq "work"]', { resourceType: 'User' });
    expect(evaluateFilter(resolved, bjensen)).toBe(true);
  });

  it('falls back to unresolved evaluation when no resource type is known', () => {
    const loose: ScimResource = {
      schemas: ['urn:example:unknown'],
      Name: 'Alpha',
      when: '2020-01-01T00:00:00Z',
      n: 3,
    };
    expect(evaluateFilter('name eq "ALPHA"', loose)).toBe(true);
    expect(evaluateFilter('when lt "2020-01-01T01:00:00+00:30"', loose)).toBe(true);
    expect(evaluateFilter('n ge 3', loose)).toBe(true);
    expect(evaluateFilter('missing pr', loose)).toBe(false);
  });

  it('rejects filters the attribute types do not allow, with invalidFilter', () => {
    const rejected: [string, RegExp][] = [
      ['active gt true', /gt, ge, lt and le do not apply to boolean/],
      ['x509Certificates.value lt "x"', /binary/],
      ['name ge "x"', /name is complex; "ge" cannot be used/],
      ['emails gt "a"', /emails is complex; "gt" cannot be used.*emails\.value/],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager le "x"', /manager is complex/],
      ['name eq "x"', /complex and has no "value" sub-attribute/],
      ['emails[type eq "work"] and name lt "x"', /name is complex/],
      ['meta.lastModified co "2011"', /co, sw and ew apply only to string/],
      ['active eq 1', /compare it with true or false/],
      ['userName eq 1', /compare it with a "quoted string"/],
      ['meta.created gt "2011-02-30T00:00:00Z"', /xsd:dateTime/],
      ['userName[value eq "x"]', /not a complex attribute/],
      ['emails[nope eq "x"]', /emails has no sub-attribute "nope"/],
      ['urn:example:other:User:userName pr', /not a schema of resource type User/],
      ['userName.x pr', /userName has no sub-attributes/],
    ];
    for (const [filter, message] of rejected) {
      let caught: unknown;
      try {
        matches(filter);
      } catch (error) {
        caught = error;
      }
      expect(caught, filter).toBeInstanceOf(ScimError);
      expect((caught as ScimError).scimType).toBe('invalidFilter');
      expect((caught as ScimError).detail, filter).toMatch(message);
    }
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, not by UTF-16 unit', () => {
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
    // U+1F600 (surrogate pair) sorts after U+FF5E in code-point and UTF-8 order.
    expect(compareCodePoints('😀', '～')).toBeGreaterThan(0);
    expect('😀' < '～').toBe(true);
  });
});
