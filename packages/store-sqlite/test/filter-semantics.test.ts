import { type ScimResource, type Store, evaluateFilter, parseFilter } from '@scim/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const tenant = 't-semantics';
const NOW = '2024-05-01T10:00:00.000Z';

/** Hand-picked edge cases: LIKE metacharacters, Unicode case, time zones, empty values, members. */
const users: { id: string; data: Record<string, unknown> }[] = [
  {
    id: 'u-percent',
    data: {
      schemas: [USER],
      userName: '100%_sure\\x',
      displayName: 'Ärger Özil',
      emails: [
        { value: 'A@Example.com', type: 'work', primary: true },
        { value: 'b@home.org', type: 'home' },
      ],
      active: true,
    },
  },
  {
    id: 'u-plain',
    data: {
      schemas: [USER, ENTERPRISE],
      userName: '100xxsure',
      displayName: 'ärger plain',
      title: '',
      emails: [],
      active: false,
      [ENTERPRISE]: { employeeNumber: '42', manager: { value: 'u-percent' } },
    },
  },
  {
    id: 'u-empty-name',
    data: {
      schemas: [USER],
      userName: 'nobody',
      name: { givenName: '', familyName: '' },
      nickName: 'Σίσυφος',
    },
  },
  {
    id: 'u-named',
    data: { schemas: [USER], userName: 'somebody', name: { givenName: 'Ada' }, nickName: 'σίσυφοσ' },
  },
];

const filters = [
  'userName co "%"',
  'userName co "_"',
  'userName co "\\\\"',
  'userName sw "100%"',
  'userName ew "\\\\x"',
  'userName co "%_"',
  'displayName sw "ärger"',
  'displayName eq "ÄRGER ÖZIL"',
  'nickName eq "ΣΊΣΥΦΟΣ"',
  'emails pr',
  'not (emails pr)',
  'emails.value eq "a@example.com"',
  'emails.value ne "a@example.com"',
  'emails[type eq "home" and value ew "ORG"]',
  'emails[type eq "work" and primary eq true]',
  'emails[not (type eq "work")]',
  'emails.value co "@"',
  'name pr',
  'name.givenName pr',
  'name[givenName eq "Ada"]',
  'name[not (givenName eq "Ada")]',
  'title pr',
  'title eq null',
  'title ne null',
  'nickName eq null',
  'active eq true',
  'active ne true',
  'active eq false',
  `${ENTERPRISE}:employeeNumber eq "42"`,
  `${ENTERPRISE}:manager.value eq "u-percent"`,
  'meta.created eq "2024-05-01T12:00:00+02:00"',
  'meta.lastModified gt "2024-05-01T09:59:59.999Z"',
  'meta.lastModified lt "2024-05-01T10:00:00.000001Z"',
  'meta.resourceType eq "User"',
  'id gt "u-n"',
  'userName gt "100xxsurf" or userName le "100%"',
  'not (userName eq "nobody") and not (displayName pr)',
  'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"',
];

const database = tempDatabase();
let store: Store;

beforeAll(async () => {
  store = createSqliteStore({ database: database.path });
  await store.transaction(tenant, async (tx) => {
    for (const user of users)
      await tx.create({ resourceType: 'User', id: user.id, now: NOW, data: user.data });
    await tx.create({
      resourceType: 'Group',
      id: 'g-admins',
      now: NOW,
      data: { schemas: [GROUP], displayName: 'Admins' },
      members: [
        { value: 'u-percent', type: 'User', display: 'Ärger' },
        { value: 'u-plain', type: 'User' },
      ],
    });
    await tx.create({
      resourceType: 'Group',
      id: 'g-empty',
      now: NOW,
      data: { schemas: [GROUP], displayName: 'Empty' },
    });
  });
});

afterAll(async () => {
  await store.close();
  database.remove();
});

const view = (id: string, data: Record<string, unknown>, resourceType: string): ScimResource => ({
  ...(data as ScimResource),
  id,
  meta: { resourceType, created: NOW, lastModified: NOW, version: 'W/"1"' },
});

const ids = async (resourceType: 'User' | 'Group', filter: string) =>
  (
    await store.queryResources(tenant, {
      resourceType,
      filter: parseFilter(filter, { resourceType }),
      count: 100,
    })
  ).resources
    .map((resource) => resource.id)
    .sort();

describe('compiled filters agree with evaluateFilter on edge cases', () => {
  for (const filter of filters) {
    it(filter, async () => {
      const expected = users
        .filter((user) => evaluateFilter(filter, view(user.id, user.data, 'User'), { resourceType: 'User' }))
        .map((user) => user.id)
        .sort();
      expect(await ids('User', filter)).toEqual(expected);
    });
  }

  it('escapes LIKE metacharacters: "%" matches only a literal percent sign', async () => {
    expect(await ids('User', 'userName co "%"')).toEqual(['u-percent']);
    expect(await ids('User', 'userName co "_"')).toEqual(['u-percent']);
  });

  it('filters groups by their members table', async () => {
    const groups = [
      {
        id: 'g-admins',
        members: [
          { value: 'u-percent', type: 'User', display: 'Ärger' },
          { value: 'u-plain', type: 'User' },
        ],
      },
      { id: 'g-empty', members: [] },
    ];
    for (const filter of [
      'members pr',
      'not (members pr)',
      'members.value eq "u-plain"',
      'members[value eq "u-percent" and display eq "ärger"]',
      'members.display pr',
      'members.type eq "Group"',
      'members.value ne "u-plain"',
    ]) {
      const expected = groups
        .filter((group) =>
          evaluateFilter(
            filter,
            { ...view(group.id, { schemas: [GROUP], displayName: 'x' }, 'Group'), members: group.members },
            { resourceType: 'Group' },
          ),
        )
        .map((group) => group.id);
      expect(await ids('Group', filter), filter).toEqual(expected);
    }
  });

  it('filters users by their groups (groups.value eq uses the members index)', async () => {
    expect(await ids('User', 'groups.value eq "g-admins"')).toEqual(['u-percent', 'u-plain']);
    expect(await ids('User', 'groups[display eq "admins"]')).toEqual(['u-percent', 'u-plain']);
    expect(await ids('User', 'not (groups pr)')).toEqual(['u-empty-name', 'u-named']);
  });

  it('rejects what cannot be compiled with 400 invalidFilter', async () => {
    await expect(
      store.queryResources(tenant, {
        resourceType: 'User',
        filter: { op: 'gt', path: { attribute: 'active' }, value: true },
        count: 10,
      }),
    ).rejects.toMatchObject({ name: 'ScimError', status: 400, scimType: 'invalidFilter' });
    await expect(
      store.queryResources(tenant, {
        resourceType: 'User',
        filter: { op: 'eq', path: { attribute: 'noSuchAttribute' }, value: 'x' },
        count: 10,
      }),
    ).rejects.toMatchObject({ name: 'ScimError', status: 400, scimType: 'invalidFilter' });
  });
});
