import { describe, expect, it } from 'vitest';
import { changedAttributes, deepEqual } from './changed-attributes.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('changedAttributes', () => {
  it('lists top-level, sub-attribute and extension paths that differ, sorted', () => {
    const before = {
      schemas: ['a'],
      id: '1',
      userName: 'a',
      name: { givenName: 'A' },
      emails: [{ value: 'x' }],
    };
    const after = {
      schemas: ['a', ENTERPRISE],
      id: '1',
      userName: 'a',
      name: { givenName: 'B', familyName: 'C' },
      emails: [{ value: 'y' }],
      [ENTERPRISE]: { manager: { value: 'm' } },
      meta: { version: 'W/"2"' },
    };
    expect(changedAttributes(before, after)).toEqual([
      'emails',
      'name.familyName',
      'name.givenName',
      `${ENTERPRISE}:manager`,
    ]);
  });

  it('reports a complex attribute added or removed as a whole', () => {
    expect(changedAttributes({ name: { givenName: 'A' } }, {})).toEqual(['name']);
    expect(changedAttributes(undefined, { title: 'x' })).toEqual(['title']);
  });
});

describe('deepEqual', () => {
  it('compares JSON structurally, ignoring undefined members', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: 1 }, [1])).toBe(false);
  });
});
