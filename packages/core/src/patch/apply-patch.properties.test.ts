import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../errors/scim-error.js';
import { applyPatch, changedAttributes } from './index.js';
import { ENTERPRISE, bjensen, patch } from './test-fixtures.js';

// A pool of operations, valid and invalid, drawn in random order and number.
const operation = fc.constantFrom<unknown>(
  { op: 'replace', path: 'displayName', value: 'Babs' },
  { op: 'Replace', path: 'active', value: 'False' },
  { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'other', primary: true }] },
  { op: 'add', path: 'emails[type eq "work"].value', value: 'work@example.com' },
  { op: 'remove', path: 'emails[type eq "home"]' },
  { op: 'remove', path: 'emails' },
  { op: 'replace', path: 'name.givenName', value: 'B' },
  { op: 'remove', path: 'name' },
  { op: 'add', path: `${ENTERPRISE}:manager`, value: 'm1' },
  { op: 'remove', path: `${ENTERPRISE}:department` },
  { op: 'replace', value: { nickName: 'Bee', 'name.familyName': 'J' } },
  { op: 'replace', path: 'id', value: 'x' },
  { op: 'remove', path: 'userName' },
  { op: 'remove', path: 'phoneNumbers[type eq "fax"]' },
  { op: 'replace', path: 'nope', value: 1 },
  { op: 'add', path: '__proto__', value: { polluted: true } },
);

describe('applyPatch properties', () => {
  it('never modifies its input; fails as a ScimError or returns a delta that matches the change', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 6 }), (operations) => {
        const input = bjensen();
        let result: ReturnType<typeof applyPatch> | undefined;
        try {
          result = applyPatch(input, patch(...operations));
        } catch (error) {
          expect(isScimError(error)).toBe(true);
          expect((error as { status: number }).status).toBe(400);
        }
        expect(input).toEqual(bjensen());
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        if (result !== undefined) {
          expect(result.delta.changedAttributes).toEqual(changedAttributes(input, result.resource));
          // The result is plain JSON: it survives a round trip unchanged.
          expect(JSON.parse(JSON.stringify(result.resource))).toEqual(result.resource);
        }
      }),
      { numRuns: 300 },
    );
  });
});
