import { describe, expect, it } from 'vitest';
import { applyPatch } from './index.js';
import { ENTERPRISE, bjensen, patch, tourGuides } from './test-fixtures.js';

// Every example request of RFC 7644 section 3.5.2, applied to a concrete resource.

const BABS = '2819c223-7f76-453a-919d-413861904646';
const MANDY = '902c246b-6245-4190-8e05-00816be7344a';
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210';

describe('RFC 7644 3.5.2.1 add', () => {
  it('adds a member to a group', () => {
    const base = tourGuides();
    const group = { ...base, members: [(base.members as unknown[])[1]] };
    const { resource, delta } = applyPatch(
      group,
      patch({
        op: 'add',
        path: 'members',
        value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS }],
      }),
    );
    expect(resource.members).toEqual([
      { value: MANDY, display: 'Mandy Pepperidge', type: 'User' },
      { value: BABS, display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}` },
    ]);
    expect(delta.changedAttributes).toEqual(['members']);
    expect(delta.members).toEqual({
      added: [{ value: BABS, type: 'User', display: 'Babs Jensen' }],
      removed: [],
      replaced: false,
    });
  });

  it('adds without a path: emails appended, nickname set (attribute names are case-insensitive)', () => {
    const user = bjensen();
    user.emails = [{ value: 'bjensen@example.com', type: 'work', primary: true }];
    const { resource, delta } = applyPatch(
      user,
      patch({ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }),
    );
    expect(resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    expect(resource.nickName).toBe('Babs');
    expect(delta.changedAttributes).toEqual(['emails', 'nickName']);
  });

  it('does not duplicate a value that is already there', () => {
    const { resource, delta } = applyPatch(
      bjensen(),
      patch({ op: 'add', path: 'emails', value: [{ value: 'BABS@jensen.org', type: 'home' }] }),
    );
    expect(resource.emails).toEqual(bjensen().emails);
    expect(delta.changedAttributes).toEqual([]);
  });

  it('merges the sub-attributes of a complex attribute', () => {
    const { resource } = applyPatch(
      bjensen(),
      patch({ op: 'add', path: 'name', value: { middleName: 'Jane' } }),
    );
    expect(resource.name).toEqual({
      formatted: 'Ms. Barbara J Jensen, III',
      familyName: 'Jensen',
      givenName: 'Barbara',
      middleName: 'Jane',
    });
  });

  it('sets primary false on the other values when an added value is primary', () => {
    const { resource } = applyPatch(
      bjensen(),
      patch({
        op: 'add',
        path: 'emails',
        value: [{ value: 'barbara@example.org', type: 'other', primary: true }],
      }),
    );
    expect(resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'barbara@example.org', type: 'other', primary: true },
    ]);
  });
});

describe('RFC 7644 3.5.2.2 remove', () => {
  it('removes a single member from a group', () => {
    const { resource, delta } = applyPatch(
      tourGuides(),
      patch({ op: 'remove', path: `members[value eq "${BABS}"]` }),
    );
    expect(resource.members).toEqual([{ value: MANDY, display: 'Mandy Pepperidge', type: 'User' }]);
    expect(delta.members).toEqual({ added: [], removed: [BABS], replaced: false });
  });

  it('removes all members of a group', () => {
    const { resource, delta } = applyPatch(tourGuides(), patch({ op: 'remove', path: 'members' }));
    expect(resource).not.toHaveProperty('members');
    expect(delta.members).toEqual({ added: [], removed: [BABS, MANDY], replaced: false });
  });

  it('removes the values of a multi-valued attribute that match a filter', () => {
    const user = bjensen();
    user.emails = [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'barbara@jensen.org', type: 'work' },
    ];
    const { resource } = applyPatch(
      user,
      patch({ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }),
    );
    expect(resource.emails).toEqual([
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'barbara@jensen.org', type: 'work' },
    ]);
  });

  it('removes a certificate by value', () => {
    const user = bjensen();
    user.x509Certificates = [
      { value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' },
      { value: 'QUJDRA==' },
    ];
    const { resource } = applyPatch(
      user,
      patch({
        op: 'remove',
        path: 'x509Certificates[value eq "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw"]',
      }),
    );
    expect(resource.x509Certificates).toEqual([{ value: 'QUJDRA==' }]);
  });

  it('removes multiple members in one request', () => {
    const { resource } = applyPatch(
      tourGuides(),
      patch(
        { op: 'remove', path: `members[value eq"${BABS}"]` },
        { op: 'remove', path: `members[value eq"${MANDY}"]` },
      ),
    );
    expect(resource).not.toHaveProperty('members');
  });

  it('replaces all members by a remove followed by an add', () => {
    const { resource, delta } = applyPatch(
      tourGuides(),
      patch(
        { op: 'remove', path: 'members' },
        {
          op: 'add',
          path: 'members',
          value: [
            { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
            { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
          ],
        },
      ),
    );
    expect(resource.members).toEqual([
      { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
      { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
    ]);
    expect(delta.members).toEqual({
      added: [{ value: JAMES, type: 'User', display: 'James Smith' }],
      removed: [MANDY],
      replaced: false,
    });
  });

  it('removes a singular attribute and an extension attribute', () => {
    const { resource, delta } = applyPatch(
      bjensen(),
      patch({ op: 'remove', path: 'displayName' }, { op: 'remove', path: `${ENTERPRISE}:department` }),
    );
    expect(resource).not.toHaveProperty('displayName');
    expect(resource[ENTERPRISE]).toEqual({ employeeNumber: '701984' });
    expect(delta.changedAttributes).toEqual(['displayName', `${ENTERPRISE}:department`]);
  });

  it('fails with noTarget when remove has no path', () => {
    expect(() => applyPatch(bjensen(), patch({ op: 'remove' }))).toThrow(
      expect.objectContaining({ status: 400, scimType: 'noTarget' }),
    );
  });

  it('fails with noTarget when the filter matches nothing', () => {
    expect(() => applyPatch(bjensen(), patch({ op: 'remove', path: 'emails[type eq "other"]' }))).toThrow(
      expect.objectContaining({ status: 400, scimType: 'noTarget' }),
    );
  });
});

describe('RFC 7644 3.5.2.3 replace', () => {
  it('replaces all members of a group', () => {
    const { resource, delta } = applyPatch(
      tourGuides(),
      patch({
        op: 'replace',
        path: 'members',
        value: [
          { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
          { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
        ],
      }),
    );
    // Babs stays a member: her immutable `type` (RFC 7643 8.7.1), which the request omits, is kept.
    expect(resource.members).toEqual([
      { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS, type: 'User' },
      { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
    ]);
    expect(delta.members).toEqual({
      added: [{ value: JAMES, type: 'User', display: 'James Smith' }],
      removed: [MANDY],
      replaced: false,
    });
  });

  it("replaces a user's work address", () => {
    const work = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    };
    const { resource } = applyPatch(
      bjensen(),
      patch({ op: 'replace', path: 'addresses[type eq "work"]', value: work }),
    );
    expect(resource.addresses).toEqual([work, bjensen().addresses && (bjensen().addresses as unknown[])[1]]);
  });

  it('replaces one sub-attribute of the matching value', () => {
    const { resource, delta } = applyPatch(
      bjensen(),
      patch({ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }),
    );
    const [work, home] = resource.addresses as Record<string, unknown>[];
    expect(work).toEqual({
      ...(bjensen().addresses as Record<string, unknown>[])[0],
      streetAddress: '1010 Broadway Ave',
    });
    expect(home).toEqual((bjensen().addresses as unknown[])[1]);
    expect(delta.changedAttributes).toEqual(['addresses']);
  });

  it('replaces several attributes without a path', () => {
    const { resource } = applyPatch(
      bjensen(),
      patch({
        op: 'replace',
        value: {
          emails: [
            { value: 'bjensen@example.com', type: 'work', primary: true },
            { value: 'babs@jensen.org', type: 'home' },
          ],
          nickname: 'Babs',
        },
      }),
    );
    expect(resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    expect(resource.nickName).toBe('Babs');
  });

  it('treats a replace of an attribute that has no value as an add', () => {
    const { resource } = applyPatch(bjensen(), patch({ op: 'replace', path: 'title', value: 'Tour Guide' }));
    expect(resource.title).toBe('Tour Guide');
  });

  it('leaves sub-attributes not given unchanged when replacing a complex attribute', () => {
    const { resource } = applyPatch(
      bjensen(),
      patch({ op: 'replace', path: 'name', value: { givenName: 'Babs' } }),
    );
    expect(resource.name).toEqual({
      formatted: 'Ms. Barbara J Jensen, III',
      familyName: 'Jensen',
      givenName: 'Babs',
    });
  });

  it('fails with noTarget when the filter matches nothing and no element can be created', () => {
    expect(() =>
      applyPatch(
        bjensen(),
        patch({ op: 'replace', path: 'emails[value co "nowhere"].type', value: 'other' }),
      ),
    ).toThrow(expect.objectContaining({ status: 400, scimType: 'noTarget' }));
  });

  it('rejects the path of RFC 7644 3.5.2 that names a sub-attribute members do not have', () => {
    expect(() =>
      applyPatch(
        tourGuides(),
        patch({ op: 'replace', path: `members[value eq "${BABS}"].displayName`, value: 'x' }),
      ),
    ).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidPath' }));
  });
});
