import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URNS } from '../schema/types.js';
import type { StoredResource } from '../store/types.js';
import { formatEtag, parseEtag } from './etag.js';
import { toScimResource } from './to-scim-resource.js';

describe('ETags', () => {
  it('formats weak ETags and parses weak and strong ones', () => {
    expect(formatEtag(3)).toBe('W/"3"');
    expect(parseEtag('W/"3"')).toBe(3);
    expect(parseEtag(' "12" ')).toBe(12);
    expect(parseEtag('w/"7"')).toBe(7);
    for (const bad of ['*', '3', 'W/"abc"', '"1", "2"', '']) expect(parseEtag(bad)).toBeUndefined();
  });

  it('round-trips every version', () => {
    fc.assert(
      fc.property(fc.nat(), (version) => {
        expect(parseEtag(formatEtag(version))).toBe(version);
      }),
    );
  });
});

describe('toScimResource', () => {
  const user: StoredResource = {
    id: 'u 1',
    resourceType: 'User',
    version: 4,
    created: '2024-01-01T00:00:00.000Z',
    lastModified: '2024-02-01T00:00:00.000Z',
    data: { schemas: [SCHEMA_URNS.user], userName: 'bjensen', active: true },
  };

  it('builds schemas, id, data and meta with an encoded location', () => {
    expect(toScimResource(user, { baseUrl: 'https://example.com/scim/v2/' })).toEqual({
      schemas: [SCHEMA_URNS.user],
      id: 'u 1',
      userName: 'bjensen',
      active: true,
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:00.000Z',
        lastModified: '2024-02-01T00:00:00.000Z',
        location: 'https://example.com/scim/v2/Users/u%201',
        version: 'W/"4"',
      },
    });
  });

  it('renders loaded members with $ref and a user groups list', () => {
    const group: StoredResource = {
      id: 'g1',
      resourceType: 'Group',
      version: 1,
      created: '2024-01-01T00:00:00Z',
      lastModified: '2024-01-01T00:00:00Z',
      data: { schemas: [SCHEMA_URNS.group], displayName: 'Admins' },
      members: [
        { value: 'u1', type: 'User', display: 'Babs' },
        { value: 'g2', type: 'Group' },
      ],
    };
    const json = toScimResource(group, { baseUrl: 'https://x/v2' });
    expect(json.members).toEqual([
      { value: 'u1', $ref: 'https://x/v2/Users/u1', type: 'User', display: 'Babs' },
      { value: 'g2', $ref: 'https://x/v2/Groups/g2', type: 'Group' },
    ]);
    expect(toScimResource({ ...group, members: [] }, { baseUrl: 'https://x/v2' }).members).toBeUndefined();
    expect(
      toScimResource(user, { baseUrl: 'https://x', groups: [{ id: 'g1', displayName: 'Admins' }] }).groups,
    ).toEqual([{ value: 'g1', $ref: 'https://x/Groups/g1', display: 'Admins', type: 'direct' }]);
  });

  it('never lets stored id or meta override the managed ones', () => {
    const json = toScimResource(
      { ...user, data: { ...user.data, id: 'other', meta: { version: 'x' } } },
      { baseUrl: 'https://x' },
    );
    expect(json.id).toBe('u 1');
    expect((json.meta as { version: string }).version).toBe('W/"4"');
  });

  it('keeps a stored __proto__ key an own property, never the prototype', () => {
    const data: Record<string, unknown> = { ...user.data };
    Object.defineProperty(data, '__proto__', { value: { polluted: true }, enumerable: true });
    const json = toScimResource({ ...user, data }, { baseUrl: 'https://x' });
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.hasOwn(json, '__proto__')).toBe(true);
    expect((json as Record<string, unknown>).polluted).toBeUndefined();
    expect(json.userName).toBe('bjensen');
  });
});
