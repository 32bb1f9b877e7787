import { type FilterNode, parseFilter } from '@scim/core';
import { contractRegistry } from '@scim/store-contract';
import type { Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { membershipIndexes, resourceIndexes } from './collections.js';
import { compileFilter } from './compile-filter.js';

const registry = contractRegistry();

/** The fields a query compares with `$eq`, in order of appearance. */
function equalityFields(query: Document): string[] {
  const fields: string[] = [];
  const walk = (node: Document) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$and' || key === '$or') for (const part of value as Document[]) walk(part);
      else if (typeof value === 'object' && value !== null && '$eq' in value) fields.push(key);
    }
  };
  walk(query);
  return fields;
}

/** True when an index starts with tenantId (and resourceType when given) followed by `field`. */
function indexed(indexes: ReturnType<typeof membershipIndexes>, field: string, prefix: string[]): boolean {
  return indexes.some((index) => {
    const keys = Object.keys(index.key);
    return [...prefix, field].every((key, position) => keys[position] === key);
  });
}

async function membershipQuery(text: string): Promise<Document> {
  let captured: Document | undefined;
  const filter: FilterNode = parseFilter(text, { registry, resourceType: 'Group' });
  await compileFilter(filter, {
    registry,
    resourceType: 'Group',
    relations: {
      async groupsWithMember(membershipFilter) {
        captured = membershipFilter;
        return [];
      },
      async membersOfGroups() {
        return [];
      },
    },
  });
  if (captured === undefined) throw new Error(`${text} did not query the memberships`);
  return captured;
}

describe('indexes behind the hot IdP lookups (no server)', () => {
  it('members[value eq ...] and members.value eq ... compare a field the memberships index', async () => {
    for (const text of ['members[value eq "2819c223-7f76"]', 'members.value eq "2819C223-7F76"']) {
      const fields = equalityFields(await membershipQuery(text));
      expect(fields.length, text).toBeGreaterThan(0);
      for (const field of fields) {
        expect(indexed(membershipIndexes(), field, ['tenantId']), `${text}: ${field} has no index`).toBe(
          true,
        );
      }
    }
  });

  it('userName, externalId, displayName and emails.value equality use an index of the resources', async () => {
    const cases: Array<[string, string]> = [
      ['User', 'userName eq "Bjensen"'],
      ['User', 'externalId eq "00u1"'],
      ['User', 'emails[type eq "work" and value eq "a@b.c"]'],
      ['Group', 'displayName eq "Admins"'],
    ];
    for (const [resourceType, text] of cases) {
      const query = await compileFilter(parseFilter(text, { registry, resourceType }), {
        registry,
        resourceType,
      });
      const fields = equalityFields(query).filter((field) => !field.endsWith('.type'));
      const elementFields = Object.entries(query).flatMap(([key, value]) =>
        typeof value === 'object' && value !== null && '$elemMatch' in value
          ? equalityFields((value as { $elemMatch: Document }).$elemMatch)
              .filter((sub) => sub === 'value')
              .map((sub) => `${key}.${sub}`)
          : [],
      );
      const all = [...fields, ...elementFields];
      expect(all.length, text).toBeGreaterThan(0);
      expect(
        all.some((field) => indexed(resourceIndexes(registry), field, ['tenantId', 'resourceType'])),
        `${text}: none of ${all.join(', ')} is indexed`,
      ).toBe(true);
    }
  });
});
