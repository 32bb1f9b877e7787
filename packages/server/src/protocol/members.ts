import type { MemberRef, Store, StoreTransaction } from '@scim/core';
import { ScimError, SCHEMA_URNS, splitAttributeList } from '@scim/core';

function topAttribute(path: string, schemaPrefix: string): string {
  let p = path.trim().toLowerCase();
  if (p.startsWith(schemaPrefix)) p = p.slice(schemaPrefix.length);
  return p.split(/[.[]/)[0] ?? '';
}

/**
 * Whether a response needs an attribute that costs a read of its own (a group's `members`, a
 * user's `groups`), given `attributes` / `excludedAttributes`: only when it is not excluded and,
 * if `attributes` is given, when it names it.
 */
export function wantsAttribute(
  name: string,
  attributes: string | undefined,
  excludedAttributes: string | undefined,
  coreSchema: string,
): boolean {
  const prefix = `${coreSchema}:`.toLowerCase();
  const included = splitAttributeList(attributes);
  if (included.length > 0) return included.some((path) => topAttribute(path, prefix) === name);
  return !splitAttributeList(excludedAttributes).some((path) => topAttribute(path, prefix) === name);
}

/** Whether a response shows a user's groups (the list and the single-resource answers alike). */
export function wantsGroups(attributes: string | undefined, excludedAttributes: string | undefined): boolean {
  return wantsAttribute('groups', attributes, excludedAttributes, SCHEMA_URNS.user);
}

/** Whether a response needs a group's members. */
export function wantsMembers(
  attributes: string | undefined,
  excludedAttributes: string | undefined,
): boolean {
  return wantsAttribute('members', attributes, excludedAttributes, SCHEMA_URNS.group);
}

/** Reads every member of a group, page by page (keyset). */
export async function loadAllMembers(store: Store, tenantId: string, groupId: string): Promise<MemberRef[]> {
  const members: MemberRef[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listMembers(
      tenantId,
      groupId,
      after === undefined ? { limit: 1000 } : { after, limit: 1000 },
    );
    members.push(...page.members);
    if (page.next === undefined || page.members.length === 0) return members;
    after = page.next;
  }
}

function displayOf(data: Record<string, unknown>): string | undefined {
  const display = data.displayName ?? data.userName;
  return typeof display === 'string' ? display : undefined;
}

/**
 * Turns member values from a request into `MemberRef`s of existing resources: each must name an
 * existing User or Group (its `type`, if given, must agree). Duplicates are merged.
 *
 * `userTypeIsDefault`: the members come from core's PATCH delta, which types a member that named
 * no type as `User`; such a `User` that is no user may then be a group, as in a POST.
 */
export async function resolveMembers(
  tx: StoreTransaction,
  members: readonly unknown[],
  options: { userTypeIsDefault?: boolean } = {},
): Promise<MemberRef[]> {
  const out = new Map<string, MemberRef>();
  for (const [index, member] of members.entries()) {
    const raw = member as { value?: unknown; type?: unknown; display?: unknown } | null;
    const value = typeof raw === 'string' ? raw : raw?.value;
    if (typeof value !== 'string' || value === '') {
      throw new ScimError(400, 'invalidValue', `members[${index}].value must be the id of a User or Group`);
    }
    if (out.has(value)) continue;
    const declared =
      typeof raw === 'object' && typeof raw?.type === 'string' ? raw.type.toLowerCase() : undefined;
    if (declared !== undefined && declared !== 'user' && declared !== 'group') {
      throw new ScimError(
        400,
        'invalidValue',
        `members[${index}].type must be "User" or "Group", not "${raw?.type}"`,
      );
    }
    let ref: MemberRef | undefined;
    if (declared !== 'group') {
      const user = await tx.getResource('User', value);
      if (user)
        ref = { value, type: 'User', ...(displayOf(user.data) ? { display: displayOf(user.data)! } : {}) };
    }
    if (ref === undefined && (declared !== 'user' || options.userTypeIsDefault === true)) {
      const group = await tx.getResource('Group', value);
      if (group)
        ref = { value, type: 'Group', ...(displayOf(group.data) ? { display: displayOf(group.data)! } : {}) };
    }
    if (ref === undefined) {
      throw new ScimError(
        400,
        'invalidValue',
        `members[${index}]: no ${declared === 'group' ? 'Group' : declared === 'user' && options.userTypeIsDefault !== true ? 'User' : 'User or Group'} with id "${value}" exists`,
      );
    }
    out.set(value, ref);
  }
  return [...out.values()];
}
