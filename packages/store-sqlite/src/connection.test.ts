import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { plusParameters, prepareConnection, StatementCache } from './connection.js';

describe('StatementCache', () => {
  it('prepares each SQL once and evicts the least recently used past its size', () => {
    const db = new Database(':memory:');
    try {
      const cache = new StatementCache(db, 2);
      const a = cache.get('SELECT 1');
      const b = cache.get('SELECT 2');
      expect(cache.get('SELECT 1')).toBe(a); // a hit: the same prepared statement, now most recent
      cache.get('SELECT 3'); // past the size: SELECT 2 is the least recently used
      expect(cache.size).toBe(2);
      expect(cache.get('SELECT 1')).toBe(a);
      const again = cache.get('SELECT 2'); // prepared anew, and SELECT 3 goes this time
      expect(again).not.toBe(b);
      expect(again.pluck().get()).toBe(2);
      expect(cache.size).toBe(2);
      expect(cache.get('SELECT 1')).toBe(a);
    } finally {
      db.close();
    }
  });
});

describe('plusParameters', () => {
  it('writes every kind of bound parameter as +parameter', () => {
    expect(plusParameters('SELECT * FROM t WHERE a = ? AND b = ?2 AND c = @p1 AND d = :x AND e = $y')).toBe(
      'SELECT * FROM t WHERE a = +? AND b = +?2 AND c = +@p1 AND d = +:x AND e = +$y',
    );
    expect(plusParameters('INSERT INTO t (a, b) VALUES (?, ?)')).toBe('INSERT INTO t (a, b) VALUES (+?, +?)');
    expect(plusParameters('SELECT value FROM json_each(?) LIMIT ? OFFSET @p9')).toBe(
      'SELECT value FROM json_each(+?) LIMIT +? OFFSET +@p9',
    );
  });

  it('leaves parameters that already follow a plus, and text inside quotes and comments', () => {
    expect(plusParameters('SELECT a + ?, +@p1 FROM t')).toBe('SELECT a + ?, +@p1 FROM t');
    expect(plusParameters(`SELECT '?', 'it''s @p1 ?', "col?", [x?], \`y?\` FROM t WHERE a = ?`)).toBe(
      `SELECT '?', 'it''s @p1 ?', "col?", [x?], \`y?\` FROM t WHERE a = +?`,
    );
    expect(plusParameters('SELECT 1 -- a = ?\nWHERE b = ? /* c = @p1 */')).toBe(
      'SELECT 1 -- a = ?\nWHERE b = +? /* c = @p1 */',
    );
    expect(plusParameters('SELECT a$b FROM t WHERE a$b = :x')).toBe('SELECT a$b FROM t WHERE a$b = +:x');
    expect(plusParameters("SELECT json_extract(data, '$.userName') FROM t")).toBe(
      "SELECT json_extract(data, '$.userName') FROM t",
    );
  });

  it('binds the same values, keeps index use, and answers ORDER BY queries as before', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (pk INTEGER PRIMARY KEY, a TEXT, b TEXT); CREATE INDEX t_ab ON t (a, b);');
      const insert = new StatementCache(db).get('INSERT INTO t (a, b) VALUES (?, @b)');
      for (let i = 0; i < 50; i++) insert.run(`a${i % 5}`, { b: `b${String(i).padStart(2, '0')}` });
      const cache = new StatementCache(db);
      const sql = 'SELECT b FROM t WHERE a = ? ORDER BY b LIMIT 3';
      for (const a of ['a1', 'a4', 'a1', 'none']) {
        const expected = db.prepare(sql).pluck().all(a);
        expect(cache.get(sql).pluck().all(a)).toEqual(expected);
      }
      expect(cache.get(sql).pluck().all('a2')).toEqual(['b02', 'b07', 'b12']);
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${plusParameters(sql)}`)
        .all('a2')
        .map((row) => (row as { detail: string }).detail);
      expect(plan).toEqual(['SEARCH t USING COVERING INDEX t_ab (a=?)']);
      // Numbers, NULL and text compare as they did with the bare parameter (no affinity is added
      // or lost), in every combination of column and value type.
      db.exec(
        "CREATE TABLE n (x INTEGER, y TEXT, z REAL); INSERT INTO n VALUES (1, '1', 1.5), (2, '02', 2), (NULL, NULL, NULL)",
      );
      for (const where of [
        'x = ?',
        'y = ?',
        'z = ?',
        'x > ?',
        'y < ?',
        'x IS ?',
        "y LIKE ? ESCAPE '\\'",
        'x IN (?, 2)',
      ]) {
        for (const value of [1, '1', 2, '02', 1.5, '1.5', null, 'text']) {
          const sql = `SELECT count(*) FROM n WHERE ${where}`;
          expect([where, value, new StatementCache(db).get(sql).pluck().get(value)]).toEqual([
            where,
            value,
            db.prepare(sql).pluck().get(value),
          ]);
        }
      }
    } finally {
      db.close();
    }
  });
});

describe('prepareConnection', () => {
  it('keeps the writer’s statement journals in memory and leaves the reader’s temporary storage on disk', () => {
    const directory = mkdtempSync(join(tmpdir(), 'scim-connection-'));
    const path = join(directory, 'scim.db');
    const writer = new Database(path);
    try {
      prepareConnection(writer, { busyTimeoutMs: 0 });
      const reader = new Database(path, { readonly: true });
      try {
        prepareConnection(reader, { busyTimeoutMs: 0 });
        expect(writer.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
        expect(reader.pragma('temp_store', { simple: true })).toBe(0); // DEFAULT: big sorts may spill
        expect(writer.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        reader.close();
      }
      // A transaction of many savepoints, each changing more than the 64 KiB a statement journal
      // keeps in memory by default, commits and rolls back exactly as before.
      writer.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v)');
      const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
      for (let i = 0; i < 2000; i++) insert.run(`seed-${i}-${'x'.repeat(200)}`);
      writer.exec('BEGIN');
      for (let round = 0; round < 5; round++) {
        writer.exec('SAVEPOINT s');
        writer.prepare("UPDATE t SET v = v || '!'").run();
        if (round % 2 === 1) writer.exec('ROLLBACK TO s');
        writer.exec('RELEASE s');
      }
      writer.exec('COMMIT');
      expect(writer.prepare("SELECT count(*) FROM t WHERE v LIKE '%!!!'").pluck().get()).toBe(2000);
      expect(writer.prepare("SELECT count(*) FROM t WHERE v LIKE '%!!!!'").pluck().get()).toBe(0);
    } finally {
      writer.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
