import type { AccessState, GroupRef, RoleSettings, Store, StoreTransaction } from '@scim/core';
import { lifecycleEvents, resolveRole } from '@scim/core';
import type { RoleResolution } from '@scim/core';
import type { WriteScope } from './write.js';

const NO_SETTINGS: RoleSettings = { roles: [], defaultRole: null, mappings: [], deactivateUnmapped: false };

function pickValue(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const primary = value.find(
      (item) => typeof item === 'object' && item !== null && (item as { primary?: unknown }).primary === true,
    );
    return pickValue(primary ?? value[0]);
  }
  if (typeof value === 'object') return pickValue((value as { value?: unknown }).value);
  return String(value);
}

function getCaseInsensitive(object: Record<string, unknown>, key: string): unknown {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(object)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * Reads the tenant's role attribute from a user's data: `roles`, `title`, `name.formatted` or a
 * URN-qualified extension path (`urn:acme:2.0:User:role`). Multi-valued attributes give their
 * primary (or first) `value`.
 */
export function readRoleAttribute(
  data: Record<string, unknown>,
  path: string | undefined,
): string | null | undefined {
  if (path === undefined || path === '') return undefined;
  let container: Record<string, unknown> = data;
  let attributePath = path;
  const colon = path.lastIndexOf(':');
  if (colon !== -1) {
    const urn = path.slice(0, colon);
    const extension = getCaseInsensitive(data, urn);
    if (typeof extension !== 'object' || extension === null) return undefined;
    container = extension as Record<string, unknown>;
    attributePath = path.slice(colon + 1);
  }
  const [attribute, sub] = attributePath.split('.');
  let value = getCaseInsensitive(container, attribute!);
  if (sub !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    value = getCaseInsensitive(value as Record<string, unknown>, sub);
  }
  return pickValue(value);
}

/** Resolves a user's access from settings, its data and its groups. */
export function accessFor(
  settings: RoleSettings | undefined,
  data: Record<string, unknown>,
  groups: readonly GroupRef[],
): RoleResolution {
  const effective = settings ?? NO_SETTINGS;
  return resolveRole(
    effective,
    { active: data.active !== false, roleAttribute: readRoleAttribute(data, effective.roleAttribute) },
    groups,
  );
}

/** The stored form of a resolution. */
export function toAccessState(resolution: RoleResolution): AccessState {
  return { role: resolution.role, status: resolution.status, reason: resolution.reason };
}

/** True when group membership can change anyone's access under these settings. */
export function membershipMatters(settings: RoleSettings | undefined): boolean {
  return settings !== undefined && (settings.mappings.length > 0 || settings.deactivateUnmapped);
}

function sameAccess(a: AccessState | undefined, b: AccessState): boolean {
  return a !== undefined && a.role === b.role && a.status === b.status && a.reason === b.reason;
}

/**
 * Recomputes the access of users whose groups changed, inside the write's transaction, and
 * records `role.changed` where the role or status moved.
 */
export async function refreshAccess(scope: WriteScope, userIds: Iterable<string>): Promise<void> {
  const settings = await scope.roleSettings();
  if (!membershipMatters(settings)) return;
  const seen = new Set<string>();
  for (const id of userIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    const user = await scope.tx.getResource('User', id);
    if (user === undefined) continue;
    const groups = await scope.tx.listGroupsOf(id);
    const access = toAccessState(accessFor(settings, user.data, groups));
    if (sameAccess(user.access, access)) continue;
    await scope.tx.update({ resourceType: 'User', id, now: scope.now, access });
    scope.record(
      lifecycleEvents({
        resourceType: 'User',
        resourceId: id,
        accessBefore: user.access,
        accessAfter: access,
      }),
    );
  }
}

/** Recomputes a user's access within a transaction (for admin tools and tests). */
export async function computeAccessInTx(
  tx: StoreTransaction,
  userId: string,
): Promise<RoleResolution | undefined> {
  const user = await tx.getResource('User', userId);
  if (user === undefined) return undefined;
  return accessFor(await tx.getRoleSettings(), user.data, await tx.listGroupsOf(userId));
}

/**
 * Explains a user's effective role and status for admin screens: the role resolver's answer for
 * the user's current data, groups and the tenant's role settings (deprovisioned users included).
 */
export async function explainAccess(
  store: Store,
  tenantId: string,
  userId: string,
): Promise<RoleResolution | undefined> {
  const user = await store.getResource(tenantId, 'User', userId, { includeDeprovisioned: true });
  if (user === undefined) return undefined;
  const [settings, groups] = await Promise.all([
    store.getRoleSettings(tenantId),
    store.listGroupsOf(tenantId, userId),
  ]);
  const resolution = accessFor(settings, user.data, groups);
  if (user.deprovisionedAt !== undefined) {
    return {
      ...resolution,
      status: 'inactive',
      reason: `deprovisioned at ${user.deprovisionedAt}; ${resolution.reason}`,
    };
  }
  return resolution;
}
