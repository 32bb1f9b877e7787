import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BULK_REQUEST,
  GROUP,
  PATCH_OP,
  type Random,
  type SecurityFixture,
  USER,
  prng,
  startFixture,
  userBody,
  wellFormed,
} from './fixture.js';

// Random and mutated HTTP requests against a real node:http server backed by SQLite. Every answer
// must be a success or a well-formed SCIM error, in bounded time; no 500, no hang, no partial write;
// afterwards the database is intact and the server still serves a normal request.

const SEED = Number(process.env.SCIM_FUZZ_SEED ?? Date.now() % 2 ** 31);
const REQUESTS = Number(process.env.SCIM_FUZZ_REQUESTS ?? 400);
/** The whole run stops early after this long (the per-request timeout still applies). */
const BUDGET_MS = 45_000;

let fx: SecurityFixture;
let userId: string;
let groupId: string;

beforeAll(async () => {
  fx = await startFixture({
    limits: { maxBodyBytes: 64 * 1024, maxBulkPayloadBytes: 64 * 1024, maxBulkOperations: 20 },
  });
  const user = await fx.send('POST', '/Users', {
    body: userBody('fuzz.target@example.com', {
      emails: [{ value: 'fuzz@example.com', type: 'work', primary: true }],
    }),
  });
  expect(user.status).toBe(201);
  userId = user.body.id;
  const group = await fx.send('POST', '/Groups', {
    body: { schemas: [GROUP], displayName: 'Fuzzers', members: [{ value: userId }] },
  });
  expect(group.status).toBe(201);
  groupId = group.body.id;
});

afterAll(async () => {
  await fx?.close();
});

const FILTERS = [
  'userName eq "fuzz.target@example.com"',
  'emails[type eq "work" and value co "@"]',
  'name.familyName sw "F" or not (title pr)',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'members.value eq "x"',
  'groups.value eq "x"',
  'userName eq "\' OR 1=1 --"',
  'displayName eq "{\\"$ne\\": null}"',
  '__proto__ pr',
  `${'('.repeat(40)}userName pr${')'.repeat(40)}`,
  `userName pr${' and userName pr'.repeat(600)}`,
];

const NOISE = [
  '"',
  '\\',
  '(',
  ')',
  '[',
  ']',
  ' ',
  'eq',
  ' and ',
  'not',
  '%00',
  '\u0000',
  '\ud800',
  '💥',
  "'",
  '$',
  '.',
  ':',
];

function mutateText(random: Random, text: string): string {
  let result = text;
  const edits = 1 + random.int(3);
  for (let i = 0; i < edits; i += 1) {
    const at = random.int(result.length + 1);
    const cut = random.int(4);
    result = result.slice(0, at) + (random.chance(0.7) ? random.pick(NOISE) : '') + result.slice(at + cut);
  }
  return result;
}

function randomString(random: Random, max = 12): string {
  let text = '';
  const length = random.int(max);
  for (let i = 0; i < length; i += 1)
    text += String.fromCharCode(random.chance(0.8) ? 32 + random.int(95) : random.int(0xffff));
  return text;
}

/** Lone surrogates replaced: URLs and headers cannot carry them (the JSON bodies still do). */
function wellFormedText(text: string): string {
  return text.replace(/[\ud800-\udfff]/g, '\ufffd');
}

function randomJson(random: Random, depth = 0): unknown {
  const kind = random.int(depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1.5, 1e308, -1e-308, 2 ** 53 + 1]);
    case 3:
    case 4:
      return random.chance(0.5)
        ? randomString(random)
        : random.pick(['True', 'false', '42', '__proto__', "' OR 1=1 --", '$where']);
    case 5:
      return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const keys = random.int(4);
      for (let i = 0; i < keys; i += 1) {
        const key = random.chance(0.3)
          ? random.pick([
              '__proto__',
              'constructor',
              'prototype',
              'value',
              'type',
              'primary',
              'userName',
              'members',
              'op',
              'path',
            ])
          : randomString(random, 8);
        Object.defineProperty(object, key, {
          value: randomJson(random, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

/** Replaces, deletes or injects one node of a JSON document (a copy). */
function mutateJson(random: Random, document: unknown): unknown {
  const root = { root: JSON.parse(JSON.stringify(document)) as unknown };
  const edits = 1 + random.int(3);
  for (let i = 0; i < edits; i += 1) {
    const containers: (Record<string, unknown> | unknown[])[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) {
        containers.push(value);
        for (const item of value) walk(item);
      } else if (typeof value === 'object' && value !== null) {
        containers.push(value as Record<string, unknown>);
        for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key]);
      }
    };
    walk(root);
    const target = random.pick(containers);
    if (Array.isArray(target)) {
      if (target.length > 0 && random.chance(0.3)) target.splice(random.int(target.length), 1);
      else target[random.int(target.length + 1)] = randomJson(random);
      continue;
    }
    const keys = Object.keys(target);
    const key =
      keys.length > 0 && random.chance(0.7)
        ? random.pick(keys)
        : random.pick([
            '__proto__',
            'constructor',
            'Schemas',
            'USERNAME',
            'Operations',
            randomString(random, 6),
          ]);
    if (random.chance(0.25)) delete target[key];
    else
      Object.defineProperty(target, key, {
        value: randomJson(random),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return root.root;
}

function validBodies(): unknown[] {
  return [
    userBody('fuzz.new@example.com', {
      emails: [{ value: 'n@example.com', type: 'work' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'D' },
    }),
    { schemas: [GROUP], displayName: 'G', members: [{ value: userId }] },
    {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'active', value: false },
        { op: 'add', path: 'emails', value: [{ value: 'p@example.com', type: 'home' }] },
        { op: 'Replace', value: { displayName: 'X', 'name.givenName': 'Y' } },
      ],
    },
    {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: userId }] },
        { op: 'remove', path: `members[value eq "${userId}"]` },
      ],
    },
    {
      schemas: [BULK_REQUEST],
      failOnErrors: 2,
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: userBody('fuzz.bulk@example.com') },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: { schemas: [GROUP], displayName: 'B', members: [{ value: 'bulkId:u1' }] },
        },
        {
          method: 'PATCH',
          path: `/Users/${userId}`,
          data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'T' }] },
        },
        { method: 'DELETE', path: '/Users/does-not-exist' },
      ],
    },
  ];
}

/** Requests that make sense, to be mutated: they reach validation, PATCH, Bulk and the store. */
function templates(): { method: string; path: string; body?: unknown }[] {
  const [user, group, patchUser, patchGroup, bulk] = validBodies();
  return [
    { method: 'POST', path: '/Users', body: user },
    { method: 'POST', path: '/Groups', body: group },
    { method: 'PUT', path: `/Users/${userId}`, body: userBody('fuzz.target@example.com', { title: 'PUT' }) },
    { method: 'PATCH', path: `/Users/${userId}`, body: patchUser },
    { method: 'PATCH', path: `/Groups/${groupId}`, body: patchGroup },
    { method: 'POST', path: '/Bulk', body: bulk },
    {
      method: 'POST',
      path: '/Users/.search',
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'userName sw "fuzz"',
        count: 5,
      },
    },
    { method: 'GET', path: '/Users' },
    { method: 'GET', path: '/Groups' },
    { method: 'GET', path: `/Groups/${groupId}` },
  ];
}

function randomBody(random: Random): string | Uint8Array {
  const choice = random.int(10);
  if (choice < 6) return JSON.stringify(mutateJson(random, random.pick(validBodies())));
  if (choice === 6) return JSON.stringify(random.pick(validBodies())).slice(0, random.int(200));
  if (choice === 7) return Uint8Array.from({ length: 1 + random.int(64) }, () => random.int(256));
  if (choice === 8) {
    const depth = random.pick([100, 5_000, 20_000]);
    const key = random.pick(['name', 'emails', 'Operations', 'x', 'members']);
    return `{"schemas":["${USER}"],"userName":"deep${random.int(1e6)}","${key}":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
  }
  return random.pick(['[]', 'null', '"x"', '1', '{}', '{"schemas":null}', '', ' ', '{"a":1,"a":2}']);
}

function randomPath(random: Random): string {
  return random.pick([
    '/Users',
    `/Users/${userId}`,
    `/Users/${userId}`,
    '/Groups',
    `/Groups/${groupId}`,
    `/Groups/${groupId}`,
    '/Bulk',
    '/Me',
    '/Users/.search',
    '/.search',
    '/Schemas',
    `/Schemas/${USER}`,
    '/ResourceTypes/User',
    '/ServiceProviderConfig',
    '/Users/%00',
    '/Users/..%2F..%2Fetc%2Fpasswd',
    `/Users/${'x'.repeat(2000)}`,
    '//Users',
    '/users',
    `/Users/${encodeURIComponent(wellFormedText(randomString(random)))}`,
    `/${encodeURIComponent(wellFormedText(randomString(random, 6)))}`,
    `/Groups/${groupId}/members`,
  ]);
}

function randomQuery(random: Random): string {
  const params = new URLSearchParams();
  if (random.chance(0.5))
    params.set(
      'filter',
      random.chance(0.5) ? random.pick(FILTERS) : mutateText(random, random.pick(FILTERS)),
    );
  if (random.chance(0.3))
    params.set(
      'count',
      random.pick(['-1', '0', '1', '99999999', '1e3', 'abc', '', '2.5', '1000000000000000000000']),
    );
  if (random.chance(0.2)) params.set('startIndex', random.pick(['-5', '0', '1', '2', '9999999999', 'x']));
  if (random.chance(0.2))
    params.set(
      'sortBy',
      random.pick([
        'userName',
        'emails.value',
        '"x',
        '__proto__',
        'x)',
        'meta.created',
        randomString(random, 5),
      ]),
    );
  if (random.chance(0.1)) params.set('sortOrder', random.pick(['ascending', 'DESCENDING', 'sideways']));
  if (random.chance(0.2))
    params.set(
      'attributes',
      random.pick(['userName', 'emails.value,__proto__', 'members', 'x,,y', randomString(random, 5)]),
    );
  if (random.chance(0.1))
    params.set('excludedAttributes', random.pick(['members', 'userName', 'constructor']));
  if (random.chance(0.1)) params.set('cursor', random.pick(['', 'garbage', '%00', 'eyJ4IjoxfQ']));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function randomHeaders(random: Random): Record<string, string> {
  const headers: Record<string, string> = {};
  if (random.chance(0.8))
    headers['content-type'] = random.pick([
      'application/scim+json',
      'application/json',
      'application/scim+json; charset=utf-8',
    ]);
  else
    headers['content-type'] = random.pick([
      'text/plain',
      'application/scim+json; charset=utf-16',
      'multipart/form-data; boundary=x',
      'application/xml',
    ]);
  if (random.chance(0.2))
    headers['if-match'] = random.pick(['W/"1"', '*', 'garbage', '"1"', 'W/"999999999999999999999"']);
  if (random.chance(0.1)) headers['if-none-match'] = random.pick(['W/"1"', '*']);
  if (random.chance(0.1)) headers['x-request-id'] = random.pick(['abc', 'bad id!', 'x'.repeat(500)]);
  if (random.chance(0.1))
    headers.authorization = random.pick([
      'Bearer',
      'Bearer wrong',
      'Basic Zm9vOmJhcg==',
      'bearer  ',
      `Bearer ${fx.a.token} extra`,
      'Negotiate x',
    ]);
  return headers;
}

async function snapshotUser(): Promise<string> {
  const reply = await fx.send('GET', `/Users/${userId}`);
  return reply.status === 200 ? JSON.stringify(reply.body) : `status ${reply.status}`;
}

describe(`HTTP fuzzing (seed ${SEED}, replay with SCIM_FUZZ_SEED=${SEED})`, () => {
  it('random and mutated requests: a success or a well-formed SCIM error, never a 500 or a hang', async () => {
    const random = prng(SEED);
    const started = Date.now();
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (; sent < REQUESTS && Date.now() - started < BUDGET_MS; sent += 1) {
      const template = random.chance(0.75) ? random.pick(templates()) : undefined;
      const method =
        template?.method ?? random.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
      let path = template?.path ?? randomPath(random);
      // Keep the two targets alive, so that later requests keep reaching PATCH and PUT on them.
      if (method === 'DELETE' && (path === `/Users/${userId}` || path === `/Groups/${groupId}`))
        path = '/Users/gone';
      const query = template?.method === 'GET' || template === undefined ? randomQuery(random) : '';
      const headers = randomHeaders(random);
      let raw: string | Uint8Array | undefined;
      if (template?.body !== undefined) {
        raw = random.chance(0.8) ? JSON.stringify(mutateJson(random, template.body)) : randomBody(random);
        if (random.chance(0.15)) raw = JSON.stringify(template.body);
      } else if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) && random.chance(0.9)) {
        raw = randomBody(random);
      }
      const label = `#${sent} ${method} ${path.slice(0, 80)}${query.slice(0, 120)} body=${typeof raw === 'string' ? raw.slice(0, 160) : raw === undefined ? '-' : `<${raw.length} bytes>`}`;
      // A write to the known user that fails must not change it: no partial writes.
      const guarded = (method === 'PATCH' || method === 'PUT') && path === `/Users/${userId}`;
      const before = guarded ? await snapshotUser() : undefined;
      let reply: Awaited<ReturnType<typeof fx.send>>;
      try {
        reply = await fx.send(method, `${path}${query}`, { headers, ...(raw === undefined ? {} : { raw }) });
      } catch (error) {
        problems.push(`${label}: no answer (${(error as Error).name}: ${(error as Error).message})`);
        if (problems.length > 5) break;
        continue;
      }
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const problem =
        method === 'HEAD'
          ? reply.status >= 500 && reply.status !== 501
            ? `${label}: ${reply.status}`
            : undefined
          : wellFormed(reply, label);
      if (problem !== undefined) problems.push(problem);
      if (guarded && reply.status >= 400) {
        const after = await snapshotUser();
        if (after !== before) problems.push(`${label}: failed with ${reply.status} but changed the user`);
      }
      if (problems.length > 5) break;
    }
    if (process.env.SCIM_FUZZ_VERBOSE) console.log(JSON.stringify([...statuses].sort()));
    expect(problems, `seed ${SEED}; statuses ${JSON.stringify([...statuses])}`).toStrictEqual([]);
    expect(sent).toBeGreaterThan(50);
    // The fuzz reached past authentication and parsing into real work.
    expect([...statuses.keys()].some((status) => status >= 200 && status < 300)).toBe(true);
    expect([...statuses.keys()].some((status) => status === 400)).toBe(true);
  }, 120_000);

  it('the database is intact and the server still serves normal requests afterwards', async () => {
    const database = new DatabaseSync(fx.databasePath, { readOnly: true });
    try {
      expect(database.prepare('PRAGMA integrity_check').get()?.integrity_check).toBe('ok');
      expect(database.prepare('PRAGMA foreign_key_check').all()).toHaveLength(0);
    } finally {
      database.close();
    }
    const created = await fx.send('POST', '/Users', { body: userBody(`after.fuzz.${SEED}@example.com`) });
    expect(created.status).toBe(201);
    const read = await fx.send('GET', `/Users/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.userName).toBe(`after.fuzz.${SEED}@example.com`);
  });
});
