/**
 * Admin operations the settings page needs that the shared admin service does not offer as one call.
 * Built only from the service's own operations, so the CLI and the page keep one set of rules.
 */
import type { RoleMapping } from '@scim/core';
import { AdminError } from '../admin/admin-error.ts';
import type { AdminService } from '../admin/service.ts';

/** A group-to-role mapping's identity: how it matches and the value it matches. */
export interface MappingKey {
  match: RoleMapping['match'];
  value: string;
}

const sameKey = (a: MappingKey, b: MappingKey): boolean =>
  a.match === b.match &&
  (a.match === 'displayName' ? a.value.toLowerCase() === b.value.toLowerCase() : a.value === b.value);

/**
 * Edits a mapping: changes its role, and possibly the group it matches. Changing only the role is one
 * `mapGroup`. Changing the group maps the new one first and then unmaps the old, so users of the old
 * group never pass through a moment without a mapping. 404 when `from` is not mapped; 409 when the new
 * group is already mapped by another row (edit that row instead).
 *
 * @example
 * await updateMapping(admin, 'default', { match: 'displayName', value: 'Eng' }, { match: 'displayName', value: 'Engineering', role: 'member' });
 */
export async function updateMapping(
  service: AdminService,
  tenantId: string,
  from: MappingKey,
  to: RoleMapping,
): Promise<Awaited<ReturnType<AdminService['mapGroup']>>> {
  const settings = await service.getRoleSettings(tenantId);
  if (!settings.mappings.some((m) => sameKey(m, from))) {
    throw new AdminError(
      'not_found',
      `no mapping for ${from.match}=${from.value}; it may have been removed (reload the page)`,
    );
  }
  if (sameKey(from, to)) return service.mapGroup(tenantId, to);
  if (settings.mappings.some((m) => sameKey(m, to))) {
    throw new AdminError('conflict', `${to.match}=${to.value} is already mapped; edit that mapping instead`);
  }
  await service.mapGroup(tenantId, to);
  return service.unmapGroup(tenantId, from);
}

/**
 * The SCIM filter behind the users and groups search boxes: a case-insensitive "contains" over the
 * names an admin types, or an exact match on id and externalId. Quotes and backslashes are escaped
 * (a SCIM string literal is a JSON string).
 *
 * @example
 * searchFilter('User', 'ali'); // 'userName co "ali" or displayName co "ali" or externalId eq "ali" or id eq "ali"'
 */
export function searchFilter(resourceType: 'User' | 'Group', text: string): string | undefined {
  const term = text.trim();
  if (!term) return undefined;
  const literal = JSON.stringify(term);
  const names = resourceType === 'User' ? ['userName', 'displayName'] : ['displayName'];
  return [...names.map((n) => `${n} co ${literal}`), `externalId eq ${literal}`, `id eq ${literal}`].join(
    ' or ',
  );
}

/**
 * Adds a mapping; unlike `mapGroup` (which replaces a mapping of the same group, as the CLI wants),
 * an "add" form must not silently overwrite a row the admin can see: 409 when the group is mapped.
 *
 * @example
 * await addMapping(admin, 'default', { match: 'displayName', value: 'Engineering', role: 'member' });
 */
export async function addMapping(
  service: AdminService,
  tenantId: string,
  mapping: RoleMapping,
): Promise<Awaited<ReturnType<AdminService['mapGroup']>>> {
  const settings = await service.getRoleSettings(tenantId);
  const existing = settings.mappings.find((m) => sameKey(m, mapping));
  if (existing) {
    throw new AdminError(
      'conflict',
      `${mapping.match}=${mapping.value} is already mapped to '${existing.role}'; edit that mapping instead`,
    );
  }
  return service.mapGroup(tenantId, mapping);
}
