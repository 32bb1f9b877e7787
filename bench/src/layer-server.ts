/**
 * The layers under the reference server, to see what each one costs over HTTP (`profile --layer`):
 *
 * - `constant`: node:http answering every SCIM path with a fixed User body and the headers a SCIM
 *   response carries, no work at all (what the HTTP machinery and the load generator cost);
 * - `listener`: `toNodeListener(createScimServer(...))` over the seeded SQLite store, composed as
 *   the reference server composes it (bearer auth, memory rate limiter, journal, 204 group PATCH),
 *   without the reference server's own glue (metrics, admin routes, health checks, its logger).
 *
 * Usage: node layer-server.ts --db <scim.sqlite> --port <port> --layer constant|listener
 */
import { createServer } from 'node:http';
import { createMemoryRateLimiter, createScimServer, toNodeListener } from '@scim/server';
import { createSqliteStore } from '@scim/store-sqlite';
import { argValue } from './args.ts';

const layer = argValue('--layer', 'listener');
const port = Number(argValue('--port', '0'));
const USER_BODY = JSON.stringify({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '5e8b10cd-f254-4dd4-a28a-ae28df55f0bb',
  userName: 'user0@example.com',
  externalId: 'ext-0',
  name: { familyName: 'Number 0', givenName: 'User' },
  displayName: 'User Number 0',
  emails: [{ value: 'user0@example.com', type: 'work', primary: true }],
  active: true,
  meta: {
    resourceType: 'User',
    created: '2026-11-23T16:10:21.420Z',
    lastModified: '2026-11-23T16:10:21.420Z',
    location: 'http://localhost:8080/scim/v2/Users/5e8b10cd-f254-4dd4-a28a-ae28df55f0bb',
    version: 'W/"1"',
  },
});

let listener: Parameters<typeof createServer>[1];
if (layer === 'constant') {
  listener = (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/scim+json; charset=utf-8',
      etag: 'W/"1"',
      'content-location': 'http://localhost:8080/scim/v2/Users/5e8b10cd-f254-4dd4-a28a-ae28df55f0bb',
      'x-request-id': '01a20985-2aa3-7e04-94eb-736709669f33',
      'content-length': String(Buffer.byteLength(USER_BODY)),
    });
    res.end(USER_BODY);
  };
} else if (layer === 'listener') {
  const store = createSqliteStore({ database: argValue('--db', 'scim.sqlite') });
  const scim = createScimServer({
    store,
    baseUrl: `http://localhost:${port}/scim/v2`,
    rateLimit: { limiter: createMemoryRateLimiter({ limit: 1_000_000_000, windowMs: 60_000 }) },
    events: { onCommit: () => {} },
    policies: { groupPatchResponse: 'no-content' },
  });
  const scimListener = toNodeListener(scim, { basePath: '/scim/v2' });
  listener = (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    scimListener(req, res);
  };
} else {
  throw new Error('--layer must be constant or listener');
}

const server = createServer(listener);
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
