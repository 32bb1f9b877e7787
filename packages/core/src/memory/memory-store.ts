import { StoreError } from '../errors/index.js';
import type { FilterNode, FilterPath } from '../filter/ast.js';
import { evaluateFilter } from '../filter/index.js';
import { defaultSchemaRegistry } from '../schema/index.js';
import type { SchemaRegistry } from '../schema/types.js';
import type {
  Credential,
  CredentialChanges,
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
  Store,
  StoreCapabilities,
  StoreTransaction,
  StoredResource,
  Tenant,
} from '../store/types.js';
import { createAsyncMutex } from './async-mutex.js';
import { cloneJson } from './clone-json.js';
import { type CursorPosition, decodeCursor, encodeCursor } from './cursor.js';
import { filterMentions, getAttribute, toResourceView } from './resource-view.js';
import { type SortKey, compareIds, compareSortKeys, sortKeyOf } from './sort-order.js';

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /**
   * The schema registry: decides which attributes are unique (besides `userName`) and is handed to
   * `evaluateFilter`.
   * @default defaultSchemaRegistry
   */
  registry?: SchemaRegistry;
}

/** The committed (or, inside a transaction, draft) resources and memberships of one tenant. */
interface TenantData {
  /** id -> resource, without members. Values are never mutated in place: a write replaces them. */
  resources: Map<string, StoredResource>;
  /** group id -> member id -> member. */
  members: Map<string, Map<string, MemberRef>>;
}

type DataView = {
  readonly resources: ReadonlyMap<string, StoredResource>;
  readonly members: ReadonlyMap<string, ReadonlyMap<string, MemberRef>>;
};

interface UniqueAttribute {
  /** Extension URN, or undefined for a core attribute. */
  schema?: string;
  name: string;
  caseExact: boolean;
}

/**
 * Copy-on-write staging of a transaction's writes: maps are copied on their first write, so the
 * committed data stays untouched (and visible to reads outside) until the commit swaps them in.
 */
class Draft implements DataView {
  private ownResources: Map<string, StoredResource> | undefined;
  private ownMembers: Map<string, Map<string, MemberRef>> | undefined;
  private readonly copiedGroups = new Set<string>();

  constructor(private readonly base: TenantData) {}

  get resources(): ReadonlyMap<string, StoredResource> {
    return this.ownResources ?? this.base.resources;
  }

  get members(): ReadonlyMap<string, ReadonlyMap<string, MemberRef>> {
    return this.ownMembers ?? this.base.members;
  }

  writableResources(): Map<string, StoredResource> {
    this.ownResources ??= new Map(this.base.resources);
    return this.ownResources;
  }

  writableGroup(groupId: string): Map<string, MemberRef> {
    this.ownMembers ??= new Map(this.base.members);
    if (!this.copiedGroups.has(groupId)) {
      this.ownMembers.set(groupId, new Map(this.ownMembers.get(groupId) ?? []));
      this.copiedGroups.add(groupId);
    }
    return this.ownMembers.get(groupId)!;
  }

  dropGroup(groupId: string): void {
    this.ownMembers ??= new Map(this.base.members);
    this.ownMembers.delete(groupId);
    this.copiedGroups.delete(groupId);
  }

  commit(): void {
    if (this.ownResources) this.base.resources = this.ownResources;
    if (this.ownMembers) this.base.members = this.ownMembers;
  }
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  transactions: true,
  cursorPaging: true,
  sorting: true,
});

/**
 * Creates the in-memory reference store: every other store is tested against its behaviour.
 * Transactions run one at a time and stage their writes, so reads outside a transaction only ever
 * see committed data, and a throw inside the callback leaves no trace. Data lives in the process
 * only: use it for tests, demos and single-process development.
 *
 * @example
 * import { createMemoryStore } from '@scim/core/memory';
 *
 * const store = createMemoryStore();
 * await store.transaction('tenant-1', (tx) =>
 *   tx.create({
 *     resourceType: 'User',
 *     id: 'u1',
 *     now: new Date().toISOString(),
 *     data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada' },
 *   }),
 * );
 * const user = await store.getResource('tenant-1', 'User', 'u1');
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const registry: SchemaRegistry | undefined = options.registry ?? defaultSchemaRegistry;
  const mutex = createAsyncMutex();
  const tenantData = new Map<string, TenantData>();
  const tenants = new Map<string, Tenant>();
  const credentials = new Map<string, Credential>();
  const roleSettings = new Map<string, RoleSettings>();
  const sinkPositions = new Map<string, number>();
  const journal: JournalEvent[] = [];
  const uniqueAttributeCache = new Map<string, UniqueAttribute[]>();
  let lastPosition = 0;

  const dataOf = (tenantId: string): TenantData => {
    let data = tenantData.get(tenantId);
    if (!data) {
      data = { resources: new Map(), members: new Map() };
      tenantData.set(tenantId, data);
    }
    return data;
  };

  const uniqueAttributes = (resourceType: string): UniqueAttribute[] => {
    const cached = uniqueAttributeCache.get(resourceType);
    if (cached) return cached;
    const found: UniqueAttribute[] = [];
    const coreSchema = registry?.getResourceType(resourceType)?.schema;
    for (const schema of registry?.schemasOf(resourceType) ?? []) {
      for (const attribute of schema.attributes) {
        if (attribute.uniqueness === 'none' || attribute.multiValued || attribute.type === 'complex')
          continue;
        if (attribute.name === 'id') continue;
        found.push({
          ...(schema.id === coreSchema ? {} : { schema: schema.id }),
          name: attribute.name,
          // RFC 7643: userName is case-insensitive whatever a registry says.
          caseExact: attribute.name === 'userName' ? false : attribute.caseExact,
        });
      }
    }
    if (resourceType === 'User' && !found.some((a) => a.schema === undefined && a.name === 'userName')) {
      found.push({ name: 'userName', caseExact: false });
    }
    uniqueAttributeCache.set(resourceType, found);
    return found;
  };

  const uniqueValue = (data: Record<string, unknown>, attribute: UniqueAttribute): string | undefined => {
    const container = attribute.schema === undefined ? data : getAttribute(data, attribute.schema);
    const value = getAttribute(container, attribute.name);
    if (typeof value === 'string') return attribute.caseExact ? value : value.toLowerCase();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  };

  const checkUniqueness = (
    view: DataView,
    resourceType: string,
    data: Record<string, unknown>,
    exceptId: string | undefined,
  ): void => {
    for (const attribute of uniqueAttributes(resourceType)) {
      const value = uniqueValue(data, attribute);
      if (value === undefined) continue;
      for (const other of view.resources.values()) {
        if (other.resourceType !== resourceType || other.id === exceptId) continue;
        if (uniqueValue(other.data, attribute) === value) {
          const name =
            attribute.schema === undefined ? attribute.name : `${attribute.schema}:${attribute.name}`;
          throw new StoreError('conflict', {
            attribute: name,
            detail: `${name} "${String(getAttribute(attribute.schema === undefined ? data : getAttribute(data, attribute.schema), attribute.name))}" is already taken by another ${resourceType} of this tenant`,
          });
        }
      }
    }
  };

  const sortedMembers = (view: DataView, groupId: string): MemberRef[] =>
    [...(view.members.get(groupId)?.values() ?? [])]
      .sort((a, b) => compareIds(a.value, b.value))
      .map((member) => cloneJson(member));

  const output = (view: DataView, resource: StoredResource, includeMembers = false): StoredResource => {
    const copy: StoredResource = {
      id: resource.id,
      resourceType: resource.resourceType,
      version: resource.version,
      created: resource.created,
      lastModified: resource.lastModified,
      data: cloneJson(resource.data),
    };
    if (resource.deprovisionedAt !== undefined) copy.deprovisionedAt = resource.deprovisionedAt;
    if (resource.access !== undefined) copy.access = cloneJson(resource.access);
    if (includeMembers && resource.resourceType === 'Group') copy.members = sortedMembers(view, resource.id);
    return copy;
  };

  const findResource = (
    view: DataView,
    resourceType: string,
    id: string,
    includeDeprovisioned: boolean,
  ): StoredResource | undefined => {
    const resource = view.resources.get(id);
    if (!resource || resource.resourceType !== resourceType) return undefined;
    if (resource.deprovisionedAt !== undefined && !includeDeprovisioned) return undefined;
    return resource;
  };

  const getFrom = (view: DataView, resourceType: string, id: string, getOptions: GetOptions = {}) => {
    const resource = findResource(view, resourceType, id, getOptions.includeDeprovisioned ?? false);
    return resource ? output(view, resource, getOptions.includeMembers) : undefined;
  };

  const groupsOf = (view: DataView, memberId: string): GroupRef[] => {
    const groups: GroupRef[] = [];
    for (const [groupId, members] of view.members) {
      if (!members.has(memberId)) continue;
      const group = view.resources.get(groupId);
      if (!group) continue;
      const ref: GroupRef = {
        id: groupId,
        displayName: String(getAttribute(group.data, 'displayName') ?? ''),
      };
      const externalId = getAttribute(group.data, 'externalId');
      if (typeof externalId === 'string') ref.externalId = externalId;
      groups.push(ref);
    }
    return groups.sort((a, b) => compareIds(a.id, b.id));
  };

  const matchesFilter = (view: DataView, resource: StoredResource, filter: FilterNode): boolean => {
    const related: Parameters<typeof toResourceView>[1] = {};
    if (resource.resourceType === 'Group' && filterMentions(filter, 'members')) {
      related.members = sortedMembers(view, resource.id);
    }
    if (resource.resourceType === 'User' && filterMentions(filter, 'groups')) {
      related.groups = groupsOf(view, resource.id);
    }
    return evaluateFilter(filter, toResourceView(resource, related), {
      ...(registry ? { registry } : {}),
      resourceType: resource.resourceType,
    });
  };

  const queryFrom = (view: DataView, query: ResourceQuery): QueryResult => {
    const includeDeprovisioned = query.includeDeprovisioned ?? false;
    let rows = [...view.resources.values()].filter(
      (resource) =>
        resource.resourceType === query.resourceType &&
        (includeDeprovisioned || resource.deprovisionedAt === undefined),
    );
    const filter = query.filter;
    if (filter) rows = rows.filter((resource) => matchesFilter(view, resource, filter));

    const sortBy = query.sortBy;
    // sortOrder only means something with a sortBy: without one, results are ordered by id.
    const descending = sortBy !== undefined && query.sortOrder === 'descending';
    type Row = { resource: StoredResource; key: SortKey };
    const compare = (a: { key: SortKey; id: string }, b: { key: SortKey; id: string }) => {
      const order = compareSortKeys(a.key, b.key) || compareIds(a.id, b.id);
      return descending ? -order : order;
    };
    const keyed: Row[] = rows.map((resource) => ({
      resource,
      key: sortBy ? sortKeyOf(toResourceView(resource), sortBy) : null,
    }));
    keyed.sort((a, b) => compare({ key: a.key, id: a.resource.id }, { key: b.key, id: b.resource.id }));

    const totalResults = keyed.length;
    const count = Math.max(0, query.count);
    const result: QueryResult = { totalResults, resources: [] };
    const emit = (page: Row[]) => page.map((row) => output(view, row.resource, query.includeMembers));

    if (query.cursor !== undefined) {
      const fingerprint = queryFingerprint(query.resourceType, sortBy, descending);
      const position: CursorPosition | undefined =
        query.cursor === '' ? undefined : decodeCursor(query.cursor, fingerprint);
      if (count === 0) return result;
      let start: number;
      let end: number;
      if (!position) {
        start = 0;
        end = Math.min(count, keyed.length);
      } else {
        // First row that is not before the cursor's row, in this query's order.
        const boundary = keyed.findIndex(
          (row) => compare({ key: row.key, id: row.resource.id }, position) >= 0,
        );
        const atOrAfter = boundary === -1 ? keyed.length : boundary;
        if (position.direction === 'after') {
          const exact =
            atOrAfter < keyed.length &&
            compare({ key: keyed[atOrAfter]!.key, id: keyed[atOrAfter]!.resource.id }, position) === 0;
          start = exact ? atOrAfter + 1 : atOrAfter;
          end = Math.min(start + count, keyed.length);
        } else {
          end = atOrAfter;
          start = Math.max(0, end - count);
        }
      }
      const page = keyed.slice(start, end);
      result.resources = emit(page);
      const first = page[0];
      const last = page.at(-1);
      if (last && end < keyed.length) {
        result.nextCursor = encodeCursor(fingerprint, {
          direction: 'after',
          key: last.key,
          id: last.resource.id,
        });
      }
      if (first && start > 0) {
        result.previousCursor = encodeCursor(fingerprint, {
          direction: 'before',
          key: first.key,
          id: first.resource.id,
        });
      }
      return result;
    }

    if (count === 0) return result;
    const startIndex = Math.max(1, query.startIndex ?? 1);
    result.resources = emit(keyed.slice(startIndex - 1, startIndex - 1 + count));
    return result;
  };

  const listMembersFrom = (
    view: DataView,
    groupId: string,
    pageOptions: MemberPageOptions = {},
  ): MemberPage => {
    const limit = Math.max(1, pageOptions.limit ?? 1000);
    const after = pageOptions.after;
    const all = sortedMembers(view, groupId).filter(
      (member) => after === undefined || compareIds(member.value, after) > 0,
    );
    const members = all.slice(0, limit);
    const page: MemberPage = { members };
    if (all.length > limit) page.next = members.at(-1)!.value;
    return page;
  };

  const runTransaction = async <T>(tenantId: string, fn: (tx: StoreTransaction) => Promise<T>): Promise<T> =>
    mutex.run(async () => {
      const base = dataOf(tenantId);
      const draft = new Draft(base);
      const stagedEvents: NewJournalEvent[] = [];
      let stagedLastSync: string | undefined;
      let open = true;
      const ensureOpen = () => {
        if (!open) {
          throw new StoreError('unavailable', {
            retryable: false,
            detail: 'This transaction has already ended; use the store inside the transaction callback only',
          });
        }
      };

      const applyDelta = (groupId: string, delta: MemberDelta) => {
        const current = draft.members.get(groupId) ?? new Map<string, MemberRef>();
        const additions = new Map<string, MemberRef>();
        for (const member of delta.add ?? []) {
          if (!draft.resources.has(member.value)) {
            throw new StoreError('not_found', {
              detail: `Member "${member.value}" is not a resource of this tenant`,
            });
          }
          if (!additions.has(member.value)) additions.set(member.value, member);
        }
        const added: string[] = [];
        const removed: string[] = [];
        if (delta.replace) {
          for (const id of current.keys()) if (!additions.has(id)) removed.push(id);
          for (const id of additions.keys()) if (!current.has(id)) added.push(id);
        } else {
          const removals = new Set(delta.remove ?? []);
          for (const id of removals) if (current.has(id) && !additions.has(id)) removed.push(id);
          for (const id of additions.keys()) if (!current.has(id)) added.push(id);
        }
        if (added.length > 0 || removed.length > 0) {
          const group = draft.writableGroup(groupId);
          for (const id of removed) group.delete(id);
          for (const id of added) group.set(id, memberRef(additions.get(id)!));
        }
        return { added, removed };
      };

      const tx: StoreTransaction = {
        tenantId,
        async getResource(resourceType, id, getOptions) {
          ensureOpen();
          return getFrom(draft, resourceType, id, getOptions);
        },
        async queryResources(query) {
          ensureOpen();
          return queryFrom(draft, query);
        },
        async listGroupsOf(memberId) {
          ensureOpen();
          return groupsOf(draft, memberId);
        },
        async hasMember(groupId, memberId) {
          ensureOpen();
          return draft.members.get(groupId)?.has(memberId) ?? false;
        },
        async create(input: NewResource) {
          ensureOpen();
          if (draft.resources.has(input.id)) {
            throw new StoreError('conflict', {
              attribute: 'id',
              detail: `A resource with id "${input.id}" already exists in this tenant`,
            });
          }
          checkUniqueness(draft, input.resourceType, input.data, undefined);
          for (const member of input.members ?? []) {
            if (member.value !== input.id && !draft.resources.has(member.value)) {
              throw new StoreError('not_found', {
                detail: `Member "${member.value}" is not a resource of this tenant`,
              });
            }
          }
          const resource: StoredResource = {
            id: input.id,
            resourceType: input.resourceType,
            version: 1,
            created: input.now,
            lastModified: input.now,
            data: cloneJson(input.data),
          };
          if (input.access !== undefined) resource.access = cloneJson(input.access);
          draft.writableResources().set(resource.id, resource);
          if (input.members && input.members.length > 0) {
            const group = draft.writableGroup(resource.id);
            for (const member of input.members)
              if (!group.has(member.value)) group.set(member.value, memberRef(member));
          }
          return output(draft, resource);
        },
        async update(input: ResourceUpdate) {
          ensureOpen();
          const existing = findResource(
            draft,
            input.resourceType,
            input.id,
            input.includeDeprovisioned ?? false,
          );
          if (!existing) {
            throw new StoreError('not_found', { detail: `${input.resourceType} "${input.id}" not found` });
          }
          if (input.expectedVersion !== undefined && input.expectedVersion !== existing.version) {
            throw new StoreError('precondition_failed', {
              detail: `${input.resourceType} "${input.id}" is at version ${existing.version}, not ${input.expectedVersion}`,
            });
          }
          if (input.data !== undefined) checkUniqueness(draft, input.resourceType, input.data, input.id);
          if (input.memberDelta) {
            for (const member of input.memberDelta.add ?? []) {
              if (!draft.resources.has(member.value)) {
                throw new StoreError('not_found', {
                  detail: `Member "${member.value}" is not a resource of this tenant`,
                });
              }
            }
          }
          const next: StoredResource = {
            ...existing,
            version: existing.version + 1,
            lastModified: input.now,
            data: input.data === undefined ? existing.data : cloneJson(input.data),
          };
          if (input.access !== undefined) next.access = cloneJson(input.access);
          if (input.deprovisionedAt === null) delete next.deprovisionedAt;
          else if (input.deprovisionedAt !== undefined) next.deprovisionedAt = input.deprovisionedAt;
          draft.writableResources().set(next.id, next);
          if (input.memberDelta) applyDelta(next.id, input.memberDelta);
          return output(draft, next);
        },
        async delete(resourceType, id, deleteOptions) {
          ensureOpen();
          const existing = findResource(draft, resourceType, id, true);
          if (!existing) throw new StoreError('not_found', { detail: `${resourceType} "${id}" not found` });
          const expected = deleteOptions?.expectedVersion;
          if (expected !== undefined && expected !== existing.version) {
            throw new StoreError('precondition_failed', {
              detail: `${resourceType} "${id}" is at version ${existing.version}, not ${expected}`,
            });
          }
          draft.writableResources().delete(id);
          if (draft.members.has(id)) draft.dropGroup(id);
          for (const [groupId, members] of draft.members) {
            if (members.has(id)) draft.writableGroup(groupId).delete(id);
          }
        },
        async applyMemberDelta(groupId, delta) {
          ensureOpen();
          if (!findResource(draft, 'Group', groupId, false)) {
            throw new StoreError('not_found', { detail: `Group "${groupId}" not found` });
          }
          return applyDelta(groupId, delta);
        },
        async appendEvents(events) {
          ensureOpen();
          for (const event of events) stagedEvents.push(cloneJson(event));
        },
        async touchLastSync(time) {
          ensureOpen();
          stagedLastSync = time;
        },
        async getRoleSettings() {
          ensureOpen();
          return cloneJson(roleSettings.get(tenantId));
        },
      };

      try {
        const result = await fn(tx);
        // Commit: nothing below can throw, so the transaction lands entirely or not at all.
        draft.commit();
        for (const event of stagedEvents) journal.push({ ...event, position: ++lastPosition });
        const tenant = tenants.get(tenantId);
        if (stagedLastSync !== undefined && tenant)
          tenants.set(tenantId, { ...tenant, lastSyncAt: stagedLastSync });
        return result;
      } finally {
        open = false;
      }
    });

  const committed = (tenantId: string): DataView => dataOf(tenantId);

  return {
    capabilities: CAPABILITIES,
    async getResource(tenantId, resourceType, id, getOptions) {
      return getFrom(committed(tenantId), resourceType, id, getOptions);
    },
    async queryResources(tenantId, query) {
      return queryFrom(committed(tenantId), query);
    },
    async listMembers(tenantId, groupId, pageOptions) {
      return listMembersFrom(committed(tenantId), groupId, pageOptions);
    },
    async listGroupsOf(tenantId, memberId) {
      return groupsOf(committed(tenantId), memberId);
    },
    async countMembers(tenantId, groupId) {
      return committed(tenantId).members.get(groupId)?.size ?? 0;
    },
    transaction: runTransaction,
    async readJournal(query: JournalQuery) {
      const limit = Math.max(0, query.limit ?? 100);
      const since = query.since === undefined ? undefined : Date.parse(query.since);
      const until = query.until === undefined ? undefined : Date.parse(query.until);
      const matches = journal.filter((event) => {
        if (query.tenantId !== undefined && event.tenantId !== query.tenantId) return false;
        if (query.resourceId !== undefined && event.resourceId !== query.resourceId) return false;
        if (query.afterPosition !== undefined && event.position <= query.afterPosition) return false;
        if (query.beforePosition !== undefined && event.position >= query.beforePosition) return false;
        const time = Date.parse(event.time);
        if (since !== undefined && !(time >= since)) return false;
        if (until !== undefined && !(time < until)) return false;
        if (query.types !== undefined && !query.types.some((type) => typeMatches(type, event.type)))
          return false;
        return true;
      });
      if (query.order === 'descending') matches.reverse();
      return matches.slice(0, limit).map((event) => cloneJson(event));
    },
    async getSinkPosition(sink) {
      return sinkPositions.get(sink) ?? 0;
    },
    async setSinkPosition(sink, position) {
      // Positions only move forward (see the Store contract).
      sinkPositions.set(sink, Math.max(position, sinkPositions.get(sink) ?? 0));
    },
    async createTenant(tenant: NewTenant) {
      if (tenants.has(tenant.id)) {
        throw new StoreError('conflict', { attribute: 'id', detail: `Tenant "${tenant.id}" already exists` });
      }
      const created: Tenant = { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt };
      tenants.set(tenant.id, created);
      return { ...created };
    },
    async getTenant(tenantId) {
      const tenant = tenants.get(tenantId);
      return tenant ? { ...tenant } : undefined;
    },
    async listTenants() {
      return [...tenants.values()].sort((a, b) => compareIds(a.id, b.id)).map((tenant) => ({ ...tenant }));
    },
    async createCredential(credential) {
      if (credentials.has(credential.id)) {
        throw new StoreError('conflict', {
          attribute: 'id',
          detail: `Credential "${credential.id}" already exists`,
        });
      }
      for (const other of credentials.values()) {
        if (other.hash === credential.hash) {
          throw new StoreError('conflict', {
            attribute: 'hash',
            detail: 'A credential with this secret already exists',
          });
        }
      }
      credentials.set(credential.id, { ...credential });
    },
    async findCredentialByHash(hash) {
      for (const credential of credentials.values()) if (credential.hash === hash) return { ...credential };
      return undefined;
    },
    async listCredentials(tenantId) {
      return [...credentials.values()]
        .filter((credential) => credential.tenantId === tenantId)
        .sort((a, b) => compareIds(a.id, b.id))
        .map((credential) => ({ ...credential }));
    },
    async updateCredential(tenantId, id, changes: CredentialChanges) {
      const credential = credentials.get(id);
      if (!credential || credential.tenantId !== tenantId) {
        throw new StoreError('not_found', { detail: `Credential "${id}" not found in this tenant` });
      }
      const next: Credential = { ...credential };
      if (changes.name !== undefined) next.name = changes.name;
      if (changes.lastUsedAt !== undefined) next.lastUsedAt = changes.lastUsedAt;
      if (changes.expiresAt === null) delete next.expiresAt;
      else if (changes.expiresAt !== undefined) next.expiresAt = changes.expiresAt;
      if (changes.revokedAt === null) delete next.revokedAt;
      else if (changes.revokedAt !== undefined) next.revokedAt = changes.revokedAt;
      credentials.set(id, next);
    },
    async getRoleSettings(tenantId) {
      return cloneJson(roleSettings.get(tenantId));
    },
    async setRoleSettings(tenantId, settings) {
      roleSettings.set(tenantId, cloneJson(settings));
    },
    async countResources(tenantId, resourceType, countOptions) {
      let count = 0;
      for (const resource of committed(tenantId).resources.values()) {
        if (resource.resourceType !== resourceType) continue;
        if (resource.deprovisionedAt !== undefined && !countOptions?.includeDeprovisioned) continue;
        count++;
      }
      return count;
    },
    async ping() {},
    async close() {},
  };
}

function memberRef(member: MemberRef): MemberRef {
  const ref: MemberRef = { value: member.value, type: member.type };
  if (member.display !== undefined) ref.display = member.display;
  return ref;
}

function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

function queryFingerprint(resourceType: string, sortBy: FilterPath | undefined, descending: boolean): string {
  const path = sortBy
    ? `${sortBy.resolved?.schema ?? sortBy.schema ?? ''}:${sortBy.attribute}.${sortBy.subAttribute ?? ''}`.toLowerCase()
    : '';
  return `${resourceType}|${path}|${descending ? 'd' : 'a'}`;
}
