import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../errors/scim-error.js';
import { defineAttribute } from '../schema/define.js';
import type { AttributeType } from '../schema/types.js';
import { validateAttributeValue } from './validate-value.js';

const of = (type: AttributeType, extra: Record<string, unknown> = {}) =>
  defineAttribute({ name: 'x', type, ...extra });
const check = (value: unknown, type: AttributeType, extra: Record<string, unknown> = {}, strict = false) =>
  validateAttributeValue(value, of(type, extra), { path: 'x', strict });

function rejects(run: () => unknown, scimType = 'invalidValue'): void {
  try {
    run();
  } catch (error) {
    expect(isScimError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, scimType });
    expect((error as Error).message).toContain('"x');
    return;
  }
  throw new Error('expected a ScimError');
}

describe('validateAttributeValue per type', () => {
  it('string', () => {
    expect(check('a', 'string')).toBe('a');
    rejects(() => check(1, 'string'));
    rejects(() => check(true, 'string'));
    rejects(() => check({}, 'string'));
  });

  it('boolean with IdP string coercion', () => {
    for (const [input, output] of [
      [true, true],
      [false, false],
      ['True', true],
      ['FALSE', false],
      [' true ', true],
    ] as const) {
      expect(check(input, 'boolean')).toBe(output);
    }
    for (const bad of ['yes', 1, 0, '', 'null']) rejects(() => check(bad, 'boolean'));
  });

  it('integer with string coercion, rejecting fractions', () => {
    expect(check(42, 'integer')).toBe(42);
    expect(check('42', 'integer')).toBe(42);
    expect(check('-7', 'integer')).toBe(-7);
    for (const bad of [1.5, '1.5', 'forty', Number.NaN, Number.POSITIVE_INFINITY, true, 2 ** 60]) {
      rejects(() => check(bad, 'integer'));
    }
  });

  it('decimal with string coercion', () => {
    expect(check(1.5, 'decimal')).toBe(1.5);
    expect(check('1.25', 'decimal')).toBe(1.25);
    expect(check('1e3', 'decimal')).toBe(1000);
    expect(check(3, 'decimal')).toBe(3);
    for (const bad of ['abc', Number.NaN, '1,5', false]) rejects(() => check(bad, 'decimal'));
  });

  it('dateTime must be a valid xsd:dateTime', () => {
    for (const good of [
      '2008-01-23T04:56:22Z',
      '2015-09-01T10:00:00.123+02:00',
      '2024-02-29T23:59:59',
      '2010-01-23T04:56:22-14:00',
    ]) {
      expect(check(good, 'dateTime')).toBe(good);
    }
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2023-13-01T00:00:00Z',
      '2023-01-01',
      '2023-01-01T25:00:00Z',
      '2023-01-01 00:00:00Z',
      'yesterday',
      1700000000,
    ]) {
      rejects(() => check(bad, 'dateTime'));
    }
  });

  it('binary must be base64', () => {
    expect(check('TWFu', 'binary')).toBe('TWFu');
    expect(check('TWE=', 'binary')).toBe('TWE=');
    expect(check('TWE', 'binary')).toBe('TWE');
    for (const bad of ['***', 'TW=u', 5]) rejects(() => check(bad, 'binary'));
  });

  it('reference must be a string without spaces', () => {
    expect(check('https://example.com/Users/1', 'reference', { referenceTypes: ['User'] })).toBe(
      'https://example.com/Users/1',
    );
    for (const bad of ['', 'a b', 3]) rejects(() => check(bad, 'reference'));
  });

  it('complex must be an object of known sub-attributes', () => {
    const complex = {
      subAttributes: [
        { name: 'value', type: 'integer' },
        { name: 'label', type: 'string', required: true },
      ],
    };
    expect(check({ VALUE: '3', label: 'l' }, 'complex', complex)).toEqual({ value: 3, label: 'l' });
    rejects(() => check('3', 'complex', complex));
    rejects(() => check({ value: 3 }, 'complex', complex));
    rejects(() => check({ label: 'l', other: 1 }, 'complex', complex, true), 'invalidSyntax');
    expect(check({}, 'complex', complex)).toBeUndefined();
  });

  it('reads a bare string as { value } of a complex attribute with a value (Entra manager), unless strict', () => {
    const manager = {
      subAttributes: [
        { name: 'value', type: 'string' },
        { name: 'displayName', type: 'string', mutability: 'readOnly' },
      ],
    };
    expect(check('m-1', 'complex', manager)).toEqual({ value: 'm-1' });
    rejects(() => check('m-1', 'complex', manager, true));
    rejects(() => check('x', 'complex', { subAttributes: [{ name: 'label', type: 'string' }] }));
  });

  it('multi-valued: lists, a lenient single value, and one primary', () => {
    const multi = {
      multiValued: true,
      subAttributes: [
        { name: 'value', type: 'string' },
        { name: 'primary', type: 'boolean' },
      ],
    };
    expect(
      check(
        [
          { value: 'a', primary: 'True' },
          { value: 'b', primary: false },
        ],
        'complex',
        multi,
      ),
    ).toEqual([
      { value: 'a', primary: true },
      { value: 'b', primary: false },
    ]);
    expect(check({ value: 'a' }, 'complex', multi)).toEqual([{ value: 'a' }]);
    rejects(() => check({ value: 'a' }, 'complex', multi, true));
    rejects(() =>
      check(
        [
          { value: 'a', primary: true },
          { value: 'b', primary: 'true' },
        ],
        'complex',
        multi,
      ),
    );
    expect(check([null, {}], 'complex', multi)).toBeUndefined();
    expect(check(['1', 2], 'integer', { multiValued: true })).toEqual([1, 2]);
    rejects(() => check([[1]], 'integer', { multiValued: true }));
    rejects(() => check([1], 'integer'));
  });

  it('canonicalValues are enforced only in strict mode, respecting caseExact', () => {
    expect(check('other', 'string', { canonicalValues: ['a'] })).toBe('other');
    rejects(() => check('other', 'string', { canonicalValues: ['a'] }, true));
    expect(check('A', 'string', { canonicalValues: ['a'] }, true)).toBe('A');
    rejects(() => check('A', 'string', { canonicalValues: ['a'], caseExact: true }, true));
  });

  it('round-trips any integer sent as number or string', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.boolean(), (n, asString) => {
        expect(check(asString ? String(n) : n, 'integer')).toBe(n);
      }),
    );
  });

  it('round-trips any finite decimal sent as number or string', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), (n, asString) => {
        // String(-0) is "0", so the text form of -0 reads back as 0.
        expect(check(asString ? String(n) : n, 'decimal')).toBe(asString && Object.is(n, -0) ? 0 : n);
      }),
    );
  });

  it('accepts booleans in any letter case and rejects every other string', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (value, upper) => {
        const text = [...String(value)].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        expect(check(text, 'boolean')).toBe(value);
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => !['true', 'false'].includes(s.trim().toLowerCase())),
        (text) => {
          rejects(() => check(text, 'boolean'));
        },
      ),
    );
  });
});
