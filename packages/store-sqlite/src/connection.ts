import { parseDateTime } from '@scim/core';
import type BetterSqlite3 from 'better-sqlite3';
import { sortKeyValue } from './sort-key.js';

/**
 * Case folding for caseExact=false comparisons. The store writes folded copies of hot values with
 * this same function and registers it in SQLite as `scim_fold`, so indexed and non-indexed
 * comparisons agree, and both agree with JavaScript's Unicode-aware `toLowerCase` (SQLite's own
 * `lower()` only folds ASCII).
 */
export function fold(value: string): string {
  return value.toLowerCase();
}

/**
 * Milliseconds since the epoch of an xsd:dateTime, or `null` when it is not one. Stored dateTimes
 * are compared through this (registered as `scim_time`), which is core's `parseDateTime`: the
 * reference semantics. So `2024-01-01T01:00:00+01:00` equals `2024-01-01T00:00:00Z`, a value
 * without zone is UTC, and sub-millisecond digits still order chronologically (as a fraction).
 */
export function timeMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  return parseDateTime(value) ?? null;
}

/** Registers the store's SQL functions and pragmas on a connection. */
export function prepareConnection(db: BetterSqlite3.Database, options: { busyTimeoutMs: number }): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
  if (!db.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // The writer runs concurrent requests as savepoints of one transaction (group commit). Each
    // savepoint's statement journal spilled to a new temporary file past 64 KiB: an open, writes
    // and an unlink-on-close per group (perf: the temp file was most of a POST's system calls
    // besides the WAL). In memory it is truncated when the savepoint is released, so it stays
    // the size of one request's changes. Large sorts run on the read connection, which keeps
    // file-backed temporary storage.
    db.pragma('temp_store = MEMORY');
  }
  db.pragma('foreign_keys = ON');
  // LIKE must be case-sensitive: case-insensitive matching is done by folding both sides with
  // scim_fold, which is Unicode-aware; caseExact attributes then compare exactly.
  db.pragma('case_sensitive_like = ON');
  db.function('scim_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? fold(value) : (value as string | number | null),
  );
  db.function('scim_time', { deterministic: true }, (value: unknown) => timeMs(value));
  db.function(
    'scim_sort_key',
    { deterministic: true },
    (jsonType: unknown, value: unknown, type: unknown, caseExact: unknown) =>
      sortKeyValue(jsonType, value, type, caseExact),
  );
}

/**
 * The SQL with every bound parameter (`?`, `?NNN`, `@name`, `:name`, `$name`) written as `+param`.
 *
 * Why: SQLite's planner reads the bound value of a parameter that appears in a statement with an
 * ORDER BY (every list, member and journal query here has one) or on the right of a LIKE, and marks
 * the statement to be re-prepared whenever that parameter is bound to a new value: each execution
 * then re-parses and re-plans the statement (5 to 10 us, two to three times the lookup it runs).
 * Unary plus gives the same value with the same (absent) affinity and leaves index use unchanged,
 * but it is an expression the planner does not look into. No LIKE here could use an index anyway:
 * their left side is a JSON path or a folding function. String literals, quoted identifiers and
 * comments are copied as they are.
 *
 * @example
 * plusParameters("SELECT * FROM t WHERE a = ? AND b = @p1 AND c = '?'");
 * // "SELECT * FROM t WHERE a = +? AND b = +@p1 AND c = '?'"
 */
export function plusParameters(sql: string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  let last = ''; // the last character copied that is not white space
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      while (j < n) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close)
            j += 2; // a doubled quote escapes itself
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      last = close;
      i = j + 1;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? n : end;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? n : end + 2;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    // `$` may also be part of an identifier (`a$b`): a named parameter starts after a non-word character.
    const named =
      (c === '@' || c === ':' || c === '$') &&
      /[A-Za-z0-9_]/.test(sql[i + 1] ?? '') &&
      !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? '');
    if (c === '?' || named) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      out += last === '+' ? sql.slice(i, j) : `+${sql.slice(i, j)}`;
      last = sql[j - 1]!;
      i = j;
      continue;
    }
    out += c;
    if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') last = c;
    i++;
  }
  return out;
}

/**
 * A small LRU cache of prepared statements for one connection. A hit only stamps the entry with a
 * counter (no Map re-insertion: it runs several times per request); a miss past `max` evicts the
 * least recently stamped entry, a scan that is cheap next to the `prepare` it follows.
 */
export class StatementCache {
  readonly #db: BetterSqlite3.Database;
  readonly #max: number;
  readonly #cache = new Map<string, { statement: BetterSqlite3.Statement; used: number }>();
  #clock = 0;

  constructor(db: BetterSqlite3.Database, max = 500) {
    this.#db = db;
    this.#max = max;
  }

  get db(): BetterSqlite3.Database {
    return this.#db;
  }

  /** The prepared statement for `sql` (its parameters written as {@link plusParameters} does), prepared once and reused. */
  get(sql: string): BetterSqlite3.Statement {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) {
      cached.used = ++this.#clock;
      return cached.statement;
    }
    const statement = this.#db.prepare(plusParameters(sql));
    this.#cache.set(sql, { statement, used: ++this.#clock });
    if (this.#cache.size > this.#max) {
      let oldest: string | undefined;
      let oldestUse = Number.POSITIVE_INFINITY;
      for (const [key, entry] of this.#cache) {
        if (entry.used < oldestUse) {
          oldestUse = entry.used;
          oldest = key;
        }
      }
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return statement;
  }

  get size(): number {
    return this.#cache.size;
  }
}
