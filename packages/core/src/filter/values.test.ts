import { describe, expect, it } from 'vitest';
import { SCHEMA_URNS } from '../schema/types.js';
import { parseAttributePath } from './parse-path.js';
import { getElements, getValues, isPresent } from './values.js';

const ENTERPRISE = SCHEMA_URNS.enterpriseUser;
const user = {
  schemas: [SCHEMA_URNS.user, ENTERPRISE],
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: null },
  emails: [{ value: 'a@x', type: 'work' }, { value: 'b@x' }, { type: 'home' }, null],
  Title: 'Tour Guide',
  [ENTERPRISE]: { manager: { value: 'm-1' }, department: 'Ops' },
};

describe('getValues', () => {
  it('reads single values, sub-attributes and every element of a multi-valued attribute', () => {
    expect(getValues(user, parseAttributePath('userName'))).toEqual(['bjensen']);
    expect(getValues(user, parseAttributePath('name.givenName'))).toEqual(['Barbara']);
    expect(getValues(user, parseAttributePath('name.familyName'))).toEqual([]);
    expect(getValues(user, parseAttributePath('emails.value'))).toEqual(['a@x', 'b@x']);
    expect(getValues(user, parseAttributePath('emails.type'))).toEqual(['work', 'home']);
    expect(getValues(user, parseAttributePath('emails'))).toHaveLength(3);
    expect(getValues(user, parseAttributePath('nickName'))).toEqual([]);
  });

  it('matches names case-insensitively when the exact key is missing', () => {
    expect(getValues(user, parseAttributePath('title'))).toEqual(['Tour Guide']);
    expect(getValues(user, parseAttributePath('EMAILS.VALUE'))).toEqual(['a@x', 'b@x']);
  });

  it('reads extension attributes under their URN, resolved or not', () => {
    expect(getValues(user, parseAttributePath(`${ENTERPRISE}:manager.value`))).toEqual(['m-1']);
    expect(getValues(user, parseAttributePath('department', { resourceType: 'User' }))).toEqual(['Ops']);
    expect(getValues(user, parseAttributePath(`${ENTERPRISE.toUpperCase()}:department`))).toEqual(['Ops']);
    expect(getValues({ schemas: [] }, parseAttributePath('department', { resourceType: 'User' }))).toEqual(
      [],
    );
  });

  it('reads core attributes qualified with the core URN from the top level', () => {
    expect(getValues(user, parseAttributePath(`${SCHEMA_URNS.user}:userName`))).toEqual(['bjensen']);
    expect(
      getValues(user, parseAttributePath(`${SCHEMA_URNS.user}:userName`, { resourceType: 'User' })),
    ).toEqual(['bjensen']);
  });
});

describe('getElements', () => {
  it('gives the objects a value filter runs over', () => {
    expect(getElements(user, parseAttributePath('emails'))).toHaveLength(3);
    expect(getElements(user, parseAttributePath('name'))).toEqual([user.name]);
    expect(getElements(user, parseAttributePath('userName'))).toEqual([]);
  });
});

describe('isPresent', () => {
  it('follows RFC 7643 2.5', () => {
    for (const absent of [undefined, null, '', [], {}, [null, ''], { value: null, type: '' }]) {
      expect(isPresent(absent)).toBe(false);
    }
    for (const present of [0, false, 'x', [1], { value: 'x' }, [{ value: null }, { type: 'w' }]]) {
      expect(isPresent(present)).toBe(true);
    }
  });
});
