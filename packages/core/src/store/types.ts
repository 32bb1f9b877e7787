import type { FilterNode, FilterPath } from '../filter/ast.js';

/**
 * The Store contract: everything a storage package implements. All data is scoped by tenant.
 * Reads outside a transaction see only committed data. Writes happen inside `transaction`, which is
 * atomic: either every write and journal event of the callback lands, or none does.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;

  // ---- resources (committed reads) ----
  getResource(
    tenantId: string,
    resourceType: string,
    id: string,
    options?: GetOptions,
  ): Promise<StoredResource | undefined>;
  queryResources(tenantId: string, query: ResourceQuery): Promise<QueryResult>;
  /** Page through a group's members, ordered by member id. An unknown group gives an empty page. */
  listMembers(tenantId: string, groupId: string, options?: MemberPageOptions): Promise<MemberPage>;
  /** The groups a resource (user or group) is a direct member of. */
  listGroupsOf(tenantId: string, memberId: string): Promise<GroupRef[]>;
  countMembers(tenantId: string, groupId: string): Promise<number>;

  /**
   * Runs `fn` in one atomic transaction. The callback must only await the `tx` it is given (no
   * network or timers): stores may hold a write lock while it runs. Throwing rolls everything back.
   */
  transaction<T>(tenantId: string, fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;

  // ---- journal (audit log and outbox) ----
  readJournal(query: JournalQuery): Promise<JournalEvent[]>;
  /** A sink's last acknowledged journal position (0 when it never acknowledged). */
  getSinkPosition(sink: string): Promise<number>;
  /**
   * Records that a sink acknowledged every event up to `position`. Positions only move forward: a
   * lower position than the stored one is ignored, so several processes delivering to one sink can
   * never rewind it and re-deliver what another already acknowledged.
   */
  setSinkPosition(sink: string, position: number): Promise<void>;

  // ---- control data ----
  createTenant(tenant: NewTenant): Promise<Tenant>;
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
  createCredential(credential: Credential): Promise<void>;
  /** Finds a credential by the hash of its secret (across tenants). */
  findCredentialByHash(hash: string): Promise<Credential | undefined>;
  listCredentials(tenantId: string): Promise<Credential[]>;
  /** Updates `revokedAt`, `expiresAt` or `lastUsedAt` of a credential; `not_found` if missing. */
  updateCredential(tenantId: string, id: string, changes: CredentialChanges): Promise<void>;
  getRoleSettings(tenantId: string): Promise<RoleSettings | undefined>;
  setRoleSettings(tenantId: string, settings: RoleSettings): Promise<void>;
  /** Statistics for admin screens. */
  countResources(
    tenantId: string,
    resourceType: string,
    options?: { includeDeprovisioned?: boolean },
  ): Promise<number>;

  /** Checks the database answers (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The writes (and reads that see them) available inside `Store.transaction`. */
export interface StoreTransaction {
  readonly tenantId: string;
  getResource(resourceType: string, id: string, options?: GetOptions): Promise<StoredResource | undefined>;
  /** Finds resources of a type whose attribute equals a value (case-insensitive for userName). */
  queryResources(query: ResourceQuery): Promise<QueryResult>;
  listGroupsOf(memberId: string): Promise<GroupRef[]>;
  /** True when `memberId` is a direct member of `groupId`. */
  hasMember(groupId: string, memberId: string): Promise<boolean>;

  /** Creates a resource; `conflict` when a unique attribute is taken. Returns it at version 1. */
  create(input: NewResource): Promise<StoredResource>;
  /**
   * Replaces a resource's data (and optionally access/deprovisioned state) and bumps its version.
   * With `expectedVersion` the check is part of the write itself: a mismatch is `precondition_failed`.
   * `not_found` when the resource does not exist.
   */
  update(input: ResourceUpdate): Promise<StoredResource>;
  /** Hard delete (a deprovisioned resource too), including its memberships both ways. `not_found` when missing. */
  delete(resourceType: string, id: string, options?: { expectedVersion?: number }): Promise<void>;
  /**
   * Applies a membership change to a group without reading its members. Ids already present/absent
   * are ignored; removals apply before additions. Returns the ids really added and removed. A group
   * that does not exist (or is deprovisioned) and a member id that is no resource of this tenant are
   * `not_found`, and nothing is applied. Does not bump the group's version: `update` with
   * `memberDelta` does both atomically.
   */
  applyMemberDelta(groupId: string, delta: MemberDelta): Promise<{ added: string[]; removed: string[] }>;
  /** Appends journal events; they get positions in commit order. */
  appendEvents(events: NewJournalEvent[]): Promise<void>;
  /** Sets the tenant's last-sync time. */
  touchLastSync(time: string): Promise<void>;
  getRoleSettings(): Promise<RoleSettings | undefined>;
  /**
   * Optional: runs `fn` as a nested unit of this transaction (an SQL savepoint). When `fn` throws,
   * every write it made (journal events included) is undone, the error is rethrown, and the
   * transaction stays usable; otherwise its writes become part of the transaction. Servers use it
   * to run many small units (the operations of a /Bulk request) in one commit without letting one
   * failing unit undo the others. Stores that cannot nest leave it out.
   */
  savepoint?<T>(fn: () => Promise<T>): Promise<T>;
}

/** What a store can do natively. */
export interface StoreCapabilities {
  /** True when multi-document writes are atomic. */
  transactions: boolean;
  /** True when RFC 9865 cursors are supported. */
  cursorPaging: boolean;
  /** True when sortBy is supported. */
  sorting: boolean;
}

/** A resource as stored: the SCIM attributes in `data` plus the fields the store manages. */
export interface StoredResource {
  id: string;
  resourceType: string;
  /** Starts at 1 and increases by one with each write; `meta.version` is derived from it. */
  version: number;
  /** ISO 8601 times. */
  created: string;
  lastModified: string;
  /**
   * The canonical resource as validation produced it, `schemas` included, without `id` and `meta`
   * (the store manages those) and without `members` for groups (members live apart).
   */
  data: Record<string, unknown>;
  /** Set when the user was deprovisioned (soft-deleted): SCIM treats it as gone, the host still sees it. */
  deprovisionedAt?: string;
  /** The host product's view of a user: effective role and status, from the role resolver. */
  access?: AccessState;
  /** Group members, only when asked for (`includeMembers`). */
  members?: MemberRef[];
  /**
   * The groups a user is a direct member of, as `listGroupsOf` returns them, only when asked for
   * (`includeGroups`) and the store supports it; callers fall back to `listGroupsOf` when absent.
   */
  groups?: GroupRef[];
}

/** The effective role and status of a user, with the reason. */
export interface AccessState {
  role: string | null;
  status: 'active' | 'inactive';
  reason: string;
}

export interface GetOptions {
  /** Load group members too. @default false */
  includeMembers?: boolean;
  /** Return a deprovisioned resource too. @default false */
  includeDeprovisioned?: boolean;
  /**
   * Also read the user's groups (`StoredResource.groups`) in the same read, when the store can do
   * it cheaper than a separate `listGroupsOf`. Optional for stores: they may ignore it. @default false
   */
  includeGroups?: boolean;
}

export interface NewResource {
  resourceType: string;
  /** Generated by the caller (core has no randomness). */
  id: string;
  /** ISO 8601 creation time. */
  now: string;
  data: Record<string, unknown>;
  access?: AccessState;
  /** Initial members of a group. */
  members?: MemberRef[];
}

export interface ResourceUpdate {
  resourceType: string;
  id: string;
  now: string;
  expectedVersion?: number;
  /** The full new data (replaces the old). Omit to keep the data and only bump the version. */
  data?: Record<string, unknown>;
  access?: AccessState;
  /** `null` clears it (reactivation), a time sets it (deprovisioning). */
  deprovisionedAt?: string | null;
  /** Also applied, atomically with the data. */
  memberDelta?: MemberDelta;
  /** Match a deprovisioned resource too. @default false */
  includeDeprovisioned?: boolean;
}

/** A member of a group: a user or group id, with its type and an optional display string. */
export interface MemberRef {
  value: string;
  type: 'User' | 'Group';
  display?: string;
}

/** A membership change. With `replace`, the set becomes exactly `add` (and `remove` is ignored). */
export interface MemberDelta {
  add?: MemberRef[];
  remove?: string[];
  replace?: boolean;
}

export interface MemberPageOptions {
  /** Members with an id greater than this (keyset paging). */
  after?: string;
  /** @default 1000 */
  limit?: number;
}

export interface MemberPage {
  members: MemberRef[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next?: string;
}

export interface GroupRef {
  id: string;
  displayName: string;
  externalId?: string;
}

/** A query over one resource type. */
export interface ResourceQuery {
  resourceType: string;
  filter?: FilterNode;
  sortBy?: FilterPath;
  /**
   * Only meaningful with `sortBy`. Ascending puts missing values last and breaks ties by id;
   * descending is its exact reverse.
   * @default 'ascending'
   */
  sortOrder?: 'ascending' | 'descending';
  /** 1-based index paging. Ignored when `cursor` is given. */
  startIndex?: number;
  /**
   * RFC 9865 cursor paging: `''` asks for the first page, a value from `nextCursor` or
   * `previousCursor` for another. A malformed cursor throws `ScimError(400, 'invalidCursor')`, one
   * that no longer applies `ScimError(400, 'expiredCursor')` (RFC 9865).
   */
  cursor?: string;
  /** Page size; 0 gives only totalResults. */
  count: number;
  /** Load members of returned groups. @default false */
  includeMembers?: boolean;
  /**
   * Also read each returned user's groups (`StoredResource.groups`) with the page, when the store
   * can do it cheaper than a `listGroupsOf` per user. Optional for stores: they may ignore it, and
   * callers then ask `listGroupsOf`. @default false
   */
  includeGroups?: boolean;
  /** @default false */
  includeDeprovisioned?: boolean;
}

export interface QueryResult {
  totalResults: number;
  resources: StoredResource[];
  nextCursor?: string;
  previousCursor?: string;
}

/** A journal event: one line of the audit log and of the outbox. */
export interface JournalEvent extends NewJournalEvent {
  /** Store-assigned, strictly increasing in commit order across the store. */
  position: number;
}

export interface NewJournalEvent {
  /** Unique event id (generated by the caller). */
  id: string;
  tenantId: string;
  /** `scim.user.provisioned`, `scim.group.members_added`, `scim.role.changed`, `admin.token.issued`, ... */
  type: string;
  /** ISO 8601. */
  time: string;
  resourceType?: string;
  resourceId?: string;
  /** The credential that made the change, when a SCIM client did. */
  actor?: string;
  requestId?: string;
  /** Changed attribute paths. */
  changedAttributes?: string[];
  /** Event-specific data (member ids added, old and new role, ...). Never secrets. */
  data?: Record<string, unknown>;
}

export interface JournalQuery {
  tenantId?: string;
  /** Exact types or prefixes ending in `*` (`scim.user.*`). */
  types?: string[];
  resourceId?: string;
  /** ISO 8601 bounds: `since <= time < until`. */
  since?: string;
  until?: string;
  /** Events after this position. */
  afterPosition?: number;
  /** Events before this position (for paging backwards from the newest). */
  beforePosition?: number;
  /** @default 'ascending' */
  order?: 'ascending' | 'descending';
  /** @default 100 */
  limit?: number;
}

export interface NewTenant {
  id: string;
  name: string;
  createdAt: string;
}

export interface Tenant extends NewTenant {
  lastSyncAt?: string;
}

/** A credential: only the hash of its secret is stored. */
export interface Credential {
  id: string;
  tenantId: string;
  name: string;
  kind: 'bearer' | 'basic';
  /** Hex SHA-256 of the secret (for basic: of `username:password`). */
  hash: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

export interface CredentialChanges {
  expiresAt?: string | null;
  revokedAt?: string | null;
  lastUsedAt?: string;
  name?: string;
}

/** A tenant's role settings, the input of the role resolver. */
export interface RoleSettings {
  /** Ordered roles, highest privilege first. */
  roles: string[];
  /** Role of a user in no mapped group. `null` for none. */
  defaultRole: string | null;
  mappings: RoleMapping[];
  /** Deactivate users who are in no mapped group. @default false */
  deactivateUnmapped: boolean;
  /** Honour a role attribute sent by the IdP (by attribute path). */
  roleAttribute?: string;
}

export interface RoleMapping {
  /** How the group is matched. */
  match: 'displayName' | 'externalId' | 'id';
  value: string;
  role: string;
}
