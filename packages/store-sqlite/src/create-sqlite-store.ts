import {
  type AccessState,
  type Credential,
  type CredentialChanges,
  type GetOptions,
  type GroupRef,
  type JournalEvent,
  type JournalQuery,
  type MemberDelta,
  type MemberPage,
  type MemberPageOptions,
  type MemberRef,
  type NewJournalEvent,
  type NewResource,
  type NewTenant,
  type QueryResult,
  type ResourceQuery,
  type ResourceUpdate,
  type RoleSettings,
  type SchemaRegistry,
  type Store,
  type StoreCapabilities,
  StoreError,
  type StoreTransaction,
  type StoredResource,
  type Tenant,
  defaultSchemaRegistry,
} from '@scim/core';
import BetterSqlite3 from 'better-sqlite3';
import { BackgroundCheckpointer } from './checkpointer.js';
import { classifySqliteError, guard } from './classify-sqlite-error.js';
import { compileFilter } from './compile-filter.js';
import { CredentialCache } from './credential-cache.js';
import { StatementCache, prepareConnection, timeMs } from './connection.js';
import { type CursorPosition, decodeCursor, encodeCursor } from './cursor.js';
import { DerivedValuesComputer } from './derived-values.js';
import { applyMigrations } from './migrations.js';
import { Mutex } from './mutex.js';
import { type SortKey, sortKeySql } from './sort-key.js';
import { SqlParams } from './sql-params.js';

/** Options of `createSqliteStore`. */
export interface SqliteStoreOptions {
  /**
   * A better-sqlite3 database, or the path of the database file (created when missing).
   * With a file, the store opens one extra read-only connection so that reads outside a transaction
   * never wait for, nor see, an open transaction (WAL). With an in-memory database (`':memory:'`)
   * there is a single connection: reads outside a transaction then wait until the open transaction
   * ends, which keeps the same isolation by serialising instead. A database you pass in stays
   * yours: `close()` does not close it.
   */
  database: BetterSqlite3.Database | string;
  /**
   * The schema registry: which attributes are unique, case-exact, multi-valued.
   * @default defaultSchemaRegistry
   */
  registry?: SchemaRegistry;
  /**
   * How long a write waits for another process's write lock before failing with a retryable
   * `StoreError('unavailable')`.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * Multi-valued sub-attributes kept in the `value_index` table, so that `path eq "..."` (and value
   * filters with such an equality) are answered from an index.
   * @default ['emails.value']
   */
  indexedValuePaths?: readonly string[];
  /**
   * Where WAL checkpoints run (file databases only). `background`: once the store has seen a few
   * dozen commits, a worker thread with its own connection runs PASSIVE checkpoints every
   * `checkpointIntervalMs`, so their page copies and fsyncs stay off the event loop; the writer's
   * autocheckpoint is raised to 10000 pages as a backstop. `inline`: SQLite's default, the
   * committing connection checkpoints every 1000 pages.
   * @default 'background'
   */
  checkpoint?: 'background' | 'inline';
  /** @default 250 */
  checkpointIntervalMs?: number;
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  transactions: true,
  cursorPaging: true,
  sorting: true,
});

const RESOURCE_COLUMNS =
  'r.pk, r.id, r.resource_type, r.version, r.created, r.last_modified, r.deprovisioned_at, r.access, r.data';

interface ResourceRow {
  pk: number;
  id: string;
  resource_type: string;
  version: number;
  created: string;
  last_modified: string;
  deprovisioned_at: string | null;
  access: string | null;
  data: string;
  sort_key?: SortKey;
}

interface MemberRow {
  member_id: string;
  member_type: string;
  display: string | null;
}

interface JournalRow {
  position: number;
  id: string;
  tenant_id: string;
  type: string;
  time: string;
  resource_type: string | null;
  resource_id: string | null;
  actor: string | null;
  request_id: string | null;
  changed_attributes: string | null;
  data: string | null;
}

interface CredentialRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: 'bearer' | 'basic';
  hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/**
 * Creates the SQLite store (better-sqlite3): WAL journal, foreign keys, a busy timeout, versioned
 * migrations applied on open, prepared statements cached per connection. Every filter compiles
 * completely into parameterised SQL; the hot lookups (userName, externalId, id, displayName,
 * emails.value, members.value, meta.lastModified) use indexes. Transactions hold one write
 * connection (`BEGIN IMMEDIATE`) behind an async mutex; reads outside a transaction go through a
 * separate read connection and only see committed data.
 *
 * @example
 * import Database from 'better-sqlite3';
 * import { createSqliteStore } from '@scim/store-sqlite';
 *
 * const store = createSqliteStore({ database: './scim.db' }); // or { database: new Database('./scim.db') }
 * await store.transaction('tenant-1', (tx) =>
 *   tx.create({
 *     resourceType: 'User',
 *     id: 'u1',
 *     now: new Date().toISOString(),
 *     data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada' },
 *   }),
 * );
 * const user = await store.getResource('tenant-1', 'User', 'u1');
 * await store.close();
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  return new SqliteStore(options);
}

/**
 * The SQLite query plan (`EXPLAIN QUERY PLAN` details) of the statement that fetches a page of a
 * query, to check which index a filter uses. Runs the query on the committed data.
 *
 * @example
 * const plan = await explainQuery(store, 'tenant-1', { resourceType: 'User', filter, count: 10 });
 * // ['SEARCH r USING INDEX resources_user_name (tenant_id=? AND resource_type=? AND user_name_ci=?)']
 */
export async function explainQuery(store: Store, tenantId: string, query: ResourceQuery): Promise<string[]> {
  if (!(store instanceof SqliteStore))
    throw new TypeError('explainQuery needs a store made by createSqliteStore');
  return store.explain(tenantId, query);
}

/**
 * A LIMIT as an SQL integer literal. A bound LIMIT makes SQLite (built with STAT4) re-plan the
 * statement on every run, which tripled the cost of a one-row lookup; page sizes take few distinct
 * values, so literals keep the statement cache small.
 */
function sqlLimit(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '-1'; // SQLite: no limit
  const n = Math.trunc(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a valid LIMIT: ${value}`);
  return String(n);
}

/** A transaction waiting for its group. */
interface QueuedTransaction {
  tenantId: string;
  fn: (tx: StoreTransaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Transactions per group commit at most. */
const MAX_GROUP = 64;

class SqliteStore implements Store {
  readonly capabilities = CAPABILITIES;
  readonly #registry: SchemaRegistry;
  readonly #writer: StatementCache;
  readonly #reader: StatementCache | undefined;
  readonly #ownsWriter: boolean;
  readonly #mutex = new Mutex();
  readonly #derived: DerivedValuesComputer;
  readonly #indexedKeys = new Map<string, ReadonlySet<string>>();
  readonly #checkpointer: BackgroundCheckpointer | undefined;
  readonly #credentialCache: CredentialCache | undefined;
  readonly #queue: QueuedTransaction[] = [];
  #groupScheduled = false;
  #groupRunning: Promise<void> | undefined;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    this.#registry = options.registry ?? defaultSchemaRegistry;
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const db =
      typeof options.database === 'string'
        ? guard(() => new BetterSqlite3(options.database as string))
        : options.database;
    this.#ownsWriter = typeof options.database === 'string';
    try {
      guard(() => {
        prepareConnection(db, { busyTimeoutMs });
        applyMigrations(db);
      });
      this.#writer = new StatementCache(db);
      if (!db.memory) {
        const reader = guard(() => new BetterSqlite3(db.name, { readonly: true, fileMustExist: true }));
        prepareConnection(reader, { busyTimeoutMs });
        this.#reader = new StatementCache(reader);
        this.#credentialCache = CredentialCache.open(db.name);
        if ((options.checkpoint ?? 'background') === 'background' && !db.readonly) {
          db.pragma('wal_autocheckpoint = 10000');
          this.#checkpointer = new BackgroundCheckpointer(db.name, options.checkpointIntervalMs ?? 250);
        }
      }
    } catch (error) {
      if (this.#ownsWriter) db.close();
      throw error;
    }
    this.#derived = new DerivedValuesComputer(this.#registry, options.indexedValuePaths ?? ['emails.value']);
  }

  // ---- plumbing ----

  #checkOpen(): void {
    if (this.#closed) {
      throw new StoreError('unavailable', { retryable: false, detail: 'The SQLite store has been closed' });
    }
  }

  /** Runs a committed read: on the read connection, or after the open transaction without one. */
  async #read<T>(fn: (db: StatementCache) => T): Promise<T> {
    this.#checkOpen();
    const reader = this.#reader;
    if (reader !== undefined) return guard(() => fn(reader));
    return this.#mutex.run(() => {
      this.#checkOpen();
      return guard(() => fn(this.#writer));
    });
  }

  /** Runs a write outside `transaction`, never interleaved with an open transaction. */
  async #write<T>(fn: (db: StatementCache) => T): Promise<T> {
    this.#checkOpen();
    return this.#mutex.run(() => {
      this.#checkOpen();
      return guard(() => fn(this.#writer));
    });
  }

  #indexedKeysOf(resourceType: string): ReadonlySet<string> {
    let keys = this.#indexedKeys.get(resourceType);
    if (keys === undefined) {
      keys = this.#derived.indexedKeys(resourceType);
      this.#indexedKeys.set(resourceType, keys);
    }
    return keys;
  }

  // ---- resources ----

  async getResource(
    tenantId: string,
    resourceType: string,
    id: string,
    options?: GetOptions,
  ): Promise<StoredResource | undefined> {
    return this.#read((db) => getResourceFrom(db, tenantId, resourceType, id, options));
  }

  async queryResources(tenantId: string, query: ResourceQuery): Promise<QueryResult> {
    return this.#read((db) => this.queryFrom(db, tenantId, query));
  }

  async listMembers(tenantId: string, groupId: string, options: MemberPageOptions = {}): Promise<MemberPage> {
    return this.#read((db) => {
      const limit = Math.max(1, options.limit ?? 1000);
      const rows = (
        options.after === undefined
          ? db
              .get(
                `SELECT member_id, member_type, display FROM members WHERE tenant_id = ? AND group_id = ? ORDER BY member_id LIMIT ${sqlLimit(limit + 1)}`,
              )
              .all(tenantId, groupId)
          : db
              .get(
                `SELECT member_id, member_type, display FROM members WHERE tenant_id = ? AND group_id = ? AND member_id > ? ORDER BY member_id LIMIT ${sqlLimit(limit + 1)}`,
              )
              .all(tenantId, groupId, options.after)
      ) as MemberRow[];
      const members = rows.slice(0, limit).map(toMemberRef);
      const page: MemberPage = { members };
      if (rows.length > limit) page.next = members.at(-1)!.value;
      return page;
    });
  }

  async listGroupsOf(tenantId: string, memberId: string): Promise<GroupRef[]> {
    return this.#read((db) => groupsOf(db, tenantId, memberId));
  }

  async countMembers(tenantId: string, groupId: string): Promise<number> {
    return this.#read(
      (db) =>
        (
          db
            .get('SELECT count(*) AS n FROM members WHERE tenant_id = ? AND group_id = ?')
            .get(tenantId, groupId) as {
            n: number;
          }
        ).n,
    );
  }

  async countResources(
    tenantId: string,
    resourceType: string,
    options?: { includeDeprovisioned?: boolean },
  ): Promise<number> {
    return this.#read((db) => {
      const sql = options?.includeDeprovisioned
        ? 'SELECT count(*) AS n FROM resources WHERE tenant_id = ? AND resource_type = ?'
        : 'SELECT count(*) AS n FROM resources WHERE tenant_id = ? AND resource_type = ? AND deprovisioned_at IS NULL';
      return (db.get(sql).get(tenantId, resourceType) as { n: number }).n;
    });
  }

  /** The SQLite query plan of the statement that fetches a page of `query` (see `explainQuery`). */
  async explain(tenantId: string, query: ResourceQuery): Promise<string[]> {
    const plan: string[] = [];
    await this.#read((db) => this.queryFrom(db, tenantId, query, plan));
    return plan;
  }

  /** The query engine, shared by committed reads and transactions. With `plan`, the page statement's query plan is collected. */
  queryFrom(db: StatementCache, tenantId: string, query: ResourceQuery, plan?: string[]): QueryResult {
    const params = new SqlParams();
    const conditions = [
      `r.tenant_id = ${params.add(tenantId)}`,
      `r.resource_type = ${params.add(query.resourceType)}`,
    ];
    if (!query.includeDeprovisioned) conditions.push('r.deprovisioned_at IS NULL');
    if (query.filter !== undefined) {
      conditions.push(
        compileFilter(query.filter, {
          tenantId,
          resourceType: query.resourceType,
          registry: this.#registry,
          indexedValuePaths: this.#indexedKeysOf(query.resourceType),
          params,
        }),
      );
    }
    const sort =
      query.sortBy === undefined
        ? undefined
        : sortKeySql(query.sortBy, query.resourceType, this.#registry, params).sql;
    // sortOrder only means something with a sortBy: without one, results are ordered by id.
    const descending = sort !== undefined && query.sortOrder === 'descending';
    const where = conditions.join(' AND ');
    // The count costs a statement of its own; a first page that is not full already holds every
    // match (the usual filter lookup), so it is counted only when the page cannot tell.
    const countAll = (): number =>
      (db.get(`SELECT count(*) AS n FROM resources r WHERE ${where}`).get(params.values) as { n: number }).n;
    const result: QueryResult = { totalResults: 0, resources: [] };
    const count = Math.max(0, Math.trunc(query.count));
    const keyColumn = sort === undefined ? '' : `, ${sort} AS sort_key`;
    const ascendingOrder = sort === undefined ? 'r.id' : `(${sort}) IS NULL, ${sort}, r.id`;
    const descendingOrder =
      sort === undefined ? 'r.id DESC' : `(${sort}) IS NULL DESC, ${sort} DESC, r.id DESC`;
    const page = (sql: string): ResourceRow[] => {
      if (plan !== undefined) {
        const details = db.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params.values) as { detail: string }[];
        plan.push(...details.map((row) => row.detail));
      }
      return db.get(sql).all(params.values) as ResourceRow[];
    };
    // A user's groups come with the page: whether it is in any group is a column of the page query
    // (most users are in none), and only those that are get their groups read.
    const withGroups = query.includeGroups === true && query.resourceType === 'User';
    const groupsColumn = withGroups
      ? ', EXISTS (SELECT 1 FROM members m WHERE m.tenant_id = r.tenant_id AND m.member_id = r.id) AS in_group'
      : '';
    const output = (rows: ResourceRow[]) => {
      const resources = rows.map((row) => toStored(db, tenantId, row, query.includeMembers ?? false));
      if (withGroups) {
        const groups = groupRowsOfMany(
          db,
          tenantId,
          rows.filter((row) => (row as { in_group?: number }).in_group).map((row) => row.id),
        );
        for (const resource of resources) resource.groups = groups.get(resource.id) ?? [];
      }
      return resources;
    };

    if (query.cursor === undefined) {
      if (count === 0) {
        result.totalResults = countAll();
        return result;
      }
      const offset = Math.max(1, Math.trunc(query.startIndex ?? 1)) - 1;
      const rows = page(
        `SELECT ${RESOURCE_COLUMNS}${groupsColumn} FROM resources r WHERE ${where} ORDER BY ${
          descending ? descendingOrder : ascendingOrder
        } LIMIT ${sqlLimit(count)} OFFSET ${params.add(offset)}`,
      );
      result.totalResults = offset === 0 && rows.length < count ? rows.length : countAll();
      result.resources = output(rows);
      return result;
    }

    const fingerprint = queryFingerprint(
      query.resourceType,
      query.sortBy === undefined ? '' : sortFingerprint(query),
      descending,
    );
    const position = query.cursor === '' ? undefined : decodeCursor(query.cursor, fingerprint);
    if (count === 0) {
      result.totalResults = countAll();
      return result;
    }

    // "Later in this query's order" is "greater" ascending and "smaller" descending.
    const beyond = (p: CursorPosition, later: boolean): string =>
      keysetCondition(sort, p, later !== descending, params);
    const forward = position === undefined || position.direction === 'after';
    const pageConditions = position === undefined ? where : `${where} AND ${beyond(position, forward)}`;
    const order = forward !== descending ? ascendingOrder : descendingOrder;
    const rows = page(
      `SELECT ${RESOURCE_COLUMNS}${keyColumn}${groupsColumn} FROM resources r WHERE ${pageConditions} ORDER BY ${order} LIMIT ${sqlLimit(count + 1)}`,
    );
    const more = rows.length > count;
    result.totalResults = position === undefined && !more ? rows.length : countAll();
    const pageRows = rows.slice(0, count);
    if (!forward) pageRows.reverse();
    const first = pageRows[0];
    const last = pageRows.at(-1);
    const exists = (p: CursorPosition, later: boolean): boolean => {
      const sql = `SELECT 1 FROM resources r WHERE ${where} AND ${beyond(p, later)} LIMIT 1`;
      return db.get(sql).get(params.values) !== undefined;
    };
    const positionOf = (row: ResourceRow, direction: 'after' | 'before'): CursorPosition => ({
      direction,
      key: row.sort_key ?? null,
      id: row.id,
    });
    if (last !== undefined && (forward ? more : exists(positionOf(last, 'after'), true))) {
      result.nextCursor = encodeCursor(fingerprint, positionOf(last, 'after'));
    }
    if (
      first !== undefined &&
      (forward ? position !== undefined && exists(positionOf(first, 'before'), false) : more)
    ) {
      result.previousCursor = encodeCursor(fingerprint, positionOf(first, 'before'));
    }
    result.resources = output(pageRows);
    return result;
  }

  // ---- transactions ----

  /**
   * Group commit: transactions requested in the same turn of the event loop (typically concurrent
   * requests) run one after another inside a single SQLite transaction, each in a savepoint of its
   * own, and commit together. Each one stays atomic and sees the writes of those before it, as if
   * they had committed in sequence; a failing one rolls back only its savepoint and is rejected
   * at once; the others resolve only after the shared COMMIT succeeded (and are all rejected if it
   * fails), so nothing is reported as done before it is committed.
   */
  async transaction<T>(tenantId: string, fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    this.#checkOpen();
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        tenantId,
        fn: fn as (tx: StoreTransaction) => Promise<unknown>,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#scheduleGroup();
    });
  }

  #scheduleGroup(): void {
    if (this.#groupScheduled || this.#queue.length === 0) return;
    this.#groupScheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: requests that arrived together join
    // one group.
    setImmediate(() => {
      this.#groupRunning = this.#mutex
        .run(() => this.#runGroup(this.#queue.splice(0, MAX_GROUP)))
        .finally(() => {
          this.#groupScheduled = false;
          this.#groupRunning = undefined;
          this.#scheduleGroup();
        });
    });
  }

  async #runGroup(group: QueuedTransaction[]): Promise<void> {
    if (this.#closed) {
      const error = new StoreError('unavailable', {
        retryable: false,
        detail: 'The SQLite store has been closed',
      });
      for (const member of group) member.reject(error);
      return;
    }
    const db = this.#writer;
    try {
      guard(() => db.get('BEGIN IMMEDIATE').run());
    } catch (error) {
      for (const member of group) member.reject(error);
      return;
    }
    const done: { member: QueuedTransaction; result: unknown }[] = [];
    // touchLastSync of every committed member, applied once per tenant just before COMMIT (the last
    // touch wins, as the UPDATEs one after another would): one statement per group, not per write.
    const lastSync = new Map<string, string>();
    try {
      // A group of one needs no savepoint: when it fails, ROLLBACK undoes the same (two statements
      // less per write when writes do not overlap).
      const alone = group.length === 1;
      for (const member of group) {
        const tx = new SqliteTransaction(this, db, member.tenantId);
        if (!alone) guard(() => db.get('SAVEPOINT scim_tx').run());
        let result: unknown;
        try {
          result = await member.fn(tx);
        } catch (error) {
          tx.end();
          if (alone) {
            member.reject(error);
            if (db.db.inTransaction) db.get('ROLLBACK').run();
            return;
          }
          guard(() => {
            db.get('ROLLBACK TO scim_tx').run();
            db.get('RELEASE scim_tx').run();
          });
          member.reject(error);
          continue;
        }
        tx.end();
        if (!alone) guard(() => db.get('RELEASE scim_tx').run());
        if (tx.lastSync !== undefined) lastSync.set(member.tenantId, tx.lastSync);
        done.push({ member, result });
      }
      guard(() => {
        for (const [tenantId, time] of lastSync) {
          db.get('UPDATE tenants SET last_sync_at = ? WHERE id = ?').run(time, tenantId);
        }
        db.get('COMMIT').run();
      });
    } catch (error) {
      // The shared transaction itself failed (COMMIT, or savepoint bookkeeping): nothing landed.
      if (db.db.inTransaction) db.get('ROLLBACK').run();
      for (const { member } of done) member.reject(error);
      for (const member of group) if (!done.some((d) => d.member === member)) member.reject(error);
      return;
    }
    this.#checkpointer?.afterCommit();
    for (const { member, result } of done) member.resolve(result);
  }

  /** @internal used by transactions */
  get derived(): DerivedValuesComputer {
    return this.#derived;
  }

  // ---- journal ----

  async readJournal(query: JournalQuery): Promise<JournalEvent[]> {
    return this.#read((db) => {
      const params = new SqlParams();
      const conditions: string[] = [];
      if (query.tenantId !== undefined) conditions.push(`tenant_id = ${params.add(query.tenantId)}`);
      if (query.resourceId !== undefined) conditions.push(`resource_id = ${params.add(query.resourceId)}`);
      if (query.afterPosition !== undefined) conditions.push(`position > ${params.add(query.afterPosition)}`);
      if (query.beforePosition !== undefined)
        conditions.push(`position < ${params.add(query.beforePosition)}`);
      if (query.since !== undefined) conditions.push(`time_ms >= ${params.add(Date.parse(query.since))}`);
      if (query.until !== undefined) conditions.push(`time_ms < ${params.add(Date.parse(query.until))}`);
      if (query.types !== undefined) {
        const alternatives = query.types.map((type) => {
          if (!type.endsWith('*')) return `type = ${params.add(type)}`;
          const prefix = params.add(type.slice(0, -1));
          return `substr(type, 1, length(${prefix})) = ${prefix}`;
        });
        conditions.push(alternatives.length === 0 ? '0' : `(${alternatives.join(' OR ')})`);
      }
      const limit = Math.max(0, Math.trunc(query.limit ?? 100));
      const sql = `SELECT * FROM journal${conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`} ORDER BY position ${
        query.order === 'descending' ? 'DESC' : 'ASC'
      } LIMIT ${sqlLimit(limit)}`;
      return (db.get(sql).all(params.values) as JournalRow[]).map(toJournalEvent);
    });
  }

  async getSinkPosition(sink: string): Promise<number> {
    return this.#read(
      (db) =>
        (
          db.get('SELECT position FROM sink_positions WHERE sink = ?').get(sink) as
            | { position: number }
            | undefined
        )?.position ?? 0,
    );
  }

  async setSinkPosition(sink: string, position: number): Promise<void> {
    await this.#write((db) => {
      db.get(
        'INSERT INTO sink_positions (sink, position) VALUES (?, ?) ON CONFLICT (sink) DO UPDATE SET position = max(position, excluded.position)',
      ).run(sink, position);
    });
  }

  // ---- control data ----

  async createTenant(tenant: NewTenant): Promise<Tenant> {
    return this.#write((db) => {
      try {
        db.get('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)').run(
          tenant.id,
          tenant.name,
          tenant.createdAt,
        );
      } catch (cause) {
        const error = classifySqliteError(cause);
        if (error?.reason === 'conflict') {
          throw new StoreError('conflict', {
            cause,
            attribute: 'id',
            detail: `Tenant "${tenant.id}" already exists`,
          });
        }
        throw cause;
      }
      return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt };
    });
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    return this.#read((db) => {
      const row = db.get('SELECT * FROM tenants WHERE id = ?').get(tenantId) as TenantRow | undefined;
      return row === undefined ? undefined : toTenant(row);
    });
  }

  async listTenants(): Promise<Tenant[]> {
    return this.#read((db) =>
      (db.get('SELECT * FROM tenants ORDER BY id').all() as TenantRow[]).map(toTenant),
    );
  }

  async createCredential(credential: Credential): Promise<void> {
    await this.#write((db) => {
      try {
        db.get(
          'INSERT INTO credentials (id, tenant_id, name, kind, hash, created_at, expires_at, revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          credential.id,
          credential.tenantId,
          credential.name,
          credential.kind,
          credential.hash,
          credential.createdAt,
          credential.expiresAt ?? null,
          credential.revokedAt ?? null,
          credential.lastUsedAt ?? null,
        );
      } catch (cause) {
        const error = classifySqliteError(cause);
        if (error?.reason === 'conflict') {
          throw new StoreError('conflict', {
            cause,
            ...(error.attribute === undefined ? {} : { attribute: error.attribute }),
            detail:
              error.attribute === 'hash'
                ? 'A credential with this secret already exists'
                : `Credential "${credential.id}" already exists`,
          });
        }
        throw cause;
      }
    });
  }

  async findCredentialByHash(hash: string): Promise<Credential | undefined> {
    const cache = this.#credentialCache;
    // Synced before the read: a change announced while reading then drops the entry at the next
    // call, and a change another request noticed meanwhile stops this read from being kept.
    const epoch = cache !== undefined && !this.#closed ? cache.sync() : -1;
    if (epoch !== -1) {
      const cached = cache!.get(hash);
      if (cached !== undefined) return cached;
    }
    const found = await this.#read((db) => {
      const row = db.get('SELECT * FROM credentials WHERE hash = ?').get(hash) as CredentialRow | undefined;
      return row === undefined ? undefined : toCredential(row);
    });
    if (found !== undefined) cache?.keep(hash, found, epoch);
    return found;
  }

  async listCredentials(tenantId: string): Promise<Credential[]> {
    return this.#read((db) =>
      (
        db.get('SELECT * FROM credentials WHERE tenant_id = ? ORDER BY id').all(tenantId) as CredentialRow[]
      ).map(toCredential),
    );
  }

  async updateCredential(tenantId: string, id: string, changes: CredentialChanges): Promise<void> {
    await this.#write((db) => {
      const params = new SqlParams();
      const sets: string[] = [];
      if (changes.name !== undefined) sets.push(`name = ${params.add(changes.name)}`);
      if (changes.lastUsedAt !== undefined) sets.push(`last_used_at = ${params.add(changes.lastUsedAt)}`);
      if (changes.expiresAt !== undefined) sets.push(`expires_at = ${params.add(changes.expiresAt)}`);
      if (changes.revokedAt !== undefined) sets.push(`revoked_at = ${params.add(changes.revokedAt)}`);
      const where = `tenant_id = ${params.add(tenantId)} AND id = ${params.add(id)}`;
      const found =
        sets.length === 0
          ? db.get(`SELECT 1 FROM credentials WHERE ${where}`).get(params.values) !== undefined
          : db.get(`UPDATE credentials SET ${sets.join(', ')} WHERE ${where}`).run(params.values).changes > 0;
      if (!found)
        throw new StoreError('not_found', { detail: `Credential "${id}" not found in this tenant` });
    });
    // Committed: every process's credential cache must now re-read before trusting this credential.
    if (changes.revokedAt !== undefined || changes.expiresAt !== undefined) {
      this.#credentialCache?.announceChange();
    }
  }

  async getRoleSettings(tenantId: string): Promise<RoleSettings | undefined> {
    return this.#read((db) => roleSettingsOf(db, tenantId));
  }

  async setRoleSettings(tenantId: string, settings: RoleSettings): Promise<void> {
    await this.#write((db) => {
      db.get(
        'INSERT INTO role_settings (tenant_id, settings) VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings',
      ).run(tenantId, JSON.stringify(settings));
    });
  }

  async ping(): Promise<void> {
    await this.#read((db) => db.get('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Let queued transactions run first.
    while (this.#groupScheduled || this.#queue.length > 0) {
      await (this.#groupRunning ?? new Promise<void>((resolve) => setImmediate(resolve)));
    }
    await this.#checkpointer?.close();
    // Let a running transaction finish first.
    await this.#mutex.run(() => {
      this.#closed = true;
      this.#credentialCache?.close();
      this.#reader?.db.close();
      if (this.#ownsWriter) this.#writer.db.close();
    });
  }
}

/** The writes of one `Store.transaction`, on the write connection inside `BEGIN IMMEDIATE`. */
class SqliteTransaction implements StoreTransaction {
  readonly tenantId: string;
  readonly #store: SqliteStore;
  readonly #db: StatementCache;
  #open = true;
  #savepoints = 0;
  #lastSync: string | undefined;

  constructor(store: SqliteStore, db: StatementCache, tenantId: string) {
    this.#store = store;
    this.#db = db;
    this.tenantId = tenantId;
  }

  end(): void {
    this.#open = false;
  }

  /** The time of the last `touchLastSync` that was not undone, written by the group commit. */
  get lastSync(): string | undefined {
    return this.#lastSync;
  }

  /** Runs a step of the transaction: only while it is open, with database errors classified. */
  async #run<T>(fn: (db: StatementCache) => T): Promise<T> {
    if (!this.#open) {
      throw new StoreError('unavailable', {
        retryable: false,
        detail: 'This transaction has already ended; use the store inside the transaction callback only',
      });
    }
    return guard(() => fn(this.#db));
  }

  /**
   * A nested unit of the transaction as an SQLite savepoint: `ROLLBACK TO` undoes exactly what `fn`
   * wrote (rows, side tables, journal) when it throws, and the enclosing transaction goes on.
   */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = `scim_unit_${++this.#savepoints}`;
    const lastSync = this.#lastSync;
    try {
      await this.#run((db) => db.get(`SAVEPOINT ${name}`).run());
      let result: T;
      try {
        result = await fn();
      } catch (error) {
        if (this.#open && this.#db.db.inTransaction) {
          guard(() => {
            this.#db.get(`ROLLBACK TO ${name}`).run();
            this.#db.get(`RELEASE ${name}`).run();
          });
        }
        // The unit's touch is undone with its rows.
        this.#lastSync = lastSync;
        throw error;
      }
      await this.#run((db) => db.get(`RELEASE ${name}`).run());
      return result;
    } finally {
      this.#savepoints -= 1;
    }
  }

  getResource(resourceType: string, id: string, options?: GetOptions): Promise<StoredResource | undefined> {
    return this.#run((db) => getResourceFrom(db, this.tenantId, resourceType, id, options));
  }

  queryResources(query: ResourceQuery): Promise<QueryResult> {
    return this.#run((db) => this.#store.queryFrom(db, this.tenantId, query));
  }

  listGroupsOf(memberId: string): Promise<GroupRef[]> {
    return this.#run((db) => groupsOf(db, this.tenantId, memberId));
  }

  hasMember(groupId: string, memberId: string): Promise<boolean> {
    return this.#run(
      (db) =>
        db
          .get('SELECT 1 FROM members WHERE tenant_id = ? AND group_id = ? AND member_id = ?')
          .get(this.tenantId, groupId, memberId) !== undefined,
    );
  }

  create(input: NewResource): Promise<StoredResource> {
    return this.#run((db) => {
      const tenantId = this.tenantId;
      const derived = this.#store.derived.compute(input.resourceType, input.data);
      const members = input.members ?? [];
      // Checked before any write, so a caller that catches the error finds nothing half-created.
      checkMembersExist(db, tenantId, members, input.id);
      const dataJson = JSON.stringify(input.data);
      const accessJson = input.access === undefined ? null : JSON.stringify(input.access);
      const row = db
        .get(
          `INSERT INTO resources (tenant_id, resource_type, id, version, created, created_ms, last_modified, last_modified_ms, access, data, user_name_ci, external_id, display_name_ci)
           VALUES (@tenant, @type, @id, 1, @now, @ms, @now, @ms, @access, @data, @userName, @externalId, @displayName) RETURNING pk`,
        )
        .get({
          tenant: tenantId,
          type: input.resourceType,
          id: input.id,
          now: input.now,
          ms: timeMs(input.now),
          access: accessJson,
          data: dataJson,
          userName: derived.userNameCi,
          externalId: derived.externalId,
          displayName: derived.displayNameCi,
        }) as { pk: number };
      writeDerived(db, tenantId, row.pk, derived, false);
      if (members.length > 0) addMembers(db, tenantId, input.id, members, input.id);
      const stored: StoredResource = {
        id: input.id,
        resourceType: input.resourceType,
        version: 1,
        created: input.now,
        lastModified: input.now,
        // A copy as a later read would return it (parsing the JSON just written is cheaper than
        // structuredClone, and drops what JSON cannot hold just as the stored row does).
        data: JSON.parse(dataJson) as Record<string, unknown>,
      };
      if (accessJson !== null) stored.access = JSON.parse(accessJson) as AccessState;
      return stored;
    });
  }

  update(input: ResourceUpdate): Promise<StoredResource> {
    return this.#run((db) => {
      const tenantId = this.tenantId;
      const params = new SqlParams();
      const sets = [
        'version = version + 1',
        `last_modified = ${params.add(input.now)}`,
        `last_modified_ms = ${params.add(timeMs(input.now))}`,
      ];
      const derived =
        input.data === undefined ? undefined : this.#store.derived.compute(input.resourceType, input.data);
      if (input.data !== undefined && derived !== undefined) {
        sets.push(`data = ${params.add(JSON.stringify(input.data))}`);
        // Only the lookup columns whose value changes are set: SQLite rewrites the index entries of
        // every column named in SET, and each of these indexes is keyed at random (a page written
        // to the WAL, and later checkpointed, per column per update). An Entra PATCH of a title
        // changes none of them.
        const before = db
          .get(
            'SELECT user_name_ci, external_id, display_name_ci FROM resources WHERE tenant_id = ? AND id = ?',
          )
          .get(tenantId, input.id) as
          | { user_name_ci: string | null; external_id: string | null; display_name_ci: string | null }
          | undefined;
        if (before?.user_name_ci !== derived.userNameCi)
          sets.push(`user_name_ci = ${params.add(derived.userNameCi)}`);
        if (before?.external_id !== derived.externalId)
          sets.push(`external_id = ${params.add(derived.externalId)}`);
        if (before?.display_name_ci !== derived.displayNameCi)
          sets.push(`display_name_ci = ${params.add(derived.displayNameCi)}`);
      }
      if (input.access !== undefined) sets.push(`access = ${params.add(JSON.stringify(input.access))}`);
      if (input.deprovisionedAt !== undefined)
        sets.push(`deprovisioned_at = ${params.add(input.deprovisionedAt)}`);
      const conditions = [
        `tenant_id = ${params.add(tenantId)}`,
        `resource_type = ${params.add(input.resourceType)}`,
        `id = ${params.add(input.id)}`,
      ];
      if (!input.includeDeprovisioned) conditions.push('deprovisioned_at IS NULL');
      // The version check is part of the write itself.
      if (input.expectedVersion !== undefined)
        conditions.push(`version = ${params.add(input.expectedVersion)}`);
      if (input.memberDelta !== undefined)
        checkMembersExist(db, tenantId, input.memberDelta.add ?? [], undefined);
      const row = db
        .get(
          `UPDATE resources SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')} RETURNING pk, id, resource_type, version, created, last_modified, deprovisioned_at, access, data`,
        )
        .get(params.values) as ResourceRow | undefined;
      if (row === undefined) {
        throw missingOrStale(
          db,
          tenantId,
          input.resourceType,
          input.id,
          input.expectedVersion,
          input.includeDeprovisioned,
        );
      }
      if (derived !== undefined) writeDerived(db, tenantId, row.pk, derived, true);
      if (input.memberDelta !== undefined) applyDelta(db, tenantId, input.id, input.memberDelta);
      return toStored(db, tenantId, row, false);
    });
  }

  delete(resourceType: string, id: string, options?: { expectedVersion?: number }): Promise<void> {
    return this.#run((db) => {
      const tenantId = this.tenantId;
      const expected = options?.expectedVersion;
      const deleted =
        expected === undefined
          ? db
              .get('DELETE FROM resources WHERE tenant_id = ? AND resource_type = ? AND id = ?')
              .run(tenantId, resourceType, id)
          : db
              .get(
                'DELETE FROM resources WHERE tenant_id = ? AND resource_type = ? AND id = ? AND version = ?',
              )
              .run(tenantId, resourceType, id, expected);
      if (deleted.changes === 0) throw missingOrStale(db, tenantId, resourceType, id, expected, true);
      // Memberships both ways: as a group (primary key prefix) and as a member (members_by_member).
      db.get('DELETE FROM members WHERE tenant_id = ? AND group_id = ?').run(tenantId, id);
      db.get('DELETE FROM members WHERE tenant_id = ? AND member_id = ?').run(tenantId, id);
    });
  }

  applyMemberDelta(groupId: string, delta: MemberDelta): Promise<{ added: string[]; removed: string[] }> {
    return this.#run((db) => {
      const group = db
        .get(
          "SELECT 1 FROM resources WHERE tenant_id = ? AND id = ? AND resource_type = 'Group' AND deprovisioned_at IS NULL",
        )
        .get(this.tenantId, groupId);
      if (group === undefined) throw new StoreError('not_found', { detail: `Group "${groupId}" not found` });
      checkMembersExist(db, this.tenantId, delta.add ?? [], undefined);
      return applyDelta(db, this.tenantId, groupId, delta);
    });
  }

  appendEvents(events: NewJournalEvent[]): Promise<void> {
    return this.#run((db) => {
      const insert = db.get(
        `INSERT INTO journal (id, tenant_id, type, time, time_ms, resource_type, resource_id, actor, request_id, changed_attributes, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const event of events) {
        const ms = Date.parse(event.time);
        insert.run(
          event.id,
          event.tenantId,
          event.type,
          event.time,
          Number.isNaN(ms) ? null : ms,
          event.resourceType ?? null,
          event.resourceId ?? null,
          event.actor ?? null,
          event.requestId ?? null,
          event.changedAttributes === undefined ? null : JSON.stringify(event.changedAttributes),
          event.data === undefined ? null : JSON.stringify(event.data),
        );
      }
    });
  }

  touchLastSync(time: string): Promise<void> {
    // Recorded here and written once per group commit, just before COMMIT (see #runGroup).
    return this.#run(() => {
      this.#lastSync = time;
    });
  }

  getRoleSettings(): Promise<RoleSettings | undefined> {
    return this.#run((db) => roleSettingsOf(db, this.tenantId));
  }
}

// ---- shared helpers (synchronous, on one connection) ----

function getResourceFrom(
  db: StatementCache,
  tenantId: string,
  resourceType: string,
  id: string,
  options: GetOptions = {},
): StoredResource | undefined {
  if (options.includeGroups) {
    // One statement answers both the resource and whether it is in any group (most users are in
    // none): about 2.5 us less than the two lookups apart; the group join runs only when needed.
    const row = db
      .get(
        `SELECT ${RESOURCE_COLUMNS}, EXISTS (SELECT 1 FROM members m WHERE m.tenant_id = r.tenant_id AND m.member_id = r.id) AS in_group
         FROM resources r WHERE r.tenant_id = ? AND r.id = ? AND r.resource_type = ?`,
      )
      .get(tenantId, id, resourceType) as (ResourceRow & { in_group: number }) | undefined;
    if (row === undefined) return undefined;
    if (row.deprovisioned_at !== null && !options.includeDeprovisioned) return undefined;
    const stored = toStored(db, tenantId, row, options.includeMembers ?? false);
    stored.groups = row.in_group ? groupRows(db, tenantId, row.id) : [];
    return stored;
  }
  const row = db
    .get(
      `SELECT ${RESOURCE_COLUMNS} FROM resources r WHERE r.tenant_id = ? AND r.id = ? AND r.resource_type = ?`,
    )
    .get(tenantId, id, resourceType) as ResourceRow | undefined;
  if (row === undefined) return undefined;
  if (row.deprovisioned_at !== null && !options.includeDeprovisioned) return undefined;
  return toStored(db, tenantId, row, options.includeMembers ?? false);
}

function toStored(
  db: StatementCache,
  tenantId: string,
  row: ResourceRow,
  includeMembers: boolean,
): StoredResource {
  const stored: StoredResource = {
    id: row.id,
    resourceType: row.resource_type,
    version: row.version,
    created: row.created,
    lastModified: row.last_modified,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
  if (row.deprovisioned_at !== null) stored.deprovisionedAt = row.deprovisioned_at;
  if (row.access !== null) stored.access = JSON.parse(row.access) as AccessState;
  if (includeMembers && row.resource_type === 'Group') {
    stored.members = (
      db
        .get(
          'SELECT member_id, member_type, display FROM members WHERE tenant_id = ? AND group_id = ? ORDER BY member_id',
        )
        .all(tenantId, row.id) as MemberRow[]
    ).map(toMemberRef);
  }
  return stored;
}

function toMemberRef(row: MemberRow): MemberRef {
  const member: MemberRef = { value: row.member_id, type: row.member_type as MemberRef['type'] };
  if (row.display !== null) member.display = row.display;
  return member;
}

function groupsOf(db: StatementCache, tenantId: string, memberId: string): GroupRef[] {
  // Most users belong to no group: ask the member index alone first (members_by_member covers
  // it), and join the groups only when there are some. The join starts from the member's rows
  // (CROSS JOIN pins the order): left to itself the planner walks every resource of the tenant in
  // id order to avoid a sort.
  const any = db
    .get('SELECT 1 FROM members WHERE tenant_id = ? AND member_id = ? LIMIT 1')
    .get(tenantId, memberId);
  if (any === undefined) return [];
  return groupRows(db, tenantId, memberId);
}

/** The groups `memberId` is a direct member of, by group id. */
function groupRows(db: StatementCache, tenantId: string, memberId: string): GroupRef[] {
  const rows = db
    .get(
      `SELECT g.id AS id, json_extract(g.data, '$.displayName') AS display_name, g.external_id AS external_id
       FROM members m CROSS JOIN resources g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
       WHERE m.tenant_id = ? AND m.member_id = ? ORDER BY m.group_id`,
    )
    .all(tenantId, memberId) as { id: string; display_name: unknown; external_id: string | null }[];
  return rows.map(toGroupRef);
}

/** A group row as a member's `groups` entry shows it. */
function toGroupRef(row: { id: string; display_name: unknown; external_id: string | null }): GroupRef {
  const ref: GroupRef = { id: row.id, displayName: row.display_name == null ? '' : String(row.display_name) };
  if (row.external_id !== null) ref.externalId = row.external_id;
  return ref;
}

/**
 * The groups of several members, by member id, in one statement per 500 members (a page of users
 * would otherwise cost a statement each). Each member's groups are ordered by group id.
 */
function groupRowsOfMany(db: StatementCache, tenantId: string, memberIds: string[]): Map<string, GroupRef[]> {
  const out = new Map<string, GroupRef[]>();
  for (let start = 0; start < memberIds.length; start += 500) {
    const rows = db
      .get(
        `SELECT m.member_id AS member_id, g.id AS id, json_extract(g.data, '$.displayName') AS display_name, g.external_id AS external_id
         FROM members m CROSS JOIN resources g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
         WHERE m.tenant_id = ? AND m.member_id IN (SELECT value FROM json_each(?)) ORDER BY m.member_id, m.group_id`,
      )
      .all(tenantId, JSON.stringify(memberIds.slice(start, start + 500))) as {
      member_id: string;
      id: string;
      display_name: unknown;
      external_id: string | null;
    }[];
    for (const row of rows) {
      const ref = toGroupRef(row);
      let list = out.get(row.member_id);
      if (list === undefined) {
        list = [];
        out.set(row.member_id, list);
      }
      list.push(ref);
    }
  }
  return out;
}

/** Writes the side-table rows of a resource (replacing the old ones on update). */
function writeDerived(
  db: StatementCache,
  tenantId: string,
  pk: number,
  derived: ReturnType<DerivedValuesComputer['compute']>,
  replace: boolean,
): void {
  let indexed = derived.indexed;
  let unique = derived.unique;
  if (replace) {
    // Rows that stay are left alone: deleting and re-inserting them rewrites random pages of the
    // lookup indexes for nothing (an update rarely changes an email or another indexed value).
    // Both lists hold each value once (DerivedValuesComputer deduplicates): a row whose key is
    // still wanted stays, any other old row goes, and only the wanted keys no row holds are added.
    const keyOf = (...parts: string[]) => parts.join('\u0000');
    const wantedIndexed = new Set(indexed.map((entry) => keyOf(entry.path, entry.value)));
    const keptIndexed = new Set<string>();
    const dropIndexed = db.get('DELETE FROM value_index WHERE rowid = ?');
    for (const row of db
      .get('SELECT rowid AS row, path, value_norm FROM value_index WHERE resource_pk = ?')
      .all(pk) as { row: number; path: string; value_norm: string }[]) {
      const key = keyOf(row.path, row.value_norm);
      if (wantedIndexed.has(key) && !keptIndexed.has(key)) keptIndexed.add(key);
      else dropIndexed.run(row.row);
    }
    indexed = indexed.filter((entry) => !keptIndexed.has(keyOf(entry.path, entry.value)));
    const wantedUnique = new Set(unique.map((entry) => keyOf(entry.scope, entry.attribute, entry.value)));
    const keptUnique = new Set<string>();
    const dropUnique = db.get(
      'DELETE FROM unique_values WHERE tenant_id = ? AND scope = ? AND attribute = ? AND value_norm = ? AND resource_pk = ?',
    );
    for (const row of db
      .get('SELECT scope, attribute, value_norm FROM unique_values WHERE resource_pk = ?')
      .all(pk) as { scope: string; attribute: string; value_norm: string }[]) {
      const key = keyOf(row.scope, row.attribute, row.value_norm);
      if (wantedUnique.has(key)) keptUnique.add(key);
      else dropUnique.run(tenantId, row.scope, row.attribute, row.value_norm, pk);
    }
    unique = unique.filter((entry) => !keptUnique.has(keyOf(entry.scope, entry.attribute, entry.value)));
  }
  const index = db.get(
    'INSERT INTO value_index (resource_pk, tenant_id, path, value_norm) VALUES (?, ?, ?, ?)',
  );
  for (const entry of indexed) index.run(pk, tenantId, entry.path, entry.value);
  const insertUnique = db.get(
    'INSERT INTO unique_values (tenant_id, scope, attribute, value_norm, resource_pk) VALUES (?, ?, ?, ?, ?)',
  );
  for (const entry of unique) {
    try {
      insertUnique.run(tenantId, entry.scope, entry.attribute, entry.value, pk);
    } catch (cause) {
      if (classifySqliteError(cause)?.reason === 'conflict') {
        throw new StoreError('conflict', {
          cause,
          attribute: entry.attribute,
          detail: `${entry.attribute} is already taken by another ${entry.scope} of this tenant`,
        });
      }
      throw cause;
    }
  }
}

/** After an UPDATE/DELETE matched nothing: the resource is missing, or its version moved on. */
function missingOrStale(
  db: StatementCache,
  tenantId: string,
  resourceType: string,
  id: string,
  expectedVersion: number | undefined,
  includeDeprovisioned: boolean | undefined,
): StoreError {
  const row = db
    .get(
      'SELECT version, deprovisioned_at FROM resources WHERE tenant_id = ? AND id = ? AND resource_type = ?',
    )
    .get(tenantId, id, resourceType) as { version: number; deprovisioned_at: string | null } | undefined;
  if (row === undefined || (row.deprovisioned_at !== null && !includeDeprovisioned)) {
    return new StoreError('not_found', { detail: `${resourceType} "${id}" not found` });
  }
  return new StoreError('precondition_failed', {
    detail: `${resourceType} "${id}" is at version ${row.version}, not ${expectedVersion}`,
  });
}

function checkMembersExist(
  db: StatementCache,
  tenantId: string,
  members: readonly MemberRef[],
  selfId: string | undefined,
): void {
  const exists = db.get('SELECT 1 FROM resources WHERE tenant_id = ? AND id = ?');
  for (const member of members) {
    if (member.value === selfId) continue;
    if (exists.get(tenantId, member.value) === undefined) {
      throw new StoreError('not_found', {
        detail: `Member "${member.value}" is not a resource of this tenant`,
      });
    }
  }
}

/** Inserts members that are not there yet; returns the ids really added. Costs O(log n) per member. */
function addMembers(
  db: StatementCache,
  tenantId: string,
  groupId: string,
  members: readonly MemberRef[],
  selfId: string | undefined,
): string[] {
  checkMembersExist(db, tenantId, members, selfId);
  const insert = db.get(
    'INSERT INTO members (tenant_id, group_id, member_id, member_type, display) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const added: string[] = [];
  for (const member of members) {
    if (insert.run(tenantId, groupId, member.value, member.type, member.display ?? null).changes > 0) {
      added.push(member.value);
    }
  }
  return added;
}

function applyDelta(
  db: StatementCache,
  tenantId: string,
  groupId: string,
  delta: MemberDelta,
): { added: string[]; removed: string[] } {
  const additions = new Map<string, MemberRef>();
  for (const member of delta.add ?? []) if (!additions.has(member.value)) additions.set(member.value, member);
  const remove = db.get('DELETE FROM members WHERE tenant_id = ? AND group_id = ? AND member_id = ?');
  const removed: string[] = [];
  if (delta.replace) {
    // Replacing needs the current set: it is the only delta that reads the group's members.
    const current = db
      .get('SELECT member_id FROM members WHERE tenant_id = ? AND group_id = ? ORDER BY member_id')
      .pluck()
      .all(tenantId, groupId) as string[];
    for (const id of current) {
      if (!additions.has(id) && remove.run(tenantId, groupId, id).changes > 0) removed.push(id);
    }
  } else {
    for (const id of new Set(delta.remove ?? [])) {
      if (!additions.has(id) && remove.run(tenantId, groupId, id).changes > 0) removed.push(id);
    }
  }
  const added = addMembers(db, tenantId, groupId, [...additions.values()], undefined);
  return { added, removed };
}

interface TenantRow {
  id: string;
  name: string;
  created_at: string;
  last_sync_at: string | null;
}

function toTenant(row: TenantRow): Tenant {
  const tenant: Tenant = { id: row.id, name: row.name, createdAt: row.created_at };
  if (row.last_sync_at !== null) tenant.lastSyncAt = row.last_sync_at;
  return tenant;
}

function toCredential(row: CredentialRow): Credential {
  const credential: Credential = {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    kind: row.kind,
    hash: row.hash,
    createdAt: row.created_at,
  };
  if (row.expires_at !== null) credential.expiresAt = row.expires_at;
  if (row.revoked_at !== null) credential.revokedAt = row.revoked_at;
  if (row.last_used_at !== null) credential.lastUsedAt = row.last_used_at;
  return credential;
}

function toJournalEvent(row: JournalRow): JournalEvent {
  const event: JournalEvent = {
    position: row.position,
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    time: row.time,
  };
  if (row.resource_type !== null) event.resourceType = row.resource_type;
  if (row.resource_id !== null) event.resourceId = row.resource_id;
  if (row.actor !== null) event.actor = row.actor;
  if (row.request_id !== null) event.requestId = row.request_id;
  if (row.changed_attributes !== null)
    event.changedAttributes = JSON.parse(row.changed_attributes) as string[];
  if (row.data !== null) event.data = JSON.parse(row.data) as Record<string, unknown>;
  return event;
}

function roleSettingsOf(db: StatementCache, tenantId: string): RoleSettings | undefined {
  const row = db.get('SELECT settings FROM role_settings WHERE tenant_id = ?').get(tenantId) as
    | { settings: string }
    | undefined;
  return row === undefined ? undefined : (JSON.parse(row.settings) as RoleSettings);
}

/**
 * The keyset condition "strictly after (greater=true) or before the position" in ascending
 * (key, id) order, where a missing key (NULL) sorts after every value.
 */
function keysetCondition(
  sort: string | undefined,
  p: CursorPosition,
  greater: boolean,
  params: SqlParams,
): string {
  const id = params.add(p.id);
  if (sort === undefined) return greater ? `r.id > ${id}` : `r.id < ${id}`;
  if (p.key === null) {
    return greater ? `((${sort}) IS NULL AND r.id > ${id})` : `((${sort}) IS NOT NULL OR r.id < ${id})`;
  }
  const key = params.add(p.key);
  return greater
    ? `((${sort}) IS NULL OR (${sort}) > ${key} OR ((${sort}) = ${key} AND r.id > ${id}))`
    : `((${sort}) IS NOT NULL AND ((${sort}) < ${key} OR ((${sort}) = ${key} AND r.id < ${id})))`;
}

function sortFingerprint(query: ResourceQuery): string {
  const sortBy = query.sortBy!;
  return `${sortBy.resolved?.schema ?? sortBy.schema ?? ''}:${sortBy.attribute}.${sortBy.subAttribute ?? ''}`.toLowerCase();
}

function queryFingerprint(resourceType: string, sortPath: string, descending: boolean): string {
  return `${resourceType}|${sortPath}|${descending ? 'd' : 'a'}`;
}
