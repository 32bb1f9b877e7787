import { describe, expect, it } from 'vitest';
import { passwordsInBulk, passwordsInPatch, passwordsInResource } from './find-passwords.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('passwordsInResource (POST / PUT)', () => {
  it('finds the top-level key in any case, the URN-qualified key and the key under the core URN', () => {
    expect(passwordsInResource({ schemas: [USER], userName: 'a', password: 'p1' })).toEqual(['p1']);
    expect(passwordsInResource({ userName: 'a', PassWord: 'p2' })).toEqual(['p2']);
    expect(passwordsInResource({ [`${USER}:password`]: 'p3' })).toEqual(['p3']);
    expect(passwordsInResource({ [`${USER.toUpperCase()}:PASSWORD`]: 'p4' })).toEqual(['p4']);
    expect(passwordsInResource({ [USER]: { Password: 'p5' } })).toEqual(['p5']);
  });

  it('ignores other attributes, extensions, non-strings and non-objects', () => {
    expect(passwordsInResource({ userName: 'password', nickName: 'x' })).toEqual([]);
    expect(passwordsInResource({ [ENTERPRISE]: { password: 'not-core' } })).toEqual([]);
    expect(passwordsInResource({ password: 12345 })).toEqual([]);
    expect(passwordsInResource(undefined)).toEqual([]);
    expect(passwordsInResource(['password'])).toEqual([]);
  });
});

describe('passwordsInPatch', () => {
  it('finds add/replace with a password path (plain or URN, any case, op in any case)', () => {
    expect(passwordsInPatch(patch({ op: 'replace', path: 'password', value: 'a' }))).toEqual(['a']);
    expect(passwordsInPatch(patch({ op: 'Add', path: 'PASSWORD', value: 'b' }))).toEqual(['b']);
    expect(passwordsInPatch(patch({ op: 'Replace', path: `${USER}:password`, value: 'c' }))).toEqual(['c']);
    expect(
      passwordsInPatch(patch({ op: 'replace', path: `${USER.toLowerCase()}:Password`, value: 'd' })),
    ).toEqual(['d']);
  });

  it('finds no-path values: Okta/Entra plain keys, Entra URN-prefixed keys, the core URN object', () => {
    expect(passwordsInPatch(patch({ op: 'replace', value: { password: 'e', active: true } }))).toEqual(['e']);
    expect(
      passwordsInPatch(patch({ op: 'Replace', value: { [`${USER}:password`]: 'f', 'name.givenName': 'G' } })),
    ).toEqual(['f']);
    expect(passwordsInPatch(patch({ op: 'add', value: { [USER]: { password: 'g' } } }))).toEqual(['g']);
  });

  it('collects several, once each, from the lower-case "operations" key too', () => {
    expect(
      passwordsInPatch({
        operations: [
          { op: 'replace', path: 'password', value: 'h' },
          { op: 'replace', value: { password: 'h' } },
          { op: 'add', value: { Password: 'i' } },
        ],
      }),
    ).toEqual(['h', 'i']);
  });

  it('ignores remove, other paths, value filters, non-string values and malformed bodies', () => {
    expect(passwordsInPatch(patch({ op: 'remove', path: 'password' }))).toEqual([]);
    expect(passwordsInPatch(patch({ op: 'replace', path: 'nickName', value: 'password' }))).toEqual([]);
    expect(passwordsInPatch(patch({ op: 'replace', path: 'password', value: ['x'] }))).toEqual([]);
    expect(passwordsInPatch(patch('nonsense', null, { path: 'password', value: 'no-op' }))).toEqual([]);
    expect(passwordsInPatch({ Operations: 'x' })).toEqual([]);
    expect(passwordsInPatch(null)).toEqual([]);
  });
});

describe('passwordsInBulk', () => {
  const isUsers = (segment: string) => segment.toLowerCase() === 'users';

  it('finds the passwords of User POST, PUT and PATCH operations only', () => {
    const body = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u', data: { userName: 'a', password: 'post' } },
        { method: 'put', path: '/users/1', data: { userName: 'a', password: 'put' } },
        {
          method: 'PATCH',
          path: 'Users/2',
          data: patch({ op: 'replace', path: 'password', value: 'patch' }),
        },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'G', password: 'group' } },
        { method: 'DELETE', path: '/Users/3', data: { password: 'delete' } },
        { method: 'POST', data: { password: 'no-path' } },
      ],
    };
    expect(passwordsInBulk(body, isUsers)).toEqual(['post', 'put', 'patch']);
  });
});
