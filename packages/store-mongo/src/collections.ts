import type { AccessState, Credential, RoleSettings, SchemaRegistry } from '@scim/core';
import type { Collection, Db, IndexDescription } from 'mongodb';
import { UNIQUE_FIELD } from './classify-mongo-error.js';
import type { StoredSortKey } from './resource-layout.js';
import { createResourceLayout } from './resource-layout.js';

/** A resource as the store keeps it. */
export interface ResourceDocument {
  tenantId: string;
  resourceType: string;
  id: string;
  version: number;
  created: string;
  lastModified: string;
  /** The canonical SCIM data exactly as given. */
  data: Record<string, unknown>;
  deprovisionedAt?: string;
  access?: AccessState;
  /**
   * The normalised mirror of `data` that filters run against: case-insensitive strings lower-cased,
   * dateTimes as epoch milliseconds, extension URNs and `$`-names encoded; plus `%id`, the id
   * lower-cased (for `groups.value`).
   */
  _s: Record<string, unknown>;
  /** The mirror of `meta`: `created` and `lastModified` as epoch milliseconds, `resourceType`. */
  _m: Record<string, unknown>;
  /** One sort key per attribute path (`name%2EgivenName`), for sortBy and keyset cursors. */
  _sort: Record<string, StoredSortKey>;
  /** The normalised values of the unique attributes (`userName`), each under a unique index. */
  _u: Record<string, unknown>;
}

/** One member of one group. Groups of any size cost one small document per member. */
export interface MembershipDocument {
  tenantId: string;
  groupId: string;
  memberId: string;
  type: 'User' | 'Group';
  display?: string;
  /** The member as an element of `members`, normalised like a resource's `_s` (value, type, display). */
  _s: Record<string, unknown>;
}

/** A journal event; `_time` is the parsed `time` for range queries. */
export interface JournalDocument {
  position: number;
  id: string;
  tenantId: string;
  type: string;
  time: string;
  _time: Date;
  resourceType?: string;
  resourceId?: string;
  actor?: string;
  requestId?: string;
  changedAttributes?: string[];
  data?: Record<string, unknown>;
}

export interface CounterDocument {
  _id: string;
  value: number;
}

export interface SinkDocument {
  _id: string;
  position: number;
}

export interface TenantDocument {
  _id: string;
  name: string;
  createdAt: string;
  lastSyncAt?: string;
}

export type CredentialDocument = Credential;

export interface RoleSettingsDocument {
  _id: string;
  settings: RoleSettings;
}

/** The store's collections, named `<prefix><name>`. */
export interface StoreCollections {
  resources: Collection<ResourceDocument>;
  memberships: Collection<MembershipDocument>;
  journal: Collection<JournalDocument>;
  counters: Collection<CounterDocument>;
  sinks: Collection<SinkDocument>;
  tenants: Collection<TenantDocument>;
  credentials: Collection<CredentialDocument>;
  roleSettings: Collection<RoleSettingsDocument>;
}

/** The counter document that hands out journal positions. */
export const JOURNAL_COUNTER = 'journal';

/** Opens (without any I/O) the collections of a store. */
export function storeCollections(db: Db, prefix: string): StoreCollections {
  return {
    resources: db.collection<ResourceDocument>(`${prefix}resources`),
    memberships: db.collection<MembershipDocument>(`${prefix}memberships`),
    journal: db.collection<JournalDocument>(`${prefix}journal`),
    counters: db.collection<CounterDocument>(`${prefix}counters`),
    sinks: db.collection<SinkDocument>(`${prefix}sink_positions`),
    tenants: db.collection<TenantDocument>(`${prefix}tenants`),
    credentials: db.collection<CredentialDocument>(`${prefix}credentials`),
    roleSettings: db.collection<RoleSettingsDocument>(`${prefix}role_settings`),
  };
}

/** The indexes of the resources collection: the hot IdP lookups plus one unique index per unique attribute. */
export function resourceIndexes(registry: SchemaRegistry): IndexDescription[] {
  const lookup = (name: string, field: string): IndexDescription => ({
    name,
    key: { tenantId: 1, resourceType: 1, [field]: 1 },
  });
  const indexes: IndexDescription[] = [
    // Ids are unique per tenant across resource types (members refer to them without a type).
    { name: 'resource_id', key: { tenantId: 1, id: 1 }, unique: true },
    lookup('userName', '_s.userName'),
    lookup('externalId', '_s.externalId'),
    lookup('displayName', '_s.displayName'),
    lookup('emails_value', '_s.emails.value'),
    lookup('lastModified', '_m.lastModified'),
  ];
  const uniqueKeys = new Set<string>();
  for (const type of registry.listResourceTypes()) {
    for (const unique of createResourceLayout(registry, type.name).uniqueAttributes)
      uniqueKeys.add(unique.key);
  }
  for (const key of [...uniqueKeys].sort()) {
    const field = `${UNIQUE_FIELD}.${key}`;
    indexes.push({
      // The name carries the attribute so that old servers' duplicate-key messages still name it.
      name: `unique_${key}`,
      key: { tenantId: 1, resourceType: 1, [field]: 1 },
      unique: true,
      partialFilterExpression: { [field]: { $exists: true } },
    });
  }
  return indexes;
}

/**
 * The indexes of the memberships collection: a group's members, a member's groups, and the
 * normalised member value that `members[value eq "..."]` filters compare (Entra ID checks a
 * membership with `id eq "<group>" and members[value eq "<user>"]`), each ending in `groupId` so
 * that the groups are read from the index alone.
 */
export function membershipIndexes(): IndexDescription[] {
  return [
    { name: 'group_member', key: { tenantId: 1, groupId: 1, memberId: 1 }, unique: true },
    { name: 'member_group', key: { tenantId: 1, memberId: 1, groupId: 1 } },
    { name: 'member_value', key: { tenantId: 1, '_s.value': 1, groupId: 1 } },
  ];
}

/**
 * Creates every index the store relies on. `createIndexes` is idempotent for identical
 * definitions, so concurrent processes may all run it.
 */
export async function ensureIndexes(collections: StoreCollections, registry: SchemaRegistry): Promise<void> {
  await collections.resources.createIndexes(resourceIndexes(registry));
  await collections.memberships.createIndexes(membershipIndexes());
  await collections.journal.createIndexes([
    { name: 'position', key: { position: 1 }, unique: true },
    { name: 'tenant_position', key: { tenantId: 1, position: 1 } },
    { name: 'tenant_resource_position', key: { tenantId: 1, resourceId: 1, position: 1 } },
    { name: 'tenant_time', key: { tenantId: 1, _time: 1 } },
  ]);
  await collections.credentials.createIndexes([
    { name: 'credential_id', key: { id: 1 }, unique: true },
    { name: 'tenant_credential', key: { tenantId: 1, id: 1 } },
    { name: 'hash', key: { hash: 1 }, unique: true },
  ]);
  // Creates the counter (and its collection) outside any transaction, where creation is allowed.
  await collections.counters.updateOne(
    { _id: JOURNAL_COUNTER },
    { $setOnInsert: { value: 0 } },
    { upsert: true },
  );
}
