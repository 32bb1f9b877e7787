import { describe, expect, it } from 'vitest';
import { generateSecret, hashesEqual, hashSecret } from './secrets.js';

describe('hashesEqual', () => {
  it('is true only for the same hash', () => {
    const a = hashSecret('scim_one');
    expect(hashesEqual(a, hashSecret('scim_one'))).toBe(true);
    expect(hashesEqual(a, hashSecret('scim_two'))).toBe(false);
    // A difference in the first or the last character, or a prefix, is still a difference.
    expect(hashesEqual(a, `x${a.slice(1)}`)).toBe(false);
    expect(hashesEqual(a, `${a.slice(0, -1)}x`)).toBe(false);
    expect(hashesEqual(a, a.slice(0, -1))).toBe(false);
    expect(hashesEqual('', '')).toBe(true);
    expect(hashesEqual('\u00e9', 'e\u0301')).toBe(false);
  });
});

describe('hashSecret', () => {
  it('is the hex SHA-256 of the UTF-8 secret', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashSecret('\u00e9')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
    expect(generateSecret()).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
  });
});
