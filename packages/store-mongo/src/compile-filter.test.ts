import { SCHEMA_URNS, parseFilter } from '@scim/core';
import {
  CONTRACT_EXTENSION_URN,
  contractRegistry,
  generateFilters,
  generateResources,
  toFilterView,
} from '@scim/store-contract';
import { describe, expect, it } from 'vitest';
import { createOracle } from '../test/mingo-oracle.js';
import { DOMAINS, TIMES, WORDS, random, sampleResources } from '../test/sample-data.js';
import { compileFilter, escapeRegex } from './compile-filter.js';

const registry = contractRegistry();
const EXT = CONTRACT_EXTENSION_URN;
const ENT = SCHEMA_URNS.enterpriseUser;

const quote = (value: string) => JSON.stringify(value);

/** Every operator on every attribute shape of the sample data, plus the logical forms. */
const TABLE: [string, string][] = [
  ['User', 'userName eq "ann-0"'],
  ['User', 'userName eq "ANN-0"'],
  ['User', 'userName sw "a.b"'],
  ['User', 'userName co "+"'],
  ['User', 'userName ew "-1"'],
  ['User', 'userName gt "bob"'],
  ['User', 'userName le "Bob-9"'],
  ['User', 'displayName pr'],
  ['User', 'displayName eq ""'],
  ['User', 'displayName eq null'],
  ['User', 'displayName ne null'],
  ['User', 'displayName ne "ann"'],
  ['User', 'title pr'],
  ['User', 'title eq ""'],
  ['User', 'externalId eq "Ann"'],
  ['User', 'externalId eq "ann"'],
  ['User', 'active eq true'],
  ['User', 'active eq false'],
  ['User', 'active ne true'],
  ['User', 'active eq "true"'],
  ['User', 'name pr'],
  ['User', 'name.givenName eq "zoë"'],
  ['User', 'name.familyName co "Ä"'],
  ['User', 'name[givenName eq "ann" and familyName pr]'],
  ['User', 'name[not (givenName pr)]'],
  ['User', 'emails pr'],
  ['User', 'emails.value pr'],
  ['User', 'emails.value ew "example.com"'],
  ['User', 'emails.value co "EXAMPLE"'],
  ['User', 'emails.type eq "work"'],
  ['User', 'emails.type ne "work"'],
  ['User', 'emails.primary eq true'],
  ['User', 'emails[type eq "work" and value co "example"]'],
  ['User', 'emails[type ne "work"]'],
  ['User', 'emails[not (value pr)]'],
  ['User', 'emails[primary eq true or type eq "home"]'],
  ['User', 'emails eq "x"'],
  ['User', 'emails ne "x"'],
  ['User', 'not (emails[type eq "work"])'],
  ['User', 'id eq "u1"'],
  ['User', 'id sw "u1"'],
  ['User', 'meta.created gt "2020-01-01T00:00:00Z"'],
  ['User', 'meta.created eq "2020-01-01T00:00:00Z"'],
  ['User', 'meta.lastModified le "2020-06-01T00:00:00+02:00"'],
  ['User', 'meta.resourceType eq "User"'],
  ['User', `${EXT}:level gt 2`],
  ['User', `${EXT}:level eq 0`],
  ['User', `${EXT}:level ne 3`],
  ['User', `${EXT}:score lt 1.5`],
  ['User', `${EXT}:score ge -3.5`],
  ['User', `${EXT}:hiredAt eq "2021-06-15T12:30:00.123Z"`],
  ['User', `${EXT}:hiredAt gt "2020-01-01T00:30:00Z"`],
  ['User', `${EXT}:badge eq "ann"`],
  ['User', `${EXT}:badge eq "Ann"`],
  ['User', `${EXT}:badge co "a.b"`],
  ['User', `${EXT}:tags eq "bob"`],
  ['User', `${EXT}:tags ne "bob"`],
  ['User', `${EXT}:tags pr`],
  ['User', `${EXT}:tags co "$"`],
  ['User', `${ENT}:employeeNumber eq "7"`],
  ['User', `${ENT}:manager.value eq "u3"`],
  ['User', `${ENT}:manager pr`],
  ['User', 'groups pr'],
  ['User', 'groups.value eq "g1"'],
  ['User', 'groups.value ne "g1"'],
  ['User', 'groups.display sw "ann"'],
  ['User', 'groups[value eq "g2" or display co "sales"]'],
  ['User', 'groups[type eq "direct"]'],
  ['User', 'groups[type eq "indirect"]'],
  ['User', 'userName eq "{\\"$gt\\": \\"\\"}"'],
  ['User', 'userName eq "ann-0" or (active eq true and not (title pr))'],
  ['Group', 'displayName sw "sales"'],
  ['Group', 'members pr'],
  ['Group', 'members eq null'],
  ['Group', 'members.value eq "u1"'],
  ['Group', 'members.value eq "U1"'],
  ['Group', 'members.value ne "u1"'],
  ['Group', 'members[type eq "Group"]'],
  ['Group', 'members[value sw "u1" and not (display pr)]'],
  ['Group', 'members.display co "a"'],
  ['Group', 'not (members pr) or externalId pr'],
];

describe('compileFilter against evaluateFilter (mingo, no server)', () => {
  const oracle = createOracle(registry, sampleResources(7, 80, 12));

  it.each(TABLE)('%s: %s', async (resourceType, text) => {
    const { actual, expected } = await oracle.compare(resourceType, text);
    expect(actual).toEqual(expected);
  });

  it('selects something for most table filters (the data set is not degenerate)', async () => {
    let nonEmpty = 0;
    for (const [type, text] of TABLE) if ((await oracle.compare(type, text)).expected.length > 0) nonEmpty++;
    expect(nonEmpty).toBeGreaterThan(TABLE.length * 0.7);
  });
});

describe('compileFilter: safety', () => {
  it('keeps a value that looks like an operator a plain string operand', async () => {
    const node = parseFilter('userName eq "{\\"$gt\\": \\"\\"}"', { registry, resourceType: 'User' });
    const query = await compileFilter(node, { registry, resourceType: 'User' });
    expect(query).toEqual({ '_s.userName': { $eq: '{"$gt": ""}' } });
  });

  it('never turns a value into a field name or operator', async () => {
    const hostile = ['$where', '$gt', 'a.b', '{"$ne":null}', '$ref', '__proto__'];
    for (const value of hostile) {
      for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt']) {
        const node = parseFilter(`emails[value ${op} ${quote(value)}] or displayName ${op} ${quote(value)}`, {
          registry,
          resourceType: 'User',
        });
        const query = await compileFilter(node, { registry, resourceType: 'User' });
        for (const key of keysOf(query)) {
          expect(key.startsWith('$') ? ALLOWED_OPERATORS.has(key) : !key.includes(value)).toBe(true);
        }
      }
    }
  });

  it('compiles case-insensitive equality to an exact match on the mirror (indexable), never a case-insensitive regex', async () => {
    const node = parseFilter('userName eq "BJensen" and emails.value eq "A@X.ORG"', {
      registry,
      resourceType: 'User',
    });
    const query = await compileFilter(node, { registry, resourceType: 'User' });
    expect(query).toEqual({
      $and: [{ '_s.userName': { $eq: 'bjensen' } }, { '_s.emails.value': { $eq: 'a@x.org' } }],
    });
    const contains = await compileFilter(
      parseFilter('userName co "A.b"', { registry, resourceType: 'User' }),
      {
        registry,
        resourceType: 'User',
      },
    );
    expect(contains).toEqual({ '_s.userName': { $regex: 'a\\.b' } });
    expect(keysOf(contains)).not.toContain('$options');
  });

  it('anchors sw and ew and escapes every regex metacharacter', async () => {
    const compile = async (text: string) =>
      compileFilter(parseFilter(text, { registry, resourceType: 'User' }), {
        registry,
        resourceType: 'User',
      });
    expect(await compile('userName sw "a.*"')).toEqual({ '_s.userName': { $regex: '^a\\.\\*' } });
    expect(await compile('userName ew "(x)"')).toEqual({ '_s.userName': { $regex: '\\(x\\)(?![\\s\\S])' } });
    const special = '\\^$.|?*+()[]{}/-';
    expect(new RegExp(escapeRegex(special)).test(`xx${special}yy`)).toBe(true);
    expect(new RegExp(`^${escapeRegex('a.c')}$`).test('abc')).toBe(false);
  });

  it('rejects ordering of booleans and unknown attributes with 400 invalidFilter', async () => {
    const node = parseFilter('displayName eq "x"', { registry, resourceType: 'User' });
    await expect(
      compileFilter(
        { op: 'gt', path: { attribute: 'active' }, value: 'x' },
        { registry, resourceType: 'User' },
      ),
    ).rejects.toMatchObject({ name: 'ScimError', status: 400, scimType: 'invalidFilter' });
    await expect(
      compileFilter({ ...node, path: { attribute: 'nickNameX' } } as never, {
        registry,
        resourceType: 'User',
      }),
    ).rejects.toMatchObject({ name: 'ScimError', status: 400, scimType: 'invalidFilter' });
    await expect(
      compileFilter(parseFilter('members.value eq "x"', { registry, resourceType: 'Group' }), {
        registry,
        resourceType: 'Group',
      }),
    ).rejects.toMatchObject({ status: 400, scimType: 'invalidFilter' });
  });
});

describe('compileFilter: generated filters (mingo, no server)', () => {
  const seed = Number(process.env.SCIM_TEST_SEED ?? 20240611);
  const oracle = createOracle(registry, sampleResources(seed, 150, 20));

  it(`agrees with evaluateFilter on 600 generated filters (seed ${seed})`, async () => {
    const filters = generateFilterTexts(seed, 600);
    const mismatches: string[] = [];
    for (const [type, text] of filters) {
      const { actual, expected } = await oracle.compare(type, text);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${type} ${text}: expected ${expected.join(',')} got ${actual.join(',')}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe("compileFilter: the contract suite's generated resources and filters (mingo, no server)", () => {
  const seed = Number(process.env.SCIM_CONTRACT_SEED ?? 4242);
  const resources = generateResources(seed, 400);
  const oracle = createOracle(
    registry,
    resources.map((resource) => ({
      resourceType: resource.resourceType,
      id: resource.id,
      created: resource.now,
      lastModified: resource.now,
      data: resource.data,
      ...(resource.members === undefined ? {} : { members: resource.members }),
    })),
    (sample) =>
      toFilterView({
        resourceType: sample.resourceType,
        id: sample.id,
        now: sample.created,
        data: sample.data,
        ...(sample.members === undefined ? {} : { members: sample.members }),
      }),
  );

  it(`gives the ids evaluateFilter gives for 600 generated filters (seed ${seed})`, async () => {
    const mismatches: string[] = [];
    let selective = 0;
    for (const { resourceType, text } of generateFilters(seed, 600)) {
      const { actual, expected } = await oracle.compare(resourceType, text);
      const population = resources.filter((resource) => resource.resourceType === resourceType).length;
      if (expected.length > 0 && expected.length < population) selective++;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${resourceType} ${text}: expected ${expected.length} got ${actual.length}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(selective).toBeGreaterThan(300);
  });
});

const ALLOWED_OPERATORS = new Set([
  '$and',
  '$or',
  '$nor',
  '$eq',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$regex',
  '$exists',
  '$elemMatch',
  '$type',
]);

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

function generateFilterTexts(seed: number, n: number): [string, string][] {
  const r = random(seed ^ 0x5f3759df);
  const word = () => r.pick(WORDS);
  const stringValue = () =>
    quote(
      r.pick([
        word(),
        word().toUpperCase(),
        `${word()}@${r.pick(DOMAINS)}`,
        word().slice(0, 2),
        `-${r.int(20)}`,
      ]),
    );
  const userAtoms: (() => string)[] = [
    () => `userName ${r.pick(['eq', 'co', 'sw', 'ew', 'gt', 'lt', 'ne'])} ${stringValue()}`,
    () => `displayName ${r.pick(['eq', 'ne', 'co', 'sw', 'ew', 'ge', 'le'])} ${stringValue()}`,
    () =>
      `${r.pick(['displayName', 'title', 'externalId', 'name', 'emails', 'name.givenName', 'emails.type'])} pr`,
    () => `active ${r.pick(['eq', 'ne'])} ${r.pick(['true', 'false', 'null'])}`,
    () => `emails.value ${r.pick(['eq', 'co', 'sw', 'ew', 'ne'])} ${stringValue()}`,
    () =>
      `emails[type ${r.pick(['eq', 'ne'])} ${quote(r.pick(['work', 'home', 'WORK']))} ${r.pick(['and', 'or'])} value ${r.pick(['co', 'sw'])} ${stringValue()}]`,
    () => `name.${r.pick(['givenName', 'familyName'])} ${r.pick(['eq', 'gt', 'lt', 'co'])} ${stringValue()}`,
    () => `${EXT}:level ${r.pick(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])} ${r.int(6) - 1}`,
    () => `${EXT}:score ${r.pick(['gt', 'lt', 'eq'])} ${r.pick(['0.5', '1', '2', '-3.5'])}`,
    () => `${EXT}:hiredAt ${r.pick(['eq', 'gt', 'lt', 'ge', 'le', 'ne'])} ${quote(r.pick(TIMES))}`,
    () => `${EXT}:badge ${r.pick(['eq', 'co', 'ne'])} ${stringValue()}`,
    () => `${EXT}:tags ${r.pick(['eq', 'ne', 'co', 'sw', 'gt'])} ${stringValue()}`,
    () => `meta.${r.pick(['created', 'lastModified'])} ${r.pick(['gt', 'le', 'eq'])} ${quote(r.pick(TIMES))}`,
    () =>
      `groups.${r.pick(['value', 'display'])} ${r.pick(['eq', 'ne', 'sw'])} ${quote(r.pick(['g1', 'g3', 'ann', 'sales']))}`,
    () => `id ${r.pick(['eq', 'sw', 'gt'])} ${quote(`u${r.int(30)}`)}`,
  ];
  const groupAtoms: (() => string)[] = [
    () => `displayName ${r.pick(['eq', 'co', 'sw', 'ne'])} ${stringValue()}`,
    () => `members.value ${r.pick(['eq', 'ne', 'sw'])} ${quote(`u${r.int(40)}`)}`,
    () =>
      `members[type eq ${quote(r.pick(['User', 'group']))} ${r.pick(['and', 'or'])} display ${r.pick(['pr', 'co "a"'])}]`,
    () => `${r.pick(['members', 'externalId', 'members.display'])} pr`,
  ];
  const expression = (atoms: (() => string)[], depth: number): string => {
    const roll = r.int(10);
    if (depth > 2 || roll < 5) return r.pick(atoms)();
    if (roll < 7) return `${expression(atoms, depth + 1)} and ${expression(atoms, depth + 1)}`;
    if (roll < 9) return `(${expression(atoms, depth + 1)} or ${expression(atoms, depth + 1)})`;
    return `not (${expression(atoms, depth + 1)})`;
  };
  return Array.from({ length: n }, () =>
    r.chance(0.75) ? ['User', expression(userAtoms, 0)] : ['Group', expression(groupAtoms, 0)],
  );
}
