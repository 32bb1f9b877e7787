import { SCHEMA_URNS } from '@scim/core';
import { CONTRACT_EXTENSION_URN } from '../contract-registry.js';
import { type Prng, createPrng, mixCase } from './prng.js';
import {
  BADGES,
  DEPARTMENTS,
  DOMAINS,
  EMAIL_TYPES,
  FIRST_NAMES,
  GROUP_NAMES,
  LAST_NAMES,
  TAGS,
  TITLES,
  groupId,
  hoursAfterEpoch,
  userId,
} from './vocabulary.js';

/** A generated filter: its text and the resource type it is written for. */
export interface GeneratedFilter {
  resourceType: 'User' | 'Group';
  text: string;
}

type Kind =
  | 'string'
  | 'caseExact'
  | 'boolean'
  | 'integer'
  | 'decimal'
  | 'dateTime'
  | 'userId'
  | 'groupId'
  | 'metaTime';

interface AttributeSpec {
  path: string;
  kind: Kind;
  /** Values to compare with (strings get random case unless caseExact). */
  pool?: readonly string[];
  /** A complex attribute compared through its `value`: no gt/ge/lt/le (RFC 7644 3.4.2.2). */
  unordered?: boolean;
}

const ENT = SCHEMA_URNS.enterpriseUser;
const EXT = CONTRACT_EXTENSION_URN;

const USER_ATTRIBUTES: readonly AttributeSpec[] = [
  {
    path: 'userName',
    kind: 'string',
    pool: [...FIRST_NAMES, ...LAST_NAMES, '_', '%', '.', "'", '\\', '1', '2'],
  },
  { path: `${SCHEMA_URNS.user}:userName`, kind: 'string', pool: FIRST_NAMES },
  { path: 'name.givenName', kind: 'string', pool: FIRST_NAMES },
  { path: 'name.familyName', kind: 'string', pool: LAST_NAMES },
  {
    path: 'displayName',
    kind: 'string',
    pool: FIRST_NAMES.map((f, i) => `${f} ${LAST_NAMES[i % LAST_NAMES.length]}`),
  },
  { path: 'title', kind: 'string', pool: TITLES },
  { path: 'nickName', kind: 'string', pool: FIRST_NAMES.map((f) => f.slice(0, 3)) },
  { path: 'active', kind: 'boolean' },
  { path: 'externalId', kind: 'string', pool: ['ext-a1', 'EXT-B2', 'ext-c', 'ext-', 'a3'] },
  { path: 'emails', kind: 'string', pool: [...FIRST_NAMES, ...DOMAINS], unordered: true },
  { path: 'emails.value', kind: 'string', pool: [...FIRST_NAMES, ...DOMAINS, '@'] },
  { path: 'emails.type', kind: 'string', pool: EMAIL_TYPES },
  { path: 'emails.primary', kind: 'boolean' },
  { path: `${ENT}:department`, kind: 'string', pool: DEPARTMENTS },
  { path: `${ENT}:employeeNumber`, kind: 'string', pool: ['0001', '01', '9', '12'] },
  { path: `${ENT}:manager.value`, kind: 'userId' },
  { path: `${ENT}:manager.displayName`, kind: 'string', pool: ['Boss', 'boss'] },
  { path: `${EXT}:level`, kind: 'integer' },
  { path: `${EXT}:score`, kind: 'decimal' },
  { path: `${EXT}:hiredAt`, kind: 'dateTime' },
  { path: `${EXT}:badge`, kind: 'caseExact', pool: BADGES },
  { path: `${EXT}:tags`, kind: 'string', pool: TAGS },
  { path: 'meta.created', kind: 'metaTime' },
  { path: 'meta.lastModified', kind: 'metaTime' },
  { path: 'id', kind: 'userId' },
];

const GROUP_ATTRIBUTES: readonly AttributeSpec[] = [
  { path: 'displayName', kind: 'string', pool: [...GROUP_NAMES, 'team', '1', '%'] },
  { path: 'externalId', kind: 'string', pool: ['gext-1', 'GEXT-2', 'gext-'] },
  { path: 'members.value', kind: 'userId' },
  { path: 'members', kind: 'userId' },
  { path: 'members.display', kind: 'string', pool: ['member', 'Member'] },
  { path: 'members.type', kind: 'string', pool: ['User', 'group'] },
  { path: 'meta.created', kind: 'metaTime' },
  { path: 'id', kind: 'groupId' },
];

const STRING_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ORDER_OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const UNORDERED_STRING_OPS = ['eq', 'ne', 'co', 'sw', 'ew'];

function literal(prng: Prng, spec: AttributeSpec, op: string): string {
  switch (spec.kind) {
    case 'boolean':
      return prng.chance(0.5) ? 'true' : 'false';
    case 'integer':
      return String(prng.int(-10, 130));
    case 'decimal':
      return String(prng.int(0, 1000) / 10);
    case 'dateTime':
    case 'metaTime': {
      // meta times fall in 2024-2025; hiredAt spans 2023-2026. Some values carry an offset or a fraction,
      // which must compare chronologically, not as text.
      const text =
        spec.kind === 'metaTime'
          ? new Date(Date.UTC(2024, 0, 1) + prng.int(0, 400 * 24) * 3_600_000).toISOString()
          : hoursAfterEpoch(prng.int(0, 30_000));
      if (prng.chance(0.15)) return JSON.stringify(text.replace(/(\.000)?Z$/, '+02:00'));
      if (prng.chance(0.15)) return JSON.stringify(text.replace(/(\.000)?Z$/, '.5Z'));
      return JSON.stringify(text);
    }
    case 'userId':
      return JSON.stringify(op === 'sw' ? userId(prng.int(0, 40)).slice(0, 30) : userId(prng.int(0, 400)));
    case 'groupId':
      return JSON.stringify(groupId(prng.int(0, 100)));
    default: {
      let value = prng.pick(spec.pool ?? ['x']);
      if ((op === 'co' || op === 'sw' || op === 'ew') && value.length > 2 && prng.chance(0.5)) {
        const start = op === 'sw' ? 0 : prng.int(0, value.length - 2);
        const end = op === 'ew' ? value.length : prng.int(start + 1, value.length);
        value = value.slice(start, end);
      }
      return JSON.stringify(spec.kind === 'caseExact' ? value : mixCase(prng, value));
    }
  }
}

function operatorFor(prng: Prng, spec: AttributeSpec): string {
  if (prng.chance(0.08)) return 'pr';
  switch (spec.kind) {
    case 'boolean':
      return prng.pick(['eq', 'ne']);
    case 'integer':
    case 'decimal':
    case 'dateTime':
    case 'metaTime':
      return prng.pick(ORDER_OPS);
    case 'userId':
    case 'groupId':
      return prng.pick(['eq', 'eq', 'ne']);
    default:
      return prng.pick(spec.unordered ? UNORDERED_STRING_OPS : STRING_OPS);
  }
}

function comparison(prng: Prng, attributes: readonly AttributeSpec[]): string {
  const spec = prng.pick(attributes);
  const op = operatorFor(prng, spec);
  if (op === 'pr') return `${spec.path} pr`;
  return `${spec.path} ${mixCase(prng, op)} ${literal(prng, spec, op)}`;
}

function emailValuePath(prng: Prng): string {
  const inner = () =>
    prng.pick([
      () => `type eq ${JSON.stringify(mixCase(prng, prng.pick(EMAIL_TYPES)))}`,
      () => `value co ${JSON.stringify(mixCase(prng, prng.pick([...FIRST_NAMES, ...DOMAINS])))}`,
      () => `value ew ${JSON.stringify(prng.pick(DOMAINS).toLowerCase())}`,
      () => `primary eq ${prng.chance(0.7) ? 'true' : 'false'}`,
      () => 'type pr',
      () => `not (type eq ${JSON.stringify(prng.pick(EMAIL_TYPES))})`,
    ])();
  const body = prng.chance(0.6) ? `${inner()} ${prng.pick(['and', 'or'])} ${inner()}` : inner();
  return `emails[${body}]`;
}

function memberValuePath(prng: Prng): string {
  const inner = prng.pick([
    () => `value eq ${JSON.stringify(userId(prng.int(0, 400)))}`,
    () => `type eq "Group"`,
    () => 'display pr',
    () => `value sw ${JSON.stringify('00000000-0000-4000-9')} and type eq "group"`,
  ])();
  return `members[${inner}]`;
}

function expression(prng: Prng, resourceType: 'User' | 'Group', depth: number): string {
  const attributes = resourceType === 'User' ? USER_ATTRIBUTES : GROUP_ATTRIBUTES;
  const roll = prng.next();
  if (depth >= 3 || roll < 0.45) {
    if (prng.chance(0.15)) return resourceType === 'User' ? emailValuePath(prng) : memberValuePath(prng);
    return comparison(prng, attributes);
  }
  if (roll < 0.6) return `not (${expression(prng, resourceType, depth + 1)})`;
  const left = expression(prng, resourceType, depth + 1);
  const right = expression(prng, resourceType, depth + 1);
  const joined = `${left} ${mixCase(prng, prng.pick(['and', 'or']))} ${right}`;
  return prng.chance(0.4) ? `(${joined})` : joined;
}

/**
 * Generates `n` filters from a seed, about four for User to one for Group: every operator on
 * every attribute type (with operators valid for the type), `and`/`or`/`not`, parentheses, value
 * paths (`emails[...]`, `members[...]`), `pr`, URN-qualified core and extension paths, and `meta`
 * times, with values drawn from the same pools as `generateResources` so that they match some data.
 * The same seed always gives the same filters.
 *
 * @example
 * for (const { resourceType, text } of generateFilters(42, 300)) {
 *   const filter = parseFilter(text, { registry, resourceType });
 * }
 */
export function generateFilters(seed: number, n: number): GeneratedFilter[] {
  const prng = createPrng(seed ^ 0x5eed);
  return Array.from({ length: n }, () => {
    const resourceType = prng.chance(0.8) ? 'User' : 'Group';
    return { resourceType, text: expression(prng, resourceType, 0) };
  });
}
