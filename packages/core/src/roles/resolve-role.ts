import type { GroupRef, RoleMapping, RoleSettings } from '../store/types.js';

/**
 * The role resolver's answer: the effective role and status of a user and a human-readable reason.
 * Assignable to `AccessState`, so a store can persist it as it is.
 */
export interface RoleResolution {
  /** The effective role, `null` when the user has none. */
  role: string | null;
  status: 'active' | 'inactive';
  /** Why, in words an admin screen can show: `granted by group 'Admins' (mapping displayName=Admins -> admin)`. */
  reason: string;
  /** The group whose mapping granted the role, when a group did. */
  grantedBy?: GroupRef;
}

/** What the resolver needs to know about the user. */
export interface RoleResolverUser {
  /** The SCIM `active` attribute. Only an explicit `false` deactivates. */
  active?: boolean;
  /**
   * The value of the tenant's role attribute (`RoleSettings.roleAttribute`) as the identity
   * provider sent it, already read from the user by the caller. Ignored unless the settings name a
   * role attribute, and ignored when it is not one of `settings.roles` (compared case-insensitively).
   */
  roleAttribute?: string | null;
}

interface Candidate {
  role: string;
  rank: number;
  reason: string;
  grantedBy?: GroupRef;
}

/**
 * Resolves a user's effective role and status from the tenant's role settings, the user's `active`
 * flag and IdP role attribute, and the groups the user is a direct member of.
 *
 * Precedence, from strongest to weakest:
 * 1. `active: false` makes the user inactive whatever else holds; the role they would otherwise have
 *    is kept, so reactivation restores it.
 * 2. Among the roles granted by mapped groups and by a valid IdP role attribute, the one with the
 *    highest privilege (earliest in `settings.roles`) wins. On equal privilege a group beats the
 *    role attribute, and an earlier mapping beats a later one.
 * 3. Otherwise, with `deactivateUnmapped`, the user is inactive with no role.
 * 4. Otherwise the default role (possibly `null`) applies and the user is active.
 *
 * Mappings whose role is not in `settings.roles` are ignored (they cannot be ranked). Group
 * `displayName` matches case-insensitively; `externalId` and `id` match exactly.
 *
 * @example
 * resolveRole(
 *   { roles: ['admin', 'member'], defaultRole: 'member', deactivateUnmapped: false,
 *     mappings: [{ match: 'displayName', value: 'Admins', role: 'admin' }] },
 *   { active: true },
 *   [{ id: 'g1', displayName: 'admins' }],
 * ); // { role: 'admin', status: 'active', reason: "granted by group 'admins' (mapping displayName=Admins -> admin)", grantedBy: {...} }
 */
export function resolveRole(
  settings: RoleSettings,
  user: RoleResolverUser,
  groups: readonly GroupRef[],
): RoleResolution {
  const rankOf = (role: string): number => settings.roles.indexOf(role);

  let best: Candidate | undefined;
  for (const mapping of settings.mappings) {
    const rank = rankOf(mapping.role);
    if (rank < 0) continue;
    for (const group of groups) {
      if (!mappingMatches(mapping, group)) continue;
      if (best === undefined || rank < best.rank) {
        best = {
          role: mapping.role,
          rank,
          reason: `granted by group '${group.displayName}' (mapping ${mapping.match}=${mapping.value} -> ${mapping.role})`,
          grantedBy: { ...group },
        };
      }
    }
  }

  let attributeNote = '';
  if (
    settings.roleAttribute !== undefined &&
    typeof user.roleAttribute === 'string' &&
    user.roleAttribute !== ''
  ) {
    const wanted = user.roleAttribute.trim().toLowerCase();
    const rank = settings.roles.findIndex((role) => role.toLowerCase() === wanted);
    if (rank < 0) {
      attributeNote = ` (the identity provider's ${settings.roleAttribute} '${user.roleAttribute}' is not a known role)`;
    } else if (best === undefined || rank < best.rank) {
      const role = settings.roles[rank]!;
      best = { role, rank, reason: `granted by the identity provider's ${settings.roleAttribute} '${role}'` };
    }
  }

  let resolution: RoleResolution;
  if (best !== undefined) {
    resolution = { role: best.role, status: 'active', reason: best.reason };
    if (best.grantedBy !== undefined) resolution.grantedBy = best.grantedBy;
  } else if (settings.deactivateUnmapped) {
    resolution = {
      role: null,
      status: 'inactive',
      reason: `deactivated: in no mapped group${attributeNote}`,
    };
  } else if (settings.defaultRole === null) {
    resolution = {
      role: null,
      status: 'active',
      reason: `no role: in no mapped group and no default role${attributeNote}`,
    };
  } else {
    resolution = { role: settings.defaultRole, status: 'active', reason: `default role${attributeNote}` };
  }

  if (user.active === false) {
    resolution.status = 'inactive';
    resolution.reason = 'deactivated by the identity provider (active=false)';
  }
  return resolution;
}

function mappingMatches(mapping: RoleMapping, group: GroupRef): boolean {
  switch (mapping.match) {
    case 'displayName':
      return group.displayName.toLowerCase() === mapping.value.toLowerCase();
    case 'externalId':
      return group.externalId !== undefined && group.externalId === mapping.value;
    case 'id':
      return group.id === mapping.value;
    default:
      return false;
  }
}
