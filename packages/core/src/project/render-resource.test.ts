import { describe, expect, it } from 'vitest';
import { toScimResource } from '../meta/to-scim-resource.js';
import { defineSchema } from '../schema/define.js';
import { createSchemaRegistry, defaultSchemaRegistry } from '../schema/registry.js';
import { SCHEMA_URNS, type SchemaRegistry } from '../schema/types.js';
import type { GroupRef, MemberRef, StoredResource } from '../store/types.js';
import { projectResource } from './project-resource.js';
import { renderResource } from './render-resource.js';

const PRODUCT = 'urn:acme:params:scim:schemas:extension:product:2.0:User';
const withProduct = createSchemaRegistry({
  schemas: [
    defineSchema({
      id: PRODUCT,
      name: 'P',
      attributes: [
        { name: 'role', type: 'string', returned: 'always' },
        { name: 'quotaBytes', type: 'integer', returned: 'request' },
        { name: 'apiKey', type: 'string', returned: 'never', mutability: 'writeOnly' },
        {
          name: 'seat',
          type: 'complex',
          subAttributes: [
            { name: 'kind', type: 'string' },
            { name: 'secret', type: 'string', returned: 'never' },
          ],
        },
      ],
    }),
  ],
  extensions: { User: [{ schema: PRODUCT, required: false }] },
});

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Stored data with attributes in random order: known, unknown, null, never/request-returned ones. */
function userData(next: () => number): Record<string, unknown> {
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)]!;
  const candidates: [string, unknown][] = [
    [
      'schemas',
      pick([
        [SCHEMA_URNS.user],
        [SCHEMA_URNS.user, SCHEMA_URNS.enterpriseUser],
        'not-an-array',
        [SCHEMA_URNS.user, 7],
      ]),
    ],
    ['userName', pick(['bjensen', 'Ada'])],
    ['externalId', pick(['e1', null])],
    ['name', pick([{ givenName: 'B', familyName: 'J', bogus: 1 }, { familyName: 'J' }, null, 'flat'])],
    ['displayName', 'Babs'],
    ['password', 'secret'],
    ['active', pick([true, false])],
    ['emails', pick([[{ type: 'work', value: 'a@x', primary: true }], [{ display: 'd' }, 'bad'], []])],
    ['userName2', 'not in any schema'],
    ['groups', pick([[{ value: 'g-stored' }], undefined])],
    ['members', [{ value: 'u9' }]],
    ['id', 'ignored'],
    ['meta', { resourceType: 'Stale' }],
    [
      SCHEMA_URNS.enterpriseUser,
      pick([{ department: 'R&D', manager: { displayName: 'M', value: 'm1' } }, {}, 'x']),
    ],
    [
      PRODUCT,
      pick([
        { role: 'admin', quotaBytes: 1, apiKey: 'k', seat: { secret: 's', kind: 'full' } },
        { apiKey: 'k' },
      ]),
    ],
    ['urn:unknown:extension', { a: 1 }],
  ];
  const data: Record<string, unknown> = {};
  for (const [key, value] of shuffled(candidates, next)) {
    if (next() < 0.75 && value !== undefined) data[key] = value;
  }
  if (next() < 0.1) Object.defineProperty(data, '__proto__', { value: { polluted: true }, enumerable: true });
  return data;
}

function stored(
  type: 'User' | 'Group',
  data: Record<string, unknown>,
  members?: MemberRef[],
): StoredResource {
  const resource: StoredResource = {
    id: 'r1',
    resourceType: type,
    version: 3,
    created: '2026-01-01T00:00:00.000Z',
    lastModified: '2026-01-02T00:00:00.000Z',
    data,
  };
  if (members) resource.members = members;
  return resource;
}

function reference(resource: StoredResource, registry: SchemaRegistry, groups?: GroupRef[]): string {
  const options = { baseUrl: 'https://x.example/scim/v2', registry, ...(groups ? { groups } : {}) };
  return JSON.stringify(
    projectResource(toScimResource(resource, options), { registry, resourceType: resource.resourceType }),
  );
}

function fused(resource: StoredResource, registry: SchemaRegistry, groups?: GroupRef[]): string {
  const options = { baseUrl: 'https://x.example/scim/v2', registry, ...(groups ? { groups } : {}) };
  return JSON.stringify(renderResource(resource, options));
}

describe('renderResource', () => {
  it('equals projectResource(toScimResource(...)), key order included, for generated users', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const next = random(seed);
      const registry = next() < 0.5 ? defaultSchemaRegistry : withProduct;
      const groups = next() < 0.4 ? [{ id: 'g1', displayName: 'Admins' }] : undefined;
      const resource = stored('User', userData(next));
      expect(fused(resource, registry, groups), `seed ${seed}`).toBe(reference(resource, registry, groups));
    }
  });

  it('equals the composition for groups, with and without loaded members', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const data: Record<string, unknown> = { schemas: [SCHEMA_URNS.group], displayName: 'Admins' };
      if (next() < 0.5) data.members = [{ value: 'stale' }];
      if (next() < 0.3) data.unknown = 1;
      const members: MemberRef[] | undefined =
        next() < 0.6
          ? [
              { value: 'u1', type: 'User', display: 'Ada' },
              { value: 'g2', type: 'Group' },
            ]
          : undefined;
      const resource = stored('Group', data, members);
      expect(fused(resource, defaultSchemaRegistry), `seed ${seed}`).toBe(
        reference(resource, defaultSchemaRegistry),
      );
    }
  });

  it('leaves out returned:never and returned:request attributes and keeps schema order inside values', () => {
    const resource = stored('User', {
      schemas: [SCHEMA_URNS.user, PRODUCT],
      password: 'secret',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      userName: 'ada',
      [PRODUCT]: { quotaBytes: 5, role: 'admin', apiKey: 'k' },
    });
    const rendered = renderResource(resource, { baseUrl: 'https://x/scim/v2', registry: withProduct });
    expect(rendered).toEqual({
      schemas: [SCHEMA_URNS.user, PRODUCT],
      id: 'r1',
      name: { familyName: 'Lovelace', givenName: 'Ada' },
      userName: 'ada',
      [PRODUCT]: { role: 'admin' },
      meta: {
        resourceType: 'User',
        created: '2026-01-01T00:00:00.000Z',
        lastModified: '2026-01-02T00:00:00.000Z',
        location: 'https://x/scim/v2/Users/r1',
        version: 'W/"3"',
      },
    });
    expect(Object.keys(rendered.name as object)).toEqual(['familyName', 'givenName']);
  });
});
