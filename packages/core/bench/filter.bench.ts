// Micro-benchmark of the filter language (Vitest 5 `bench` fixture): in packages/core run
// `npx vitest bench --run bench/filter.bench.ts`.
// The figures recorded in docs/filter.md come from this file.
import { test } from 'vitest';
import { SCHEMA_URNS, type ScimResource } from '../src/schema/types.js';
import { evaluateFilter, formatFilter, parseFilter, parsePatchPath } from '../src/filter/index.js';

const SIMPLE = 'userName eq "bjensen@example.com"';
const EXTERNAL_ID = 'externalId eq "00u1a2b3c4D5e6F7g8h9"';
const GROUP = 'displayName eq "Sales and Marketing"';
const COMPLEX =
  'userType eq "Employee" and emails[type eq "work" and value co "@example.com"] and not (active eq false) or meta.lastModified gt "2011-05-13T04:42:34Z"';

const user: ScimResource = {
  schemas: [SCHEMA_URNS.user, SCHEMA_URNS.enterpriseUser],
  id: '2819c223-7f76-453a-919d-413861904646',
  userName: 'bjensen@example.com',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  meta: { lastModified: '2011-05-13T04:42:34Z' },
};

const simpleResolved = parseFilter(SIMPLE, { resourceType: 'User' });
const complexResolved = parseFilter(COMPLEX, { resourceType: 'User' });

test('parse', async ({ bench }) => {
  await bench.compare(
    bench('userName eq "..." (syntax only)', () => {
      parseFilter(SIMPLE);
    }),
    bench('userName eq "..." (resolved, User)', () => {
      parseFilter(SIMPLE, { resourceType: 'User' });
    }),
    bench('externalId eq "..." (resolved, User)', () => {
      parseFilter(EXTERNAL_ID, { resourceType: 'User' });
    }),
    bench('displayName eq "..." (resolved, Group)', () => {
      parseFilter(GROUP, { resourceType: 'Group' });
    }),
    bench('complex: 4 comparisons + value path (resolved)', () => {
      parseFilter(COMPLEX, { resourceType: 'User' });
    }),
    bench('PATCH path emails[type eq "work"].value (resolved)', () => {
      parsePatchPath('emails[type eq "work"].value', { resourceType: 'User' });
    }),
  );
});

test('evaluate', async ({ bench }) => {
  await bench.compare(
    bench('resolved userName eq "..."', () => {
      evaluateFilter(simpleResolved, user);
    }),
    bench('resolved complex filter', () => {
      evaluateFilter(complexResolved, user);
    }),
    bench('text userName eq "..." (parse + resolve + evaluate)', () => {
      evaluateFilter(SIMPLE, user);
    }),
  );
});

test('format', async ({ bench }) => {
  await bench('formatFilter(complex)', () => {
    formatFilter(complexResolved);
  }).run();
});
