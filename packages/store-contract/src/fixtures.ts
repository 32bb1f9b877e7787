import { SCHEMA_URNS } from '@scim/core';
import { CONTRACT_EXTENSION_URN } from './contract-registry.js';
import type { ContractTestContext } from './harness.js';

const ENTERPRISE = SCHEMA_URNS.enterpriseUser;

interface PersonSpec {
  userName: string;
  displayName?: string;
  title?: string;
  active?: boolean;
  externalId?: string;
  emails?: Array<{ value: string; type?: string; primary?: boolean }>;
  department?: string;
  manager?: string;
  level?: number;
  hiredAt?: string;
  badge?: string;
}

/** A small, hand-written population whose filter and sort results are known by heart. */
export const PEOPLE: readonly PersonSpec[] = [
  {
    userName: 'alice.Anderson',
    displayName: 'Alice Anderson',
    title: 'Engineer',
    active: true,
    externalId: 'ext-alice',
    emails: [
      { value: 'alice@Work.example', type: 'work', primary: true },
      { value: 'alice@home.example', type: 'home' },
    ],
    department: 'R&D',
    manager: 'boss-1',
    level: 10,
    hiredAt: '2019-06-01T09:00:00Z',
    badge: 'Gold',
  },
  {
    userName: 'bob.brown',
    displayName: 'Bob',
    title: 'Designer',
    active: false,
    emails: [
      { value: 'bob@home.example', type: 'home' },
      { value: 'bob@work.example', type: 'work', primary: true },
    ],
    department: 'Design',
    manager: 'boss-1',
    level: 9,
    hiredAt: '2021-02-15T12:30:00Z',
    badge: 'gold',
  },
  {
    userName: 'Carol_C',
    displayName: 'Carol',
    active: true,
    emails: [{ value: 'carol@work.example', type: 'work' }],
    department: 'r&d',
    level: 2,
    hiredAt: '2020-11-30T23:59:59Z',
    badge: 'Zeta',
  },
  {
    userName: 'dave%50',
    title: 'engineer',
    externalId: 'ext-dave',
    manager: 'boss-2',
    hiredAt: '2022-01-01T00:00:00Z',
  },
  { userName: 'eve_x', displayName: 'Eve', active: true, level: 100, badge: 'alpha' },
  {
    userName: 'frank',
    title: 'CEO',
    emails: [{ value: 'frank@corp.example', type: 'other', primary: true }],
  },
];

/** The SCIM data of a person of `PEOPLE`. */
export function personData(person: PersonSpec): Record<string, unknown> {
  const data: Record<string, unknown> = { schemas: [SCHEMA_URNS.user], userName: person.userName };
  if (person.displayName !== undefined) data.displayName = person.displayName;
  if (person.title !== undefined) data.title = person.title;
  if (person.active !== undefined) data.active = person.active;
  if (person.externalId !== undefined) data.externalId = person.externalId;
  if (person.emails !== undefined) data.emails = person.emails;
  if (person.department !== undefined || person.manager !== undefined) {
    (data.schemas as string[]).push(ENTERPRISE);
    data[ENTERPRISE] = {
      ...(person.department === undefined ? {} : { department: person.department }),
      ...(person.manager === undefined ? {} : { manager: { value: person.manager } }),
    };
  }
  if (person.level !== undefined || person.hiredAt !== undefined || person.badge !== undefined) {
    (data.schemas as string[]).push(CONTRACT_EXTENSION_URN);
    data[CONTRACT_EXTENSION_URN] = {
      ...(person.level === undefined ? {} : { level: person.level }),
      ...(person.hiredAt === undefined ? {} : { hiredAt: person.hiredAt }),
      ...(person.badge === undefined ? {} : { badge: person.badge }),
    };
  }
  return data;
}

/** Creates `PEOPLE` (one transaction, one second apart); returns userName -> id and the creation times. */
export async function createPeople(
  c: ContractTestContext,
): Promise<{ ids: Map<string, string>; created: Map<string, string> }> {
  const ids = new Map<string, string>();
  const created = new Map<string, string>();
  await c.store.transaction(c.tenant, async (tx) => {
    for (const person of PEOPLE) {
      const id = c.newId();
      const now = c.now();
      ids.set(person.userName, id);
      created.set(person.userName, now);
      await tx.create({ resourceType: 'User', id, now, data: personData(person) });
    }
  });
  return { ids, created };
}
