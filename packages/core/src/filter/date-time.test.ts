import { describe, expect, it } from 'vitest';
import { parseDateTime } from './date-time.js';

describe('parseDateTime', () => {
  it('reads xsd:dateTime with zones, fractions and no zone (UTC)', () => {
    const base = Date.UTC(2011, 4, 13, 4, 42, 34);
    expect(parseDateTime('2011-05-13T04:42:34Z')).toBe(base);
    expect(parseDateTime('2011-05-13T04:42:34')).toBe(base);
    expect(parseDateTime('2011-05-13T06:42:34+02:00')).toBe(base);
    expect(parseDateTime('2011-05-12T23:12:34-05:30')).toBe(base);
    expect(parseDateTime('2011-05-13T04:42:34.5Z')).toBe(base + 500);
    expect(parseDateTime('2011-05-13T04:42:34.0001Z')).toBeGreaterThan(base);
    expect(parseDateTime('2011-05-13t04:42:34z')).toBe(base);
    expect(parseDateTime('2011-05-13T24:00:00Z')).toBe(Date.UTC(2011, 4, 14));
    expect(parseDateTime('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    // Two-digit years are not shifted to the 1900s as Date.UTC would do.
    expect(parseDateTime('0099-01-01T00:00:00Z')).toBe(new Date('0099-01-01T00:00:00Z').getTime());
  });

  it('rejects what is not a real dateTime', () => {
    for (const text of [
      '',
      'yesterday',
      '2011-05-13',
      '2011-05-13 04:42:34Z',
      '2011-13-01T00:00:00Z',
      '2011-02-29T00:00:00Z',
      '2011-04-31T00:00:00Z',
      '2011-05-13T25:00:00Z',
      '2011-05-13T24:00:01Z',
      '2011-05-13T04:60:00Z',
      '2011-05-13T04:42:60Z',
      '2011-05-13T04:42:34+15:00',
      '2011-05-13T04:42:34+0200',
      '2011-05-13T04:42:34.Z',
      `${'9'.repeat(80)}-01-01T00:00:00Z`,
    ]) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
  });
});
