import { type NewResource, SCHEMA_URNS } from '@scim/core';
import { CONTRACT_EXTENSION_URN } from '../contract-registry.js';
import { createPrng, mixCase } from './prng.js';
import {
  BADGES,
  DEPARTMENTS,
  DOMAINS,
  EMAIL_TYPES,
  FIRST_NAMES,
  GROUP_NAMES,
  LAST_NAMES,
  SEPARATORS,
  TAGS,
  TITLES,
  groupId,
  hoursAfterEpoch,
  userId,
} from './vocabulary.js';

/**
 * Generates `n` resources from a seed: about four users for each group, users first. They cover
 * every attribute type of the contract registry: mixed-case strings with LIKE-special characters,
 * multi-valued complex emails with types and at most one primary, booleans, integers, decimals and
 * dateTimes of the test extension, enterprise `manager.value`, and values left out at random. Groups
 * have members (users and earlier groups). Creation times (`now`) are distinct and increasing.
 * The same seed always gives the same resources; ids do not depend on the seed.
 *
 * @example
 * const resources = generateResources(42, 400);
 * await store.transaction(tenant, async (tx) => {
 *   for (const resource of resources) await tx.create(resource);
 * });
 */
export function generateResources(seed: number, n: number): NewResource[] {
  const prng = createPrng(seed);
  const groupCount = Math.floor(n / 5);
  const userCount = n - groupCount;
  const resources: NewResource[] = [];
  let hour = 0;
  const nextTime = () => {
    hour += prng.int(1, 30);
    return new Date(Date.UTC(2024, 0, 1) + hour * 3_600_000).toISOString();
  };

  for (let index = 0; index < userCount; index++) {
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    const schemas: string[] = [SCHEMA_URNS.user];
    const data: Record<string, unknown> = {
      schemas,
      userName: `${mixCase(prng, first)}${prng.pick(SEPARATORS)}${mixCase(prng, last)}${index}`,
    };
    if (prng.chance(0.7)) {
      data.name = {
        ...(prng.chance(0.9) ? { givenName: mixCase(prng, first) } : {}),
        ...(prng.chance(0.8) ? { familyName: mixCase(prng, last) } : {}),
      };
    }
    if (prng.chance(0.7)) data.displayName = `${first} ${last}`;
    if (prng.chance(0.6)) data.title = prng.pick(TITLES);
    if (prng.chance(0.3)) data.nickName = mixCase(prng, first.slice(0, 3));
    if (prng.chance(0.8)) data.active = prng.chance(0.6);
    if (prng.chance(0.5)) data.externalId = `ext-${prng.pick(['a', 'B', 'c'])}${index % 50}`;
    const emailCount = prng.int(0, 3);
    if (emailCount > 0) {
      const primaryAt = prng.chance(0.6) ? prng.int(0, emailCount - 1) : -1;
      data.emails = Array.from({ length: emailCount }, (_, position) => ({
        value: `${mixCase(prng, first)}.${last}${position === 0 ? '' : position}@${prng.pick(DOMAINS)}`,
        ...(prng.chance(0.85) ? { type: prng.pick(EMAIL_TYPES) } : {}),
        ...(position === primaryAt ? { primary: true } : prng.chance(0.2) ? { primary: false } : {}),
      }));
    }
    if (prng.chance(0.6)) {
      schemas.push(SCHEMA_URNS.enterpriseUser);
      const enterprise: Record<string, unknown> = {};
      if (prng.chance(0.8)) enterprise.department = prng.pick(DEPARTMENTS);
      if (prng.chance(0.5)) enterprise.employeeNumber = String(prng.int(1, 9999)).padStart(4, '0');
      if (index > 0 && prng.chance(0.6)) {
        enterprise.manager = {
          value: userId(prng.int(0, index - 1)),
          ...(prng.chance(0.5) ? { displayName: 'Boss' } : {}),
        };
      }
      data[SCHEMA_URNS.enterpriseUser] = enterprise;
    }
    if (prng.chance(0.7)) {
      schemas.push(CONTRACT_EXTENSION_URN);
      const extension: Record<string, unknown> = {};
      if (prng.chance(0.8)) extension.level = prng.int(-5, 120);
      if (prng.chance(0.5)) extension.score = prng.int(0, 1000) / 10;
      if (prng.chance(0.7)) extension.hiredAt = hoursAfterEpoch(prng.int(0, 30_000));
      if (prng.chance(0.6)) extension.badge = prng.pick(BADGES);
      if (prng.chance(0.5)) extension.tags = Array.from({ length: prng.int(1, 3) }, () => prng.pick(TAGS));
      data[CONTRACT_EXTENSION_URN] = extension;
    }
    resources.push({ resourceType: 'User', id: userId(index), now: nextTime(), data });
  }

  for (let index = 0; index < groupCount; index++) {
    const data: Record<string, unknown> = {
      schemas: [SCHEMA_URNS.group],
      displayName: `${prng.pick(GROUP_NAMES)}${prng.chance(0.5) ? ` ${index}` : ''}`,
    };
    if (prng.chance(0.5)) data.externalId = `gext-${index % 20}`;
    const members = new Map<string, { value: string; type: 'User' | 'Group'; display?: string }>();
    const memberCount = prng.chance(0.15) ? 0 : prng.int(1, 10);
    for (let m = 0; m < memberCount && userCount > 0; m++) {
      const value = userId(prng.int(0, userCount - 1));
      members.set(value, { value, type: 'User', ...(prng.chance(0.3) ? { display: 'Member' } : {}) });
    }
    if (index > 0 && prng.chance(0.2)) {
      const value = groupId(prng.int(0, index - 1));
      members.set(value, { value, type: 'Group' });
    }
    const resource: NewResource = { resourceType: 'Group', id: groupId(index), now: nextTime(), data };
    if (members.size > 0) resource.members = [...members.values()];
    resources.push(resource);
  }
  return resources;
}
