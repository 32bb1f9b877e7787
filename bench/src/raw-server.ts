/**
 * The raw baseline: node:http + better-sqlite3 answering the same queries as the SCIM server with no
 * SCIM work at all (no auth, no validation, no projection, no journal). Every benchmark figure is
 * also reported as a ratio to this server, measured in the same run on the same machine.
 *
 * Usage: node raw-server.ts --db <file> --port <port>
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { argValue } from './args.ts';
import { createRawSchema } from './raw-schema.ts';

const db = new Database(argValue('--db', 'raw.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
createRawSchema(db);

const byUserName = db.prepare('SELECT id, data FROM users WHERE user_name_ci = ?');
const byId = db.prepare('SELECT id, data FROM users WHERE id = ?');
const insertUser = db.prepare('INSERT INTO users (id, user_name_ci, data) VALUES (?, ?, ?)');
const updateUser = db.prepare('UPDATE users SET data = ? WHERE id = ?');
const addMember = db.prepare('INSERT OR IGNORE INTO members (group_id, member_id) VALUES (?, ?)');
const countUsers = db.prepare('SELECT count(*) AS n FROM users');
const pageByIndex = db.prepare('SELECT id, data FROM users ORDER BY id LIMIT ? OFFSET ?');
const pageByCursor = db.prepare('SELECT id, data FROM users WHERE id > ? ORDER BY id LIMIT ?');

function send(res: ServerResponse, status: number, body?: string): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function list(rows: { data: string }[], total: number): string {
  return `{"totalResults":${total},"Resources":[${rows.map((row) => row.data).join(',')}]}`;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, , type, id] = url.pathname.split('/'); // /raw/Users/<id>
  try {
    if (type === 'Users' && req.method === 'GET' && id) {
      const row = byId.get(id) as { data: string } | undefined;
      return row ? send(res, 200, row.data) : send(res, 404);
    }
    if (type === 'Users' && req.method === 'GET') {
      const filter = url.searchParams.get('filter');
      if (filter) {
        const match = /"((?:[^"\\]|\\.)*)"/.exec(filter);
        const row = match
          ? (byUserName.get(match[1]!.toLowerCase()) as { data: string } | undefined)
          : undefined;
        return send(res, 200, list(row ? [row] : [], row ? 1 : 0));
      }
      const count = Number(url.searchParams.get('count') ?? 100);
      const cursor = url.searchParams.get('cursor');
      if (cursor !== null) {
        const rows = pageByCursor.all(cursor, count) as { id: string; data: string }[];
        const next = rows.length === count ? rows[rows.length - 1]!.id : undefined;
        const body = list(rows, (countUsers.get() as { n: number }).n);
        return send(res, 200, next ? `${body.slice(0, -1)},"nextCursor":"${next}"}` : body);
      }
      const startIndex = Number(url.searchParams.get('startIndex') ?? 1);
      const rows = pageByIndex.all(count, startIndex - 1) as { data: string }[];
      return send(res, 200, list(rows, (countUsers.get() as { n: number }).n));
    }
    if (type === 'Users' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req)) as { userName: string };
      const newId = randomUUID();
      const data = JSON.stringify({ ...body, id: newId });
      insertUser.run(newId, body.userName.toLowerCase(), data);
      return send(res, 201, data);
    }
    if (type === 'Users' && req.method === 'PATCH' && id) {
      const body = JSON.parse(await readBody(req)) as { Operations: { path: string; value: unknown }[] };
      const row = byId.get(id) as { data: string } | undefined;
      if (!row) return send(res, 404);
      const data = JSON.parse(row.data) as Record<string, unknown>;
      for (const op of body.Operations) data[op.path] = op.value;
      updateUser.run(JSON.stringify(data), id);
      return send(res, 204);
    }
    if (type === 'Groups' && req.method === 'PATCH' && id) {
      const body = JSON.parse(await readBody(req)) as { Operations: { value: { value: string }[] }[] };
      for (const op of body.Operations) for (const member of op.value) addMember.run(id, member.value);
      return send(res, 204);
    }
    if (type === 'healthz') return send(res, 200, '{"ok":true}');
    return send(res, 404);
  } catch (error) {
    return send(res, 400, JSON.stringify({ detail: String(error) }));
  }
});

if (process.argv.includes('--port')) {
  const port = Number(argValue('--port', '0'));
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `${JSON.stringify({ listening: typeof address === 'object' ? address?.port : port })}\n`,
    );
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
