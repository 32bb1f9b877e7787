import type {
  Credential,
  CredentialChanges,
  FilterNode,
  GetOptions,
  GroupRef,
  JournalEvent,
  JournalQuery,
  MemberDelta,
  MemberPage,
  MemberPageOptions,
  MemberRef,
  NewJournalEvent,
  NewResource,
  NewTenant,
  QueryResult,
  ResourceQuery,
  ResourceUpdate,
  RoleSettings,
  SchemaRegistry,
  Store,
  StoreCapabilities,
  StoreTransaction,
  StoredResource,
  Tenant,
} from '@scim/core';
import { StoreError, defaultSchemaRegistry, isScimError } from '@scim/core';
import type { ClientSession, Document, MongoClient } from 'mongodb';
import { classifyMongoError, toTransactionFailure } from './classify-mongo-error.js';
import {
  JOURNAL_COUNTER,
  type JournalDocument,
  type ResourceDocument,
  type StoreCollections,
  ensureIndexes,
  storeCollections,
} from './collections.js';
import { type RelationResolver, compileFilter, escapeRegex } from './compile-filter.js';
import { distinctValues } from './distinct-values.js';
import { derivedFields, metaMirror, toMembershipDocument, toResourceDocument } from './resource-document.js';
import { type ResourceLayout, createResourceLayout } from './resource-layout.js';
import {
  type SortSpec,
  decodeCursor,
  encodeCursor,
  keysetFilter,
  rowKey,
  sortDocument,
  sortSpec,
} from './sort-cursor.js';

/** Options of {@link createMongoStore}. */
export interface MongoStoreOptions {
  /** A connected (or lazily connecting) client of the official `mongodb` driver. The caller owns it. */
  client: MongoClient;
  /** The database that holds the store's collections. */
  dbName: string;
  /**
   * The schema registry the data is validated against: it decides which strings compare
   * case-insensitively, which attributes are dateTimes and which are unique.
   * @default defaultSchemaRegistry
   */
  registry?: SchemaRegistry;
  /**
   * Prefix of every collection name, so several stores can share a database.
   * @default 'scim_'
   */
  collectionPrefix?: string;
  /**
   * Whether multi-document writes run in transactions. `'auto'` asks the server (`hello`): a replica
   * set member or a `mongos` supports them, a standalone server does not.
   * @default 'auto'
   */
  transactions?: boolean | 'auto';
  /**
   * Whether `close()` also closes the client.
   * @default false
   */
  closeClient?: boolean;
}

/** A `Store` on MongoDB, with `init()` to create indexes and detect transactions up front. */
export interface MongoStore extends Store {
  /**
   * Creates the indexes (idempotently) and detects transaction support. Every operation calls it
   * first, once per store instance; call it yourself to fail fast at startup and to have
   * `capabilities.transactions` reflect the deployment before the first operation.
   */
  init(): Promise<void>;
}

type Session = ClientSession | undefined;

const NOT_DEPROVISIONED = { deprovisionedAt: { $exists: false } };
const DEFAULT_MEMBER_PAGE = 1000;

/**
 * Creates a SCIM store on MongoDB for deployments with several server processes sharing a replica
 * set or sharded cluster. Filters compile completely into MongoDB queries over a normalised mirror
 * of each resource; group members live one document per membership; version checks happen inside
 * `findOneAndUpdate`; multi-document writes and their journal events run in one transaction when
 * the deployment supports transactions.
 *
 * @example
 * import { MongoClient } from 'mongodb';
 * import { createMongoStore } from '@scim/store-mongo';
 *
 * const client = new MongoClient('mongodb://localhost:27017/?replicaSet=rs0');
 * const store = createMongoStore({ client, dbName: 'scim' });
 * await store.init(); // indexes, transaction detection
 * await store.createTenant({ id: 'acme', name: 'Acme', createdAt: new Date().toISOString() });
 * const user = await store.transaction('acme', (tx) =>
 *   tx.create({
 *     resourceType: 'User',
 *     id: crypto.randomUUID(),
 *     now: new Date().toISOString(),
 *     data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada' },
 *   }),
 * );
 */
export function createMongoStore(options: MongoStoreOptions): MongoStore {
  const { client } = options;
  const registry = options.registry ?? defaultSchemaRegistry;
  const collections: StoreCollections = storeCollections(
    client.db(options.dbName),
    options.collectionPrefix ?? 'scim_',
  );
  const capabilities: StoreCapabilities = {
    transactions: options.transactions === true,
    cursorPaging: true,
    sorting: true,
  };
  const layouts = new Map<string, ResourceLayout>();
  const layoutOf = (resourceType: string): ResourceLayout => {
    let layout = layouts.get(resourceType);
    if (layout === undefined) {
      layout = createResourceLayout(registry, resourceType);
      layouts.set(resourceType, layout);
    }
    return layout;
  };

  let ready: Promise<void> | undefined;
  const init = (): Promise<void> => {
    // One initialisation per store, shared by concurrent callers; a failure is retried next time.
    ready ??= (async () => {
      if (options.transactions === undefined || options.transactions === 'auto') {
        const hello = await client.db('admin').command({ hello: 1 });
        capabilities.transactions = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
      }
      await ensureIndexes(collections, registry);
    })().catch((cause: unknown) => {
      ready = undefined;
      throw classifyMongoError(cause);
    });
    return ready;
  };

  /** Runs a driver call, turning driver failures into StoreErrors. */
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    await init();
    try {
      return await fn();
    } catch (cause) {
      if (isScimError(cause)) throw cause;
      throw classifyMongoError(cause);
    }
  };

  // ---- reads shared by the store and its transactions ----

  const toStored = (document: Partial<ResourceDocument>): StoredResource => {
    const stored: StoredResource = {
      id: document.id as string,
      resourceType: document.resourceType as string,
      version: document.version as number,
      created: document.created as string,
      lastModified: document.lastModified as string,
      data: (document.data ?? {}) as Record<string, unknown>,
    };
    if (document.deprovisionedAt !== undefined && document.deprovisionedAt !== null) {
      stored.deprovisionedAt = document.deprovisionedAt;
    }
    if (document.access !== undefined && document.access !== null) stored.access = document.access;
    return stored;
  };

  const RESOURCE_PROJECTION = {
    _id: 0,
    id: 1,
    resourceType: 1,
    version: 1,
    created: 1,
    lastModified: 1,
    data: 1,
    deprovisionedAt: 1,
    access: 1,
  } as const;

  const membersOf = async (
    tenantId: string,
    groupIds: string[],
    session: Session,
  ): Promise<Map<string, MemberRef[]>> => {
    const out = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
    if (groupIds.length === 0) return out;
    const cursor = collections.memberships
      .find(
        { tenantId, groupId: { $in: groupIds } },
        { session, projection: { _id: 0, groupId: 1, memberId: 1, type: 1, display: 1 } },
      )
      .sort({ groupId: 1, memberId: 1 });
    for await (const membership of cursor) {
      const ref: MemberRef = { value: membership.memberId, type: membership.type };
      if (membership.display !== undefined && membership.display !== null) ref.display = membership.display;
      out.get(membership.groupId)?.push(ref);
    }
    return out;
  };

  const getResource = async (
    tenantId: string,
    resourceType: string,
    id: string,
    getOptions: GetOptions | undefined,
    session: Session,
  ): Promise<StoredResource | undefined> => {
    const document = await collections.resources.findOne(
      { tenantId, resourceType, id, ...(getOptions?.includeDeprovisioned ? {} : NOT_DEPROVISIONED) },
      { session, projection: RESOURCE_PROJECTION },
    );
    if (document === null) return undefined;
    const stored = toStored(document);
    if (getOptions?.includeMembers && resourceType === 'Group') {
      stored.members = (await membersOf(tenantId, [id], session)).get(id) ?? [];
    }
    return stored;
  };

  const relations = (tenantId: string, session: Session): RelationResolver => ({
    async groupsWithMember(membershipFilter) {
      return distinctValues(
        collections.memberships,
        'groupId',
        { $and: [{ tenantId }, membershipFilter] },
        session,
      );
    },
    async membersOfGroups(groupFilter) {
      const groups = await distinctValues(
        collections.resources,
        'id',
        { $and: [{ tenantId, resourceType: 'Group' }, groupFilter] },
        session,
      );
      if (groups.length === 0) return [];
      return distinctValues(
        collections.memberships,
        'memberId',
        { tenantId, groupId: { $in: groups } },
        session,
      );
    },
  });

  const queryResources = async (
    tenantId: string,
    query: ResourceQuery,
    session: Session,
  ): Promise<QueryResult> => {
    const spec: SortSpec = sortSpec(registry, query.resourceType, query.sortBy, query.sortOrder);
    // Decode first: a bad cursor is a client error even when count is 0.
    const position =
      query.cursor === undefined || query.cursor === '' ? undefined : decodeCursor(spec, query.cursor);
    const parts: Document[] = [{ tenantId, resourceType: query.resourceType }];
    if (!query.includeDeprovisioned) parts.push(NOT_DEPROVISIONED);
    if (query.filter !== undefined)
      parts.push(await compile(tenantId, query.resourceType, query.filter, session));
    const base: Document = { $and: parts };
    const totalResults = await collections.resources.countDocuments(base, { session });
    const count = Math.max(0, Math.floor(query.count));
    const result: QueryResult = { totalResults, resources: [] };
    if (count === 0) return result;

    const fetch = async (
      filter: Document,
      reverse: boolean,
      limit: number,
      skip = 0,
    ): Promise<Document[]> => {
      const projection: Document = { ...RESOURCE_PROJECTION };
      if (spec.valueField !== 'id') projection[spec.valueField.split('.').slice(0, 2).join('.')] = 1;
      return collections.resources
        .find(filter, { session, projection, allowDiskUse: true })
        .sort(sortDocument(spec, reverse))
        .skip(skip)
        .limit(limit)
        .toArray();
    };
    const and = (extra: Document): Document => ({ $and: [...parts, extra] });

    let page: Document[];
    if (query.cursor === undefined) {
      const startIndex = Math.max(1, Math.floor(query.startIndex ?? 1));
      page = await fetch(base, false, count, startIndex - 1);
    } else if (position === undefined || position.direction === 'after') {
      const rows = await fetch(
        position ? and(keysetFilter(spec, position.row, 'after')) : base,
        false,
        count + 1,
      );
      page = rows.slice(0, count);
      const last = page.at(-1);
      if (rows.length > count && last) result.nextCursor = encodeCursor(spec, rowKey(spec, last), 'after');
      const first = page[0];
      if (
        position &&
        first &&
        (await fetch(and(keysetFilter(spec, rowKey(spec, first), 'before')), true, 1)).length > 0
      ) {
        result.previousCursor = encodeCursor(spec, rowKey(spec, first), 'before');
      }
    } else {
      const rows = await fetch(and(keysetFilter(spec, position.row, 'before')), true, count + 1);
      page = rows.slice(0, count).reverse();
      const first = page[0];
      if (rows.length > count && first)
        result.previousCursor = encodeCursor(spec, rowKey(spec, first), 'before');
      const last = page.at(-1);
      if (last && (await fetch(and(keysetFilter(spec, rowKey(spec, last), 'after')), false, 1)).length > 0) {
        result.nextCursor = encodeCursor(spec, rowKey(spec, last), 'after');
      }
    }
    result.resources = page.map((document) => toStored(document as ResourceDocument));
    if (query.includeMembers && query.resourceType === 'Group') {
      const members = await membersOf(
        tenantId,
        result.resources.map((resource) => resource.id),
        session,
      );
      for (const resource of result.resources) resource.members = members.get(resource.id) ?? [];
    }
    if (query.includeGroups && query.resourceType === 'User') {
      const groups = await groupsOfMany(
        tenantId,
        result.resources.map((resource) => resource.id),
        session,
      );
      for (const resource of result.resources) resource.groups = groups.get(resource.id) ?? [];
    }
    return result;
  };

  /** The groups of several members in two queries (memberships, then the groups' names), by member id. */
  const groupsOfMany = async (
    tenantId: string,
    memberIds: string[],
    session: Session,
  ): Promise<Map<string, GroupRef[]>> => {
    const out = new Map<string, GroupRef[]>(memberIds.map((id) => [id, []]));
    if (memberIds.length === 0) return out;
    const memberships = await collections.memberships
      .find(
        { tenantId, memberId: { $in: memberIds } },
        { session, projection: { _id: 0, groupId: 1, memberId: 1 } },
      )
      .toArray();
    if (memberships.length === 0) return out;
    const groupIds = [...new Set(memberships.map((membership) => membership.groupId))];
    const refs = new Map<string, GroupRef>();
    for (const group of await collections.resources
      .find(
        { tenantId, resourceType: 'Group', id: { $in: groupIds } },
        { session, projection: { _id: 0, id: 1, data: 1 } },
      )
      .toArray()) {
      refs.set(group.id, toGroupRef(group));
    }
    // By group id within each member, as listGroupsOf orders them.
    for (const membership of [...memberships].sort((a, b) =>
      a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0,
    )) {
      const ref = refs.get(membership.groupId);
      if (ref !== undefined) out.get(membership.memberId)?.push({ ...ref });
    }
    return out;
  };

  const compile = (tenantId: string, resourceType: string, filter: FilterNode, session: Session) =>
    compileFilter(filter, { resourceType, registry, relations: relations(tenantId, session) });

  const listGroupsOf = async (tenantId: string, memberId: string, session: Session): Promise<GroupRef[]> => {
    const groupIds = await distinctValues(
      collections.memberships,
      'groupId',
      { tenantId, memberId },
      session,
    );
    if (groupIds.length === 0) return [];
    const groups = await collections.resources
      .find(
        { tenantId, resourceType: 'Group', id: { $in: groupIds } },
        { session, projection: { _id: 0, id: 1, data: 1 } },
      )
      .sort({ id: 1 })
      .toArray();
    return groups.map(toGroupRef);
  };

  const getRoleSettings = async (tenantId: string, session: Session): Promise<RoleSettings | undefined> => {
    const document = await collections.roleSettings.findOne({ _id: tenantId }, { session });
    return document?.settings;
  };

  // ---- writes (inside a transaction when the deployment has them) ----

  const appendJournal = async (events: NewJournalEvent[], session: Session): Promise<void> => {
    if (events.length === 0) return;
    // One counter bump reserves a block of positions; inside a transaction the counter stays
    // locked until commit, so positions follow commit order.
    const counter = await collections.counters.findOneAndUpdate(
      { _id: JOURNAL_COUNTER },
      { $inc: { value: events.length } },
      { session, upsert: true, returnDocument: 'after' },
    );
    const last = counter?.value ?? events.length;
    const first = last - events.length + 1;
    await collections.journal.insertMany(
      events.map(
        (event, index) =>
          compact({
            ...event,
            position: first + index,
            _time: new Date(Date.parse(event.time)),
          }) as JournalDocument,
      ),
      { session },
    );
  };

  const assertMembersExist = async (
    tenantId: string,
    members: readonly MemberRef[],
    selfId: string | undefined,
    session: Session,
  ) => {
    const ids = [...new Set(members.map((member) => member.value))].filter((id) => id !== selfId);
    if (ids.length === 0) return;
    const found = new Set(
      await distinctValues(collections.resources, 'id', { tenantId, id: { $in: ids } }, session),
    );
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) {
      throw new StoreError('not_found', { detail: `Member "${missing}" is not a resource of this tenant` });
    }
  };

  const applyDelta = async (
    tenantId: string,
    groupId: string,
    delta: MemberDelta,
    session: Session,
  ): Promise<{ added: string[]; removed: string[] }> => {
    const additions = new Map<string, MemberRef>();
    for (const member of delta.add ?? [])
      if (!additions.has(member.value)) additions.set(member.value, member);
    await assertMembersExist(tenantId, [...additions.values()], undefined, session);
    const removed: string[] = [];
    if (delta.replace) {
      // A replace is inherently proportional to the group's size.
      const current = await distinctValues(
        collections.memberships,
        'memberId',
        { tenantId, groupId },
        session,
      );
      for (const id of current) if (!additions.has(id)) removed.push(id);
    } else {
      const wanted = [...new Set(delta.remove ?? [])].filter((id) => !additions.has(id));
      if (wanted.length > 0) {
        const present = new Set(
          await distinctValues(
            collections.memberships,
            'memberId',
            { tenantId, groupId, memberId: { $in: wanted } },
            session,
          ),
        );
        removed.push(...wanted.filter((id) => present.has(id)));
      }
    }
    if (removed.length > 0) {
      await collections.memberships.deleteMany(
        { tenantId, groupId, memberId: { $in: removed } },
        { session },
      );
    }
    const added: string[] = [];
    const toAdd = [...additions.values()];
    if (toAdd.length > 0) {
      // Upserts that only insert: a member already present is left as it is and not reported.
      const result = await collections.memberships.bulkWrite(
        toAdd.map((member) => {
          // The key fields come from the filter's equalities; $setOnInsert adds the rest.
          const {
            tenantId: _t,
            groupId: _g,
            memberId: _m,
            ...rest
          } = toMembershipDocument(registry, tenantId, groupId, member);
          return {
            updateOne: {
              filter: { tenantId, groupId, memberId: member.value },
              update: { $setOnInsert: rest },
              upsert: true,
            },
          };
        }),
        { session, ordered: true },
      );
      for (const index of Object.keys(result.upsertedIds)) {
        const member = toAdd[Number(index)];
        if (member !== undefined) added.push(member.value);
      }
    }
    return { added, removed };
  };

  const explainMiss = async (
    tenantId: string,
    resourceType: string,
    id: string,
    expectedVersion: number | undefined,
    includeDeprovisioned: boolean,
    session: Session,
  ): Promise<StoreError> => {
    // Only for the message: the version check itself already happened inside the write.
    const current = await collections.resources.findOne(
      { tenantId, resourceType, id, ...(includeDeprovisioned ? {} : NOT_DEPROVISIONED) },
      { session, projection: { _id: 0, version: 1 } },
    );
    if (current === null) return new StoreError('not_found', { detail: `${resourceType} "${id}" not found` });
    return new StoreError('precondition_failed', {
      detail: `${resourceType} "${id}" is at version ${current.version}, not ${expectedVersion}`,
    });
  };

  const createTx = (
    tenantId: string,
    session: Session,
    pending: NewJournalEvent[] | undefined,
  ): StoreTransaction => {
    let open = true;
    const ensureOpen = () => {
      if (!open) {
        throw new StoreError('unavailable', {
          retryable: false,
          detail: 'This transaction has already ended; use the store inside the transaction callback only',
        });
      }
    };
    const tx: StoreTransaction & { end(): void } = {
      tenantId,
      end() {
        open = false;
      },
      async getResource(resourceType, id, getOptions) {
        ensureOpen();
        return getResource(tenantId, resourceType, id, getOptions, session);
      },
      async queryResources(query) {
        ensureOpen();
        return queryResources(tenantId, query, session);
      },
      async listGroupsOf(memberId) {
        ensureOpen();
        return listGroupsOf(tenantId, memberId, session);
      },
      async hasMember(groupId, memberId) {
        ensureOpen();
        return (
          (await collections.memberships.countDocuments(
            { tenantId, groupId, memberId },
            { session, limit: 1 },
          )) > 0
        );
      },
      async create(input: NewResource) {
        ensureOpen();
        const data = withoutMembers(input.resourceType, input.data);
        await assertMembersExist(tenantId, input.members ?? [], input.id, session);
        const document = toResourceDocument(layoutOf(input.resourceType), {
          tenantId,
          resourceType: input.resourceType,
          id: input.id,
          version: 1,
          created: input.now,
          lastModified: input.now,
          data,
          ...(input.access === undefined ? {} : { access: input.access }),
        });
        await rethrowDuplicate(() => collections.resources.insertOne(document, { session }));
        if (input.members && input.members.length > 0) {
          const unique = new Map(input.members.map((member) => [member.value, member]));
          await collections.memberships.insertMany(
            [...unique.values()].map((member) => toMembershipDocument(registry, tenantId, input.id, member)),
            { session },
          );
        }
        return toStored(document);
      },
      async update(input: ResourceUpdate) {
        ensureOpen();
        const includeDeprovisioned = input.includeDeprovisioned ?? false;
        const filter: Document = { tenantId, resourceType: input.resourceType, id: input.id };
        if (!includeDeprovisioned) Object.assign(filter, NOT_DEPROVISIONED);
        if (input.expectedVersion !== undefined) filter.version = input.expectedVersion;
        if (input.memberDelta?.add)
          await assertMembersExist(tenantId, input.memberDelta.add, undefined, session);

        const set: Document = { lastModified: input.now };
        if (input.data !== undefined) {
          const data = withoutMembers(input.resourceType, input.data);
          set.data = data;
          // The derived fields are replaced whole, in the same write as the data.
          const derived = derivedFields(layoutOf(input.resourceType), {
            id: input.id,
            resourceType: input.resourceType,
            created: input.now,
            lastModified: input.now,
            data,
          });
          set._s = derived._s;
          set._sort = derived._sort;
          set._u = derived._u;
        }
        set['_m.lastModified'] = metaMirror(input.resourceType, input.now, input.now).lastModified;
        if (input.access !== undefined) set.access = input.access;
        if (typeof input.deprovisionedAt === 'string') set.deprovisionedAt = input.deprovisionedAt;
        const update: Document = { $set: set, $inc: { version: 1 } };
        if (input.deprovisionedAt === null) update.$unset = { deprovisionedAt: '' };

        const after = await rethrowDuplicate(() =>
          collections.resources.findOneAndUpdate(filter, update, {
            session,
            returnDocument: 'after',
            projection: RESOURCE_PROJECTION,
          }),
        );
        if (after === null) {
          throw await explainMiss(
            tenantId,
            input.resourceType,
            input.id,
            input.expectedVersion,
            includeDeprovisioned,
            session,
          );
        }
        if (input.memberDelta) await applyDelta(tenantId, input.id, input.memberDelta, session);
        return toStored(after);
      },
      async delete(resourceType, id, deleteOptions) {
        ensureOpen();
        const filter: Document = { tenantId, resourceType, id };
        if (deleteOptions?.expectedVersion !== undefined) filter.version = deleteOptions.expectedVersion;
        const deleted = await collections.resources.findOneAndDelete(filter, {
          session,
          projection: { _id: 1 },
        });
        if (deleted === null) {
          throw await explainMiss(tenantId, resourceType, id, deleteOptions?.expectedVersion, true, session);
        }
        await collections.memberships.deleteMany({ tenantId, groupId: id }, { session });
        await collections.memberships.deleteMany({ tenantId, memberId: id }, { session });
      },
      async applyMemberDelta(groupId, delta) {
        ensureOpen();
        const group = await collections.resources.findOne(
          { tenantId, resourceType: 'Group', id: groupId, ...NOT_DEPROVISIONED },
          { session, projection: { _id: 1 } },
        );
        if (group === null) throw new StoreError('not_found', { detail: `Group "${groupId}" not found` });
        return applyDelta(tenantId, groupId, delta, session);
      },
      async appendEvents(events) {
        ensureOpen();
        const copies = events.map((event) => structuredClone(event));
        if (pending) pending.push(...copies);
        else await appendJournal(copies, session);
      },
      async touchLastSync(time) {
        ensureOpen();
        await collections.tenants.updateOne({ _id: tenantId }, { $set: { lastSyncAt: time } }, { session });
      },
      async getRoleSettings() {
        ensureOpen();
        return getRoleSettings(tenantId, session);
      },
    };
    return tx;
  };

  const transaction = async <T>(tenantId: string, fn: (tx: StoreTransaction) => Promise<T>): Promise<T> => {
    await init();
    try {
      if (capabilities.transactions) {
        return await client.withSession((session) =>
          session.withTransaction(
            async () => {
              const tx = createTx(tenantId, session, undefined) as StoreTransaction & { end(): void };
              try {
                return await fn(tx);
              } finally {
                tx.end();
              }
            },
            {
              readPreference: 'primary',
              readConcern: { level: 'snapshot' },
              // Snapshot reads are only guaranteed majority-committed when the commit is majority-acknowledged
              // (the implicit default is w:1 on replica sets with an arbiter).
              writeConcern: { w: 'majority' },
            },
          ),
        );
      }
      // Without transactions each write is atomic on its own; journal events are written last, so
      // a callback that throws leaves no events for changes it did not finish.
      const pending: NewJournalEvent[] = [];
      const tx = createTx(tenantId, undefined, pending) as StoreTransaction & { end(): void };
      let result: T;
      try {
        result = await fn(tx);
      } finally {
        tx.end();
      }
      await appendJournal(pending, undefined);
      return result;
    } catch (cause) {
      // The callback's own errors (and ScimErrors) reach the caller unchanged; only what the
      // driver threw becomes a StoreError.
      throw toTransactionFailure(cause);
    }
  };

  const stripCredential = (document: Document): Credential => {
    const { _id, ...rest } = document;
    return rest as Credential;
  };

  return {
    capabilities,
    init,
    getResource: (tenantId, resourceType, id, getOptions) =>
      guard(() => getResource(tenantId, resourceType, id, getOptions, undefined)),
    queryResources: (tenantId, query) => guard(() => queryResources(tenantId, query, undefined)),
    listMembers: (tenantId, groupId, pageOptions?: MemberPageOptions) =>
      guard(async (): Promise<MemberPage> => {
        const limit = Math.max(1, Math.floor(pageOptions?.limit ?? DEFAULT_MEMBER_PAGE));
        const filter: Document = { tenantId, groupId };
        if (pageOptions?.after !== undefined) filter.memberId = { $gt: pageOptions.after };
        const rows = await collections.memberships
          .find(filter, { projection: { _id: 0, memberId: 1, type: 1, display: 1 } })
          .sort({ memberId: 1 })
          .limit(limit + 1)
          .toArray();
        const members = rows.slice(0, limit).map((row) => {
          const ref: MemberRef = { value: row.memberId, type: row.type };
          if (row.display !== undefined && row.display !== null) ref.display = row.display;
          return ref;
        });
        const page: MemberPage = { members };
        const last = members.at(-1);
        if (rows.length > limit && last) page.next = last.value;
        return page;
      }),
    listGroupsOf: (tenantId, memberId) => guard(() => listGroupsOf(tenantId, memberId, undefined)),
    countMembers: (tenantId, groupId) =>
      guard(() => collections.memberships.countDocuments({ tenantId, groupId })),
    transaction,
    readJournal: (query: JournalQuery) =>
      guard(async (): Promise<JournalEvent[]> => {
        const parts: Document[] = [];
        if (query.tenantId !== undefined) parts.push({ tenantId: query.tenantId });
        if (query.resourceId !== undefined) parts.push({ resourceId: query.resourceId });
        const position: Document = {};
        if (query.afterPosition !== undefined) position.$gt = query.afterPosition;
        if (query.beforePosition !== undefined) position.$lt = query.beforePosition;
        if (Object.keys(position).length > 0) parts.push({ position });
        const time: Document = {};
        if (query.since !== undefined) time.$gte = new Date(Date.parse(query.since));
        if (query.until !== undefined) time.$lt = new Date(Date.parse(query.until));
        if (Object.keys(time).length > 0) parts.push({ _time: time });
        if (query.types !== undefined) {
          parts.push({
            $or: query.types.map((type) =>
              type.endsWith('*')
                ? { type: { $regex: `^${escapeRegex(type.slice(0, -1))}` } }
                : { type: { $eq: type } },
            ),
          });
        }
        const limit = Math.max(0, Math.floor(query.limit ?? 100));
        if (limit === 0) return [];
        const rows = await collections.journal
          .find(parts.length === 0 ? {} : { $and: parts }, { projection: { _id: 0, _time: 0 } })
          .sort({ position: query.order === 'descending' ? -1 : 1 })
          .limit(limit)
          .toArray();
        return rows as unknown as JournalEvent[];
      }),
    getSinkPosition: (sink) =>
      guard(async () => (await collections.sinks.findOne({ _id: sink }))?.position ?? 0),
    setSinkPosition: (sink, position) =>
      guard(async () => {
        // $max: positions only move forward (see the Store contract).
        await collections.sinks.updateOne({ _id: sink }, { $max: { position } }, { upsert: true });
      }),
    createTenant: (tenant: NewTenant) =>
      guard(async (): Promise<Tenant> => {
        try {
          await collections.tenants.insertOne({
            _id: tenant.id,
            name: tenant.name,
            createdAt: tenant.createdAt,
          });
        } catch (cause) {
          const error = classifyMongoError(cause);
          if (error.reason === 'conflict') {
            throw new StoreError('conflict', {
              cause,
              attribute: 'id',
              detail: `Tenant "${tenant.id}" already exists`,
            });
          }
          throw error;
        }
        return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt };
      }),
    getTenant: (tenantId) =>
      guard(async () => {
        const document = await collections.tenants.findOne({ _id: tenantId });
        return document === null ? undefined : toTenant(document);
      }),
    listTenants: () =>
      guard(async () => (await collections.tenants.find({}).sort({ _id: 1 }).toArray()).map(toTenant)),
    createCredential: (credential: Credential) =>
      guard(async () => {
        try {
          await collections.credentials.insertOne(compact({ ...credential }) as Credential);
        } catch (cause) {
          const error = classifyMongoError(cause);
          if (error.reason === 'conflict' && error.attribute === 'hash') {
            throw new StoreError('conflict', {
              cause,
              attribute: 'hash',
              detail: 'A credential with this secret already exists',
            });
          }
          if (error.reason === 'conflict') {
            throw new StoreError('conflict', {
              cause,
              attribute: 'id',
              detail: `Credential "${credential.id}" already exists`,
            });
          }
          throw error;
        }
      }),
    findCredentialByHash: (hash) =>
      guard(async () => {
        const document = await collections.credentials.findOne({ hash: { $eq: hash } });
        return document === null ? undefined : stripCredential(document);
      }),
    listCredentials: (tenantId) =>
      guard(async () =>
        (await collections.credentials.find({ tenantId }).sort({ id: 1 }).toArray()).map(stripCredential),
      ),
    updateCredential: (tenantId, id, changes: CredentialChanges) =>
      guard(async () => {
        const set: Document = {};
        const unset: Document = {};
        if (changes.name !== undefined) set.name = changes.name;
        if (changes.lastUsedAt !== undefined) set.lastUsedAt = changes.lastUsedAt;
        for (const key of ['expiresAt', 'revokedAt'] as const) {
          const value = changes[key];
          if (value === null) unset[key] = '';
          else if (value !== undefined) set[key] = value;
        }
        const update: Document = {};
        if (Object.keys(set).length > 0) update.$set = set;
        if (Object.keys(unset).length > 0) update.$unset = unset;
        const result =
          Object.keys(update).length === 0
            ? { matchedCount: await collections.credentials.countDocuments({ tenantId, id }, { limit: 1 }) }
            : await collections.credentials.updateOne({ tenantId, id }, update);
        if (result.matchedCount === 0) {
          throw new StoreError('not_found', { detail: `Credential "${id}" not found in this tenant` });
        }
      }),
    getRoleSettings: (tenantId) => guard(() => getRoleSettings(tenantId, undefined)),
    setRoleSettings: (tenantId, settings) =>
      guard(async () => {
        await collections.roleSettings.updateOne(
          { _id: tenantId },
          { $set: { settings: structuredClone(settings) } },
          { upsert: true },
        );
      }),
    countResources: (tenantId, resourceType, countOptions) =>
      guard(() =>
        collections.resources.countDocuments({
          tenantId,
          resourceType,
          ...(countOptions?.includeDeprovisioned ? {} : NOT_DEPROVISIONED),
        }),
      ),
    ping: () =>
      guard(async () => {
        await client.db(options.dbName).command({ ping: 1 });
      }),
    close: async () => {
      if (options.closeClient) await client.close();
    },
  };
}

function toTenant(document: { _id: string; name: string; createdAt: string; lastSyncAt?: string }): Tenant {
  const tenant: Tenant = { id: document._id, name: document.name, createdAt: document.createdAt };
  if (document.lastSyncAt !== undefined && document.lastSyncAt !== null)
    tenant.lastSyncAt = document.lastSyncAt;
  return tenant;
}

/** Group members live in their own collection, never in `data`. */
function withoutMembers(resourceType: string, data: Record<string, unknown>): Record<string, unknown> {
  if (resourceType !== 'Group' || !Object.hasOwn(data, 'members')) return data;
  const { members: _members, ...rest } = data;
  return rest;
}

/** Drops undefined fields (the driver would store them as null). */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** A duplicate key inside a write is a `conflict` naming the unique attribute. */
async function rethrowDuplicate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (cause) {
    const error = classifyMongoError(cause);
    if (error.reason === 'conflict') throw error;
    // Anything else (write conflicts, network) goes back unchanged, so the driver can retry the transaction.
    throw cause;
  }
}

/** A group as a member's `groups` entry shows it. */
function toGroupRef(group: { id: string; data?: Record<string, unknown> }): GroupRef {
  const displayName = group.data?.displayName;
  const externalId = group.data?.externalId;
  const ref: GroupRef = { id: group.id, displayName: typeof displayName === 'string' ? displayName : '' };
  if (typeof externalId === 'string') ref.externalId = externalId;
  return ref;
}
