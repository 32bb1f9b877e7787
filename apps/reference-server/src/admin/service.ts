/**
 * Every admin operation of the reference server, over a Store and free of any transport: the CLI
 * (`scim-admin`) calls these functions, and the admin HTTP API and settings page use the same ones.
 * Refusals are `AdminError`s whose message says what to fix.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  type AccessState,
  type Credential,
  type GroupRef,
  type JournalEvent,
  type MemberRef,
  type NewJournalEvent,
  parseFilter,
  type ResourceQuery,
  type RoleMapping,
  type RoleSettings,
  resolveRole,
  type Store,
  type StoredResource,
  type Tenant,
} from '@scim/core';
import { explainAccess, issueToken, revokeToken, rotateToken } from '@scim/server';
import { AdminError } from './admin-error.ts';

// ---------------------------------------------------------------- types

/** What the admin service needs. */
export interface AdminServiceOptions {
  store: Store;
  /** The public SCIM base URL of a tenant (shown on settings screens). */
  baseUrl: (tenantId: string) => string;
  /** @default () => new Date() */
  now?: () => Date;
  /** @default crypto.randomUUID */
  generateId?: () => string;
  /** Recorded as the journal `actor` of admin changes. @default 'admin' */
  actor?: string;
}

/** A tenant with what its settings page shows. */
export interface TenantSummary {
  id: string;
  name: string;
  createdAt: string;
  lastSyncAt?: string;
  baseUrl: string;
  counts: { users: number; deprovisionedUsers: number; groups: number; activeTokens: number };
}

/** A credential as admins see it: never the secret or its hash. */
export interface TokenView {
  id: string;
  name: string;
  kind: Credential['kind'];
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  lastUsedAt?: string;
  state: 'active' | 'expired' | 'revoked';
}

/** One row of the users table. */
export interface UserRow {
  id: string;
  userName: string;
  displayName?: string;
  externalId?: string;
  /** The SCIM `active` attribute as the IdP sent it. */
  active: boolean;
  status: AccessState['status'];
  role: string | null;
  reason: string;
  deprovisionedAt?: string;
  lastModified: string;
}

/** One row of the groups table. */
export interface GroupRow {
  id: string;
  displayName: string;
  externalId?: string;
  memberCount: number;
  lastModified: string;
}

/** A page of rows; pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> {
  items: T[];
  /** Matching rows in all pages, when known (not known when filtering by status or role). */
  total?: number;
  nextCursor?: string;
}

/** Options of the users and groups listings. */
export interface ListOptions {
  /** A SCIM filter, e.g. `userName sw "a"`. */
  filter?: string;
  /** Include deprovisioned (soft-deleted) users. @default false */
  includeDeprovisioned?: boolean;
  /** @default 50, at most 1000 */
  count?: number;
  cursor?: string;
}

/** Filters of the journal. Times are ISO 8601; types may end in `*` (`scim.user.*`). */
export interface JournalFilter {
  types?: string[];
  resourceId?: string;
  since?: string;
  until?: string;
  afterPosition?: number;
  beforePosition?: number;
  /** @default 'descending' (newest first, as an audit screen shows it) */
  order?: 'ascending' | 'descending';
  /** @default 50, at most 1000 */
  limit?: number;
}

/** A user with everything the "show" screen explains. */
export interface UserDetail {
  row: UserRow;
  resource: StoredResource;
  groups: GroupRef[];
  /** The resolver's answer with the current settings (may differ from the stored state until reconciled). */
  resolution: ReturnType<typeof resolveRole>;
}

/** One line of an export (JSON lines): the format every store can import. */
export type ExportRecord =
  | { kind: 'tenant'; format: 1; tenant: Tenant }
  | { kind: 'roleSettings'; settings: RoleSettings }
  | { kind: 'credential'; credential: Credential }
  | { kind: 'resource'; resource: StoredResource }
  | { kind: 'members'; groupId: string; members: MemberRef[] }
  | { kind: 'event'; event: NewJournalEvent }
  | { kind: 'end'; counts: TenantCounts };

/** Counts compared after an import or a migration. */
export interface TenantCounts {
  users: number;
  groups: number;
  memberships: number;
  credentials: number;
  events: number;
}

/** Progress of an import or a migration, for a progress bar. */
export interface ImportProgress {
  phase: 'control' | 'resources' | 'members' | 'journal' | 'verify';
  done: number;
  /** Known when the source was counted first (migrations). */
  total?: number;
}

/** The outcome of an import. */
export interface ImportResult {
  tenantId: string;
  /** Records written. */
  written: number;
  /** Records already present in the target (an earlier, interrupted run): skipped. */
  skipped: number;
  counts: TenantCounts;
}

/** The outcome of a migration: the import plus the verification of counts. */
export interface MigrationResult extends ImportResult {
  source: TenantCounts;
  verified: boolean;
  /** The counts that differ, e.g. `users: source 10, target 9`. */
  mismatches: string[];
}

const EMPTY_SETTINGS: RoleSettings = {
  roles: [],
  defaultRole: null,
  mappings: [],
  deactivateUnmapped: false,
};
const MATCHES: readonly RoleMapping['match'][] = ['displayName', 'externalId', 'id'];
const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

// ---------------------------------------------------------------- service

/** The admin operations, as returned by {@link createAdminService}. */
export type AdminService = ReturnType<typeof createAdminService>;

/**
 * Creates the admin service over a store.
 *
 * @example
 * const admin = createAdminService({ store, baseUrl: (t) => `http://localhost:8080/scim/v2` });
 * const { secret } = await admin.issueToken('default', { name: 'okta' });
 * const users = await admin.listUsers('default', { filter: 'userName sw "a"' });
 */
export function createAdminService(options: AdminServiceOptions) {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const generateId = options.generateId ?? randomUUID;
  const actor = options.actor ?? 'admin';

  const requireTenant = async (tenantId: string): Promise<Tenant> => {
    const tenant = await store.getTenant(tenantId);
    if (!tenant) {
      throw new AdminError('not_found', `tenant '${tenantId}' does not exist (see 'tenants list')`);
    }
    return tenant;
  };

  const journal = async (
    tenantId: string,
    events: Array<Omit<NewJournalEvent, 'id' | 'tenantId' | 'time' | 'actor'>>,
  ) => {
    const time = now().toISOString();
    await store.transaction(tenantId, (tx) =>
      tx.appendEvents(events.map((e) => ({ ...e, id: generateId(), tenantId, time, actor }))),
    );
  };

  const summarize = async (tenant: Tenant): Promise<TenantSummary> => {
    const [users, allUsers, groups, credentials] = await Promise.all([
      store.countResources(tenant.id, 'User'),
      store.countResources(tenant.id, 'User', { includeDeprovisioned: true }),
      store.countResources(tenant.id, 'Group'),
      store.listCredentials(tenant.id),
    ]);
    const at = now();
    return {
      id: tenant.id,
      name: tenant.name,
      createdAt: tenant.createdAt,
      ...(tenant.lastSyncAt ? { lastSyncAt: tenant.lastSyncAt } : {}),
      baseUrl: options.baseUrl(tenant.id),
      counts: {
        users,
        deprovisionedUsers: allUsers - users,
        groups,
        activeTokens: credentials.filter((c) => tokenState(c, at) === 'active').length,
      },
    };
  };

  const settingsOf = async (tenantId: string): Promise<RoleSettings> =>
    (await store.getRoleSettings(tenantId)) ?? structuredClone(EMPTY_SETTINGS);

  /** Finds a user by id, or by userName (case-insensitively). */
  const findUser = async (tenantId: string, ref: string): Promise<StoredResource> => {
    const byId = await store.getResource(tenantId, 'User', ref, { includeDeprovisioned: true });
    if (byId) return byId;
    const result = await store.queryResources(tenantId, {
      resourceType: 'User',
      filter: parseFilter(`userName eq ${JSON.stringify(ref)}`, { resourceType: 'User' }),
      count: 1,
      includeDeprovisioned: true,
    });
    const found = result.resources[0];
    if (!found)
      throw new AdminError('not_found', `no user with id or userName '${ref}' in tenant '${tenantId}'`);
    return found;
  };

  const resolveFor = async (tenantId: string, user: StoredResource, settings: RoleSettings) => {
    const groups = await store.listGroupsOf(tenantId, user.id);
    // The server's explanation, so admin screens and SCIM writes agree on how the role attribute is read.
    const resolution =
      (await explainAccess(store, tenantId, user.id)) ??
      resolveRole(settings, { active: user.data.active !== false }, groups);
    return { groups, resolution };
  };

  const userRow = async (
    tenantId: string,
    user: StoredResource,
    settings: RoleSettings,
  ): Promise<UserRow> => {
    const access = user.access ?? (await resolveFor(tenantId, user, settings)).resolution;
    const data = user.data;
    return {
      id: user.id,
      userName: String(data.userName ?? ''),
      ...(personName(data) ? { displayName: personName(data) } : {}),
      ...(typeof data.externalId === 'string' ? { externalId: data.externalId } : {}),
      active: data.active !== false,
      status: user.deprovisionedAt ? 'inactive' : access.status,
      role: access.role,
      reason: user.deprovisionedAt ? `deprovisioned at ${user.deprovisionedAt}` : access.reason,
      ...(user.deprovisionedAt ? { deprovisionedAt: user.deprovisionedAt } : {}),
      lastModified: user.lastModified,
    };
  };

  /** One page of a query, by cursor where the store supports it, else by index. */
  const page = async (
    tenantId: string,
    query: Omit<ResourceQuery, 'count' | 'cursor' | 'startIndex'>,
    count: number,
    cursor: string | undefined,
  ): Promise<{ resources: StoredResource[]; total: number; next?: string }> => {
    if (store.capabilities.cursorPaging && !cursor?.startsWith('i:')) {
      const result = await store.queryResources(tenantId, { ...query, count, cursor: cursor ?? '' });
      return {
        resources: result.resources,
        total: result.totalResults,
        ...(result.nextCursor ? { next: result.nextCursor } : {}),
      };
    }
    const startIndex = cursor ? Number(cursor.slice(2)) : 1;
    if (!Number.isInteger(startIndex) || startIndex < 1)
      throw new AdminError('invalid', `cursor '${cursor}' is not valid`);
    const result = await store.queryResources(tenantId, { ...query, count, startIndex });
    const nextIndex = startIndex + result.resources.length;
    return {
      resources: result.resources,
      total: result.totalResults,
      ...(result.resources.length > 0 && nextIndex <= result.totalResults ? { next: `i:${nextIndex}` } : {}),
    };
  };

  const filterOf = (resourceType: string, text: string | undefined) => {
    if (!text) return undefined;
    try {
      return parseFilter(text, { resourceType });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new AdminError('invalid', `filter '${text}' is not valid: ${detail}`);
    }
  };

  /** Re-resolves every user's access after a settings change; returns how many changed. */
  const reconcile = async (tenantId: string, settings: RoleSettings): Promise<number> => {
    let changed = 0;
    let cursor: string | undefined;
    // Bounded: each pass moves the cursor forward, and a tenant has finitely many users.
    for (let pages = 0; pages < 1_000_000; pages++) {
      const batch = await page(tenantId, { resourceType: 'User' }, 200, cursor);
      for (const user of batch.resources) {
        const { resolution } = await resolveFor(tenantId, user, settings);
        const before = user.access;
        if (
          before &&
          before.role === resolution.role &&
          before.status === resolution.status &&
          before.reason === resolution.reason
        )
          continue;
        const access: AccessState = {
          role: resolution.role,
          status: resolution.status,
          reason: resolution.reason,
        };
        const time = now().toISOString();
        await store.transaction(tenantId, async (tx) => {
          await tx.update({ resourceType: 'User', id: user.id, now: time, access });
          if (before?.role !== access.role || before?.status !== access.status) {
            await tx.appendEvents([
              {
                id: generateId(),
                tenantId,
                type: 'scim.role.changed',
                time,
                resourceType: 'User',
                resourceId: user.id,
                actor,
                data: { before: before ?? null, after: access, cause: 'role settings changed' },
              },
            ]);
          }
        });
        changed++;
      }
      if (!batch.next) break;
      cursor = batch.next;
    }
    return changed;
  };

  const saveSettings = async (tenantId: string, settings: RoleSettings, summary: string) => {
    validateSettings(settings);
    await store.setRoleSettings(tenantId, settings);
    const reconciled = await reconcile(tenantId, settings);
    await journal(tenantId, [{ type: 'admin.roles.updated', data: { summary, usersChanged: reconciled } }]);
    return { settings, usersChanged: reconciled };
  };

  return {
    // ---- tenants
    async listTenants(): Promise<TenantSummary[]> {
      return Promise.all((await store.listTenants()).map(summarize));
    },
    async getTenant(tenantId: string): Promise<TenantSummary> {
      return summarize(await requireTenant(tenantId));
    },
    async createTenant(input: { id: string; name?: string }): Promise<TenantSummary> {
      if (!TENANT_ID.test(input.id)) {
        throw new AdminError(
          'invalid',
          `tenant id '${input.id}' must be 1-64 lower-case letters, digits, _ or -`,
        );
      }
      if (await store.getTenant(input.id))
        throw new AdminError('conflict', `tenant '${input.id}' already exists`);
      const tenant = await store.createTenant({
        id: input.id,
        name: input.name ?? input.id,
        createdAt: now().toISOString(),
      });
      await journal(tenant.id, [{ type: 'admin.tenant.created', data: { name: tenant.name } }]);
      return summarize(tenant);
    },

    // ---- tokens
    async issueToken(
      tenantId: string,
      input: { name: string; expiresAt?: string; secret?: string },
    ): Promise<{ token: TokenView; secret: string }> {
      await requireTenant(tenantId);
      const name = input.name.trim();
      if (!name)
        throw new AdminError('invalid', 'a token needs a name (e.g. the identity provider it is for)');
      if (input.expiresAt !== undefined) requireFutureTime('expiresAt', input.expiresAt, now());
      const { credential, secret } = await issueToken(store, {
        tenantId,
        name,
        ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
        ...(input.secret ? { secret: input.secret } : {}),
      });
      await journal(tenantId, [{ type: 'admin.token.issued', data: { credentialId: credential.id, name } }]);
      return { token: tokenView(credential, now()), secret };
    },
    async listTokens(tenantId: string): Promise<TokenView[]> {
      await requireTenant(tenantId);
      const at = now();
      return (await store.listCredentials(tenantId)).map((c) => tokenView(c, at));
    },
    async rotateToken(
      tenantId: string,
      credentialId: string,
      input: { graceSeconds: number },
    ): Promise<{ token: TokenView; secret: string; previous: TokenView }> {
      await requireTenant(tenantId);
      if (!Number.isFinite(input.graceSeconds) || input.graceSeconds < 0) {
        throw new AdminError('invalid', 'the grace period must be zero or more seconds');
      }
      const old = (await store.listCredentials(tenantId)).find((c) => c.id === credentialId);
      if (!old)
        throw new AdminError(
          'not_found',
          `no token '${credentialId}' in tenant '${tenantId}' (see 'tokens list')`,
        );
      if (old.revokedAt)
        throw new AdminError('conflict', `token '${credentialId}' is revoked and cannot be rotated`);
      const { credential, secret } = await rotateToken(store, {
        tenantId,
        credentialId,
        graceSeconds: input.graceSeconds,
      });
      await journal(tenantId, [
        {
          type: 'admin.token.rotated',
          data: { credentialId, replacedBy: credential.id, graceSeconds: input.graceSeconds },
        },
      ]);
      const previous = (await store.listCredentials(tenantId)).find((c) => c.id === credentialId) ?? old;
      return { token: tokenView(credential, now()), secret, previous: tokenView(previous, now()) };
    },
    async revokeToken(tenantId: string, credentialId: string): Promise<TokenView> {
      await requireTenant(tenantId);
      const existing = (await store.listCredentials(tenantId)).find((c) => c.id === credentialId);
      if (!existing)
        throw new AdminError(
          'not_found',
          `no token '${credentialId}' in tenant '${tenantId}' (see 'tokens list')`,
        );
      await revokeToken(store, tenantId, credentialId);
      await journal(tenantId, [{ type: 'admin.token.revoked', data: { credentialId } }]);
      const after = (await store.listCredentials(tenantId)).find((c) => c.id === credentialId) ?? existing;
      return tokenView(after, now());
    },

    // ---- roles
    async getRoleSettings(tenantId: string): Promise<RoleSettings> {
      await requireTenant(tenantId);
      return settingsOf(tenantId);
    },
    /** Sets the ordered roles, the default role and the unmapped-user policy; keeps the mappings. */
    async setRoles(
      tenantId: string,
      input: {
        roles: string[];
        defaultRole: string | null;
        deactivateUnmapped?: boolean;
        roleAttribute?: string | null;
      },
    ) {
      await requireTenant(tenantId);
      const current = await settingsOf(tenantId);
      const roles = input.roles.map((r) => r.trim()).filter(Boolean);
      const next: RoleSettings = {
        ...current,
        roles,
        defaultRole: input.defaultRole,
        deactivateUnmapped: input.deactivateUnmapped ?? current.deactivateUnmapped,
      };
      if (input.roleAttribute === null) delete next.roleAttribute;
      else if (input.roleAttribute !== undefined) next.roleAttribute = input.roleAttribute;
      const orphans = next.mappings.filter((m) => !roles.includes(m.role));
      if (orphans.length > 0) {
        throw new AdminError(
          'invalid',
          `mappings use roles that are no longer listed: ${orphans.map((m) => `${m.value} -> ${m.role}`).join(', ')}; unmap them first or keep the role`,
        );
      }
      return saveSettings(
        tenantId,
        next,
        `roles ${roles.join(' > ')}, default ${input.defaultRole ?? 'none'}`,
      );
    },
    /** Maps an IdP group to a role (replacing an existing mapping of the same group). */
    async mapGroup(tenantId: string, input: { value: string; role: string; match?: RoleMapping['match'] }) {
      await requireTenant(tenantId);
      const match = input.match ?? 'displayName';
      if (!MATCHES.includes(match))
        throw new AdminError('invalid', `match must be one of ${MATCHES.join(', ')}`);
      if (!input.value.trim()) throw new AdminError('invalid', 'the group to map is empty');
      const current = await settingsOf(tenantId);
      if (!current.roles.includes(input.role)) {
        throw new AdminError(
          'invalid',
          `role '${input.role}' is not one of the tenant's roles (${current.roles.join(', ') || 'none set'}); set it with 'roles set' first`,
        );
      }
      const same = (m: RoleMapping) => m.match === match && sameGroup(match, m.value, input.value);
      const mapping: RoleMapping = { match, value: input.value, role: input.role };
      const index = current.mappings.findIndex(same);
      const mappings = [...current.mappings];
      if (index >= 0) mappings[index] = mapping;
      else mappings.push(mapping);
      return saveSettings(
        tenantId,
        { ...current, mappings },
        `mapped ${match}=${input.value} -> ${input.role}`,
      );
    },
    async unmapGroup(tenantId: string, input: { value: string; match?: RoleMapping['match'] }) {
      await requireTenant(tenantId);
      const match = input.match ?? 'displayName';
      const current = await settingsOf(tenantId);
      const mappings = current.mappings.filter(
        (m) => !(m.match === match && sameGroup(match, m.value, input.value)),
      );
      if (mappings.length === current.mappings.length) {
        throw new AdminError('not_found', `no mapping for ${match}=${input.value} (see 'roles show')`);
      }
      return saveSettings(tenantId, { ...current, mappings }, `unmapped ${match}=${input.value}`);
    },
    /** A user's effective role with the resolver's explanation. */
    async explainUser(tenantId: string, userRef: string): Promise<UserDetail> {
      await requireTenant(tenantId);
      const settings = await settingsOf(tenantId);
      const user = await findUser(tenantId, userRef);
      const { groups, resolution } = await resolveFor(tenantId, user, settings);
      return {
        row: await userRow(tenantId, user, settings),
        resource: withoutPassword(user),
        groups,
        resolution,
      };
    },

    // ---- users and groups
    async listUsers(
      tenantId: string,
      input: ListOptions & { status?: AccessState['status']; role?: string } = {},
    ): Promise<Page<UserRow>> {
      await requireTenant(tenantId);
      const settings = await settingsOf(tenantId);
      const count = clampCount(input.count);
      const filter = filterOf('User', input.filter);
      const query = {
        resourceType: 'User',
        ...(filter ? { filter } : {}),
        ...(input.includeDeprovisioned ? { includeDeprovisioned: true } : {}),
      };
      const postFilter = input.status !== undefined || input.role !== undefined;
      const items: UserRow[] = [];
      let cursor = input.cursor;
      let total: number | undefined;
      // Status and role live beside the SCIM data, so they are matched here, scanning pages until
      // one page of rows is full (bounded by the scan limit).
      for (let scanned = 0; scanned < 100; scanned++) {
        const batch = await page(tenantId, query, postFilter ? Math.max(count, 200) : count, cursor);
        total = batch.total;
        for (const user of batch.resources) {
          const row = await userRow(tenantId, user, settings);
          if (input.status && row.status !== input.status) continue;
          if (input.role !== undefined && row.role !== input.role) continue;
          items.push(row);
        }
        cursor = batch.next;
        if (!postFilter || items.length >= count || !cursor) break;
      }
      return { items, ...(postFilter ? {} : { total }), ...(cursor ? { nextCursor: cursor } : {}) };
    },
    async getUser(tenantId: string, userRef: string): Promise<UserDetail> {
      await requireTenant(tenantId);
      const settings = await settingsOf(tenantId);
      const user = await findUser(tenantId, userRef);
      const { groups, resolution } = await resolveFor(tenantId, user, settings);
      return {
        row: await userRow(tenantId, user, settings),
        resource: withoutPassword(user),
        groups,
        resolution,
      };
    },
    async listGroups(tenantId: string, input: ListOptions = {}): Promise<Page<GroupRow>> {
      await requireTenant(tenantId);
      const filter = filterOf('Group', input.filter);
      const batch = await page(
        tenantId,
        { resourceType: 'Group', ...(filter ? { filter } : {}) },
        clampCount(input.count),
        input.cursor,
      );
      const items = await Promise.all(batch.resources.map((g) => groupRow(store, tenantId, g)));
      return { items, total: batch.total, ...(batch.next ? { nextCursor: batch.next } : {}) };
    },
    async getGroup(
      tenantId: string,
      ref: string,
      input: { membersAfter?: string; memberLimit?: number } = {},
    ): Promise<{ row: GroupRow; resource: StoredResource; members: MemberRef[]; nextMembers?: string }> {
      await requireTenant(tenantId);
      let group = await store.getResource(tenantId, 'Group', ref);
      if (!group) {
        const result = await store.queryResources(tenantId, {
          resourceType: 'Group',
          filter: parseFilter(`displayName eq ${JSON.stringify(ref)}`, { resourceType: 'Group' }),
          count: 1,
        });
        group = result.resources[0];
      }
      if (!group)
        throw new AdminError('not_found', `no group with id or displayName '${ref}' in tenant '${tenantId}'`);
      const members = await store.listMembers(tenantId, group.id, {
        ...(input.membersAfter ? { after: input.membersAfter } : {}),
        limit: clampCount(input.memberLimit ?? 100),
      });
      return {
        row: await groupRow(store, tenantId, group),
        resource: group,
        members: members.members,
        ...(members.next ? { nextMembers: members.next } : {}),
      };
    },

    // ---- journal
    async queryJournal(tenantId: string, filter: JournalFilter = {}): Promise<JournalEvent[]> {
      await requireTenant(tenantId);
      return store.readJournal(journalQuery(tenantId, filter));
    },
    /**
     * Yields journal events as they are committed, oldest first, until `signal` aborts. Without
     * `afterPosition` or `since` it starts after the newest existing event.
     */
    async *followJournal(
      tenantId: string,
      filter: JournalFilter,
      control: { signal: AbortSignal; pollIntervalMs?: number },
    ): AsyncGenerator<JournalEvent> {
      await requireTenant(tenantId);
      let after = filter.afterPosition;
      if (after === undefined && filter.since === undefined) {
        const [newest] = await store.readJournal({ tenantId, order: 'descending', limit: 1 });
        after = newest?.position ?? 0;
      }
      const interval = control.pollIntervalMs ?? 500;
      while (!control.signal.aborted) {
        const events = await store.readJournal(
          journalQuery(tenantId, {
            ...filter,
            order: 'ascending',
            limit: 500,
            ...(after !== undefined ? { afterPosition: after } : {}),
          }),
        );
        for (const event of events) {
          after = event.position;
          yield event;
        }
        if (events.length < 500) await abortableDelay(interval, control.signal);
      }
    },

    // ---- export / import
    exportTenant(tenantId: string, input: { includeJournal?: boolean } = {}): AsyncGenerator<ExportRecord> {
      return exportTenant(store, tenantId, input);
    },
    importTenant(records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>, input: ImportOptions = {}) {
      return importTenant(store, records, input);
    },
  };
}

// ---------------------------------------------------------------- export, import, migrate

/** Options of {@link importTenant}. */
export interface ImportOptions {
  /** Import under this tenant id instead of the exported one (its tokens are then not copied). */
  tenantId?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Expected totals, for the progress bar. */
  totals?: Partial<TenantCounts>;
}

/**
 * Streams a tenant as export records: tenant, role settings, credentials (hashes only), users,
 * groups, memberships, then the journal, and an `end` record with the counts.
 */
export async function* exportTenant(
  store: Store,
  tenantId: string,
  options: { includeJournal?: boolean } = {},
): AsyncGenerator<ExportRecord> {
  const tenant = await store.getTenant(tenantId);
  if (!tenant) throw new AdminError('not_found', `tenant '${tenantId}' does not exist`);
  const counts: TenantCounts = { users: 0, groups: 0, memberships: 0, credentials: 0, events: 0 };
  yield { kind: 'tenant', format: 1, tenant };
  const settings = await store.getRoleSettings(tenantId);
  if (settings) yield { kind: 'roleSettings', settings };
  for (const credential of await store.listCredentials(tenantId)) {
    counts.credentials++;
    yield { kind: 'credential', credential };
  }
  const groupIds: string[] = [];
  for (const resourceType of ['User', 'Group']) {
    for await (const resource of scanAll(store, tenantId, resourceType)) {
      if (resourceType === 'User') counts.users++;
      else {
        counts.groups++;
        groupIds.push(resource.id);
      }
      const { members: _members, ...rest } = resource;
      yield { kind: 'resource', resource: rest };
    }
  }
  for (const groupId of groupIds) {
    let after: string | undefined;
    for (let pages = 0; pages < 10_000_000; pages++) {
      const members = await store.listMembers(tenantId, groupId, {
        limit: 1000,
        ...(after ? { after } : {}),
      });
      if (members.members.length > 0) {
        counts.memberships += members.members.length;
        yield { kind: 'members', groupId, members: members.members };
      }
      if (!members.next) break;
      after = members.next;
    }
  }
  if (options.includeJournal ?? true) {
    let afterPosition = 0;
    for (let pages = 0; pages < 10_000_000; pages++) {
      const events = await store.readJournal({ tenantId, afterPosition, order: 'ascending', limit: 1000 });
      for (const { position, ...event } of events) {
        afterPosition = position;
        counts.events++;
        yield { kind: 'event', event };
      }
      if (events.length < 1000) break;
    }
  }
  yield { kind: 'end', counts };
}

/**
 * Writes export records into a store. Resumable: what the target already holds (same tenant,
 * credential id, resource id, membership, journal event id) is skipped, so an interrupted import or
 * migration is finished by running it again. Resource versions restart in the target; ids, data,
 * creation and modification times, deprovisioning and access state are kept.
 */
export async function importTenant(
  store: Store,
  records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  let tenantId: string | undefined;
  let renamed = false;
  let written = 0;
  let skipped = 0;
  let done = 0;
  let existingCredentials = new Set<string>();
  let seenEvents: Set<string> | undefined;
  const totalResources = options.totals
    ? (options.totals.users ?? 0) + (options.totals.groups ?? 0)
    : undefined;
  const progress = (phase: ImportProgress['phase'], total?: number) =>
    options.onProgress?.({ phase, done, ...(total !== undefined ? { total } : {}) });

  for await (const record of records) {
    if (record.kind === 'tenant') {
      if (record.format !== 1)
        throw new AdminError('invalid', `unsupported export format ${String(record.format)}`);
      tenantId = options.tenantId ?? record.tenant.id;
      renamed = tenantId !== record.tenant.id;
      if (await store.getTenant(tenantId)) skipped++;
      else {
        await store.createTenant({
          id: tenantId,
          name: record.tenant.name,
          createdAt: record.tenant.createdAt,
        });
        written++;
      }
      existingCredentials = new Set((await store.listCredentials(tenantId)).map((c) => c.id));
      progress('control');
      continue;
    }
    if (tenantId === undefined)
      throw new AdminError('invalid', 'the export does not start with a tenant record');
    switch (record.kind) {
      case 'roleSettings': {
        const current = await store.getRoleSettings(tenantId);
        if (current && JSON.stringify(current) === JSON.stringify(record.settings)) skipped++;
        else {
          await store.setRoleSettings(tenantId, record.settings);
          written++;
        }
        break;
      }
      case 'credential': {
        // A token authenticates one tenant: a copy under another id (likely in the same store) gets
        // its own tokens rather than sharing the original's.
        if (renamed || existingCredentials.has(record.credential.id)) {
          skipped++;
          break;
        }
        await store.createCredential({ ...record.credential, tenantId });
        written++;
        break;
      }
      case 'resource': {
        const r = record.resource;
        const existing = await store.getResource(tenantId, r.resourceType, r.id, {
          includeDeprovisioned: true,
        });
        if (existing) skipped++;
        else {
          await store.transaction(tenantId, async (tx) => {
            await tx.create({
              resourceType: r.resourceType,
              id: r.id,
              now: r.created,
              data: r.data,
              ...(r.access ? { access: r.access } : {}),
            });
            if (r.deprovisionedAt || r.lastModified !== r.created) {
              await tx.update({
                resourceType: r.resourceType,
                id: r.id,
                now: r.lastModified,
                ...(r.deprovisionedAt ? { deprovisionedAt: r.deprovisionedAt } : {}),
              });
            }
          });
          written++;
        }
        done++;
        progress('resources', totalResources);
        break;
      }
      case 'members': {
        const result = await store.transaction(tenantId, (tx) =>
          tx.applyMemberDelta(record.groupId, { add: record.members }),
        );
        written += result.added.length;
        skipped += record.members.length - result.added.length;
        progress('members');
        break;
      }
      case 'event': {
        if (!seenEvents) seenEvents = await journalIds(store, tenantId);
        // Journal event ids are unique across a whole store: a copy under another tenant id gets ids
        // derived from (tenant, original id), so it fits beside the original in the same store and a
        // re-run still recognises what it already wrote.
        const id = renamed ? copiedEventId(tenantId, record.event.id) : record.event.id;
        if (seenEvents.has(id)) {
          skipped++;
          break;
        }
        const event = { ...record.event, id, tenantId };
        await store.transaction(tenantId, (tx) => tx.appendEvents([event]));
        written++;
        progress('journal');
        break;
      }
      case 'end':
        break;
    }
  }
  if (tenantId === undefined) throw new AdminError('invalid', 'the export is empty (no tenant record)');
  return { tenantId, written, skipped, counts: await countTenant(store, tenantId) };
}

/**
 * Copies a tenant from one store to another (SQLite to MongoDB and back), resumably, then verifies
 * that users, groups, memberships, credentials and journal events have the same counts on both sides.
 */
export async function migrateTenant(input: {
  from: Store;
  to: Store;
  tenantId: string;
  includeJournal?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}): Promise<MigrationResult> {
  const source = await countTenant(input.from, input.tenantId);
  const result = await importTenant(
    input.to,
    exportTenant(input.from, input.tenantId, { includeJournal: input.includeJournal ?? true }),
    { totals: source, ...(input.onProgress ? { onProgress: input.onProgress } : {}) },
  );
  input.onProgress?.({ phase: 'verify', done: 0 });
  const target = result.counts;
  const mismatches = (Object.keys(source) as Array<keyof TenantCounts>)
    .filter((key) => (key === 'events' ? input.includeJournal !== false : true))
    .filter((key) => source[key] !== target[key])
    .map((key) => `${key}: source ${source[key]}, target ${target[key]}`);
  return { ...result, source, verified: mismatches.length === 0, mismatches };
}

/** Users (incl. deprovisioned), groups, memberships, credentials and journal events of a tenant. */
export async function countTenant(store: Store, tenantId: string): Promise<TenantCounts> {
  const counts: TenantCounts = {
    users: await store.countResources(tenantId, 'User', { includeDeprovisioned: true }),
    groups: await store.countResources(tenantId, 'Group', { includeDeprovisioned: true }),
    memberships: 0,
    credentials: (await store.listCredentials(tenantId)).length,
    events: (await journalIds(store, tenantId)).size,
  };
  for await (const group of scanAll(store, tenantId, 'Group')) {
    counts.memberships += await store.countMembers(tenantId, group.id);
  }
  return counts;
}

// ---------------------------------------------------------------- helpers

async function* scanAll(
  store: Store,
  tenantId: string,
  resourceType: string,
): AsyncGenerator<StoredResource> {
  const base = { resourceType, includeDeprovisioned: true, count: 500 } as const;
  if (store.capabilities.cursorPaging) {
    let cursor = '';
    for (let pages = 0; pages < 10_000_000; pages++) {
      const result = await store.queryResources(tenantId, { ...base, cursor });
      yield* result.resources;
      if (!result.nextCursor || result.resources.length === 0) return;
      cursor = result.nextCursor;
    }
    return;
  }
  let startIndex = 1;
  for (let pages = 0; pages < 10_000_000; pages++) {
    const result = await store.queryResources(tenantId, { ...base, startIndex });
    yield* result.resources;
    startIndex += result.resources.length;
    if (result.resources.length === 0 || startIndex > result.totalResults) return;
  }
}

/**
 * The name to show for a user: `displayName`, else `name.formatted`, else given and family name
 * (Okta sends only the latter by default).
 */
function personName(data: Record<string, unknown>): string | undefined {
  if (typeof data.displayName === 'string' && data.displayName.trim()) return data.displayName;
  const name = data.name as Record<string, unknown> | undefined;
  if (typeof name !== 'object' || name === null) return undefined;
  if (typeof name.formatted === 'string' && name.formatted.trim()) return name.formatted;
  const parts = [name.givenName, name.familyName].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** A UUID-shaped id for the copy of journal event `id` in tenant `tenantId`: the same on every run. */
function copiedEventId(tenantId: string, id: string): string {
  const hex = createHash('sha256').update(`${tenantId}\u0000${id}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function journalIds(store: Store, tenantId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let afterPosition = 0;
  for (let pages = 0; pages < 10_000_000; pages++) {
    const events = await store.readJournal({ tenantId, afterPosition, order: 'ascending', limit: 1000 });
    for (const event of events) {
      ids.add(event.id);
      afterPosition = event.position;
    }
    if (events.length < 1000) break;
  }
  return ids;
}

async function groupRow(store: Store, tenantId: string, group: StoredResource): Promise<GroupRow> {
  return {
    id: group.id,
    displayName: String(group.data.displayName ?? ''),
    ...(typeof group.data.externalId === 'string' ? { externalId: group.data.externalId } : {}),
    memberCount: await store.countMembers(tenantId, group.id),
    lastModified: group.lastModified,
  };
}

function tokenState(credential: Credential, at: Date): TokenView['state'] {
  if (credential.revokedAt && Date.parse(credential.revokedAt) <= at.getTime()) return 'revoked';
  if (credential.expiresAt && Date.parse(credential.expiresAt) <= at.getTime()) return 'expired';
  return 'active';
}

function tokenView(credential: Credential, at: Date): TokenView {
  return {
    id: credential.id,
    name: credential.name,
    kind: credential.kind,
    createdAt: credential.createdAt,
    ...(credential.expiresAt ? { expiresAt: credential.expiresAt } : {}),
    ...(credential.revokedAt ? { revokedAt: credential.revokedAt } : {}),
    ...(credential.lastUsedAt ? { lastUsedAt: credential.lastUsedAt } : {}),
    state: tokenState(credential, at),
  };
}

function validateSettings(settings: RoleSettings): void {
  const seen = new Set<string>();
  for (const role of settings.roles) {
    if (seen.has(role))
      throw new AdminError(
        'invalid',
        `role '${role}' is listed twice; each role appears once, highest privilege first`,
      );
    seen.add(role);
  }
  if (settings.defaultRole !== null && !settings.roles.includes(settings.defaultRole)) {
    throw new AdminError(
      'invalid',
      `default role '${settings.defaultRole}' is not one of the roles (${settings.roles.join(', ') || 'none'}); add it to the list or choose 'none'`,
    );
  }
}

function sameGroup(match: RoleMapping['match'], a: string, b: string): boolean {
  return match === 'displayName' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function clampCount(count: number | undefined): number {
  if (count === undefined) return 50;
  if (!Number.isInteger(count) || count < 1)
    throw new AdminError('invalid', 'count must be a positive integer');
  return Math.min(count, 1000);
}

function requireFutureTime(name: string, value: string, at: Date): void {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new AdminError('invalid', `${name} '${value}' is not an ISO 8601 time`);
  if (time <= at.getTime()) throw new AdminError('invalid', `${name} '${value}' is in the past`);
}

function journalQuery(tenantId: string, filter: JournalFilter) {
  for (const name of ['since', 'until'] as const) {
    const value = filter[name];
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      throw new AdminError(
        'invalid',
        `${name} '${value}' is not an ISO 8601 time (e.g. 2025-01-31T00:00:00Z)`,
      );
    }
  }
  return {
    tenantId,
    ...(filter.types?.length ? { types: filter.types } : {}),
    ...(filter.resourceId ? { resourceId: filter.resourceId } : {}),
    ...(filter.since ? { since: new Date(filter.since).toISOString() } : {}),
    ...(filter.until ? { until: new Date(filter.until).toISOString() } : {}),
    ...(filter.afterPosition !== undefined ? { afterPosition: filter.afterPosition } : {}),
    ...(filter.beforePosition !== undefined ? { beforePosition: filter.beforePosition } : {}),
    order: filter.order ?? 'descending',
    limit: clampCount(filter.limit),
  };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * A user for display (CLI, admin API): never its password, not even a hash. Export keeps it, so a
 * migrated tenant keeps its users' hashes.
 */
function withoutPassword(user: StoredResource): StoredResource {
  if (!('password' in user.data)) return user;
  const { password: _password, ...data } = user.data;
  return { ...user, data };
}
