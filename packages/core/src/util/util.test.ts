import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAttributeList } from './attribute-list.js';
import { isXsdDateTime } from './date-time.js';
import { isPlainObject } from './is-plain-object.js';
import { joinUrl } from './join-url.js';

describe('util', () => {
  it('splitAttributeList trims and drops empties', () => {
    expect(splitAttributeList(' userName, name.givenName ,,')).toEqual(['userName', 'name.givenName']);
    expect(splitAttributeList(['a,b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(splitAttributeList(undefined)).toEqual([]);
  });

  it('joinUrl joins with single slashes and encodes ids', () => {
    expect(joinUrl('https://x/scim/v2/', '/Users', 'a/b')).toBe('https://x/scim/v2/Users/a%2Fb');
    expect(joinUrl('https://x', 'Groups')).toBe('https://x/Groups');
  });

  it('isPlainObject accepts JSON objects only', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    for (const value of [null, [], 'x', 1, new Date(), new Map()]) expect(isPlainObject(value)).toBe(false);
  });

  it('isXsdDateTime accepts every ISO string Date produces', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          expect(isXsdDateTime(date.toISOString())).toBe(true);
        },
      ),
    );
  });

  it('isXsdDateTime rejects impossible dates and bad zones', () => {
    for (const bad of [
      '2021-04-31T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2021-01-01T00:60:00Z',
      '2021-01-01T24:00:01Z',
      '2021-01-01T00:00:00+15:00',
      '0000-01-01T00:00:00Z',
    ]) {
      expect(isXsdDateTime(bad)).toBe(false);
    }
    expect(isXsdDateTime('2000-02-29T24:00:00Z')).toBe(true);
  });
});
