import { SCHEMA_URNS } from '@scim/core';
import { CONTRACT_EXTENSION_URN } from '@scim/store-contract';
import type { SampleResource } from './mingo-oracle.js';

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

export const WORDS = [
  'Ann',
  'ann',
  'BOB',
  'bob',
  'Cé',
  'a.b',
  'x+y',
  '(z)',
  'ÄRGER',
  'Sales and Marketing',
  '$gt',
  'ann.B',
  '',
  'Zoë',
];
export const DOMAINS = ['example.com', 'EXAMPLE.org', 'ex.io'];
const TIMES = [
  '2020-01-01T00:00:00Z',
  '2020-01-01T01:00:00+01:00',
  '2021-06-15T12:30:00.123Z',
  '2021-06-15T12:30:00.1234Z',
  '2019-12-31T23:59:59-05:00',
  '2024-02-29T08:00:00Z',
];
export { TIMES };

/** Users and groups that exercise every attribute type, case, emptiness and multi-valued shape. */
export function sampleResources(seed: number, users: number, groups: number): SampleResource[] {
  const r = random(seed);
  const out: SampleResource[] = [];
  for (let i = 0; i < users; i++) {
    const data: Record<string, unknown> = {
      schemas: [SCHEMA_URNS.user],
      userName: `${r.pick(WORDS)}-${i}`,
    };
    if (r.chance(0.7)) data.displayName = r.pick(WORDS);
    if (r.chance(0.6)) data.active = r.chance(0.5);
    if (r.chance(0.5)) data.externalId = r.pick(WORDS);
    if (r.chance(0.3)) data.title = r.chance(0.3) ? '' : r.pick(WORDS);
    if (r.chance(0.6)) {
      const name: Record<string, unknown> = {};
      if (r.chance(0.8)) name.givenName = r.pick(WORDS);
      if (r.chance(0.6)) name.familyName = r.pick(WORDS);
      data.name = name;
    }
    if (r.chance(0.7)) {
      data.emails = Array.from({ length: r.int(3) }, () => {
        const email: Record<string, unknown> = {};
        if (r.chance(0.9)) email.value = `${r.pick(WORDS)}@${r.pick(DOMAINS)}`;
        if (r.chance(0.7)) email.type = r.pick(['work', 'Work', 'home']);
        if (r.chance(0.3)) email.primary = r.chance(0.5);
        return email;
      });
    }
    if (r.chance(0.7)) {
      const extension: Record<string, unknown> = {};
      if (r.chance(0.7)) extension.level = r.int(5);
      if (r.chance(0.5)) extension.score = r.pick([0.5, 1.25, 2, -3.5]);
      if (r.chance(0.6)) extension.hiredAt = r.pick(TIMES);
      if (r.chance(0.6)) extension.badge = r.pick(WORDS);
      if (r.chance(0.5)) extension.tags = Array.from({ length: r.int(3) }, () => r.pick(WORDS));
      data[CONTRACT_EXTENSION_URN] = extension;
      (data.schemas as string[]).push(CONTRACT_EXTENSION_URN);
    }
    if (r.chance(0.4)) {
      data[SCHEMA_URNS.enterpriseUser] = {
        employeeNumber: String(r.int(100)),
        ...(r.chance(0.5) ? { manager: { value: `u${r.int(users)}` } } : {}),
      };
      (data.schemas as string[]).push(SCHEMA_URNS.enterpriseUser);
    }
    out.push({
      resourceType: 'User',
      id: `u${i}`,
      created: r.pick(TIMES),
      lastModified: r.pick(TIMES),
      data,
    });
  }
  for (let i = 0; i < groups; i++) {
    const data: Record<string, unknown> = {
      schemas: [SCHEMA_URNS.group],
      displayName: `${r.pick(WORDS)} ${i}`,
    };
    if (r.chance(0.5)) data.externalId = r.pick(WORDS);
    const members = Array.from({ length: r.int(4) }, () => {
      const user = r.chance(0.8);
      const value = user ? `u${r.int(users)}` : `g${r.int(groups)}`;
      return {
        value,
        type: user ? ('User' as const) : ('Group' as const),
        ...(r.chance(0.5) ? { display: r.pick(WORDS) } : {}),
      };
    });
    const unique = [...new Map(members.map((m) => [m.value, m])).values()];
    out.push({
      resourceType: 'Group',
      id: `g${i}`,
      created: r.pick(TIMES),
      lastModified: r.pick(TIMES),
      data,
      members: unique,
    });
  }
  return out;
}
