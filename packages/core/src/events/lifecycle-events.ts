import { changedAttributes } from '../patch/changed-attributes.js';
import type { PatchDelta } from '../patch/types.js';
import type { ScimResource } from '../schema/types.js';
import type { AccessState, MemberRef } from '../store/types.js';

/** The lifecycle event types. The server journals each as `scim.<type>`. */
export type LifecycleEventType =
  | 'user.provisioned'
  | 'user.updated'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'user.deleted'
  | 'group.created'
  | 'group.updated'
  | 'group.members_added'
  | 'group.members_removed'
  | 'group.deleted'
  | 'role.changed';

/** One lifecycle event, ready to be journalled (the caller adds id, tenant and time). */
export interface LifecycleEvent {
  type: LifecycleEventType;
  resourceType: string;
  resourceId: string;
  /** For `*.updated`: the attribute paths that changed (see `changedAttributes`). */
  changedAttributes?: string[];
  /** Event-specific data: `memberIds`, `oldRole`/`newRole`, `cause`, ... Never secrets. */
  data?: Record<string, unknown>;
}

/** The input of `lifecycleEvents`: one change of one resource. */
export interface LifecycleInput {
  /** `User`, `Group` or a custom type (custom types produce no events but `role.changed`). */
  resourceType: string;
  resourceId: string;
  /** The resource before the change; absent for a creation. */
  before?: ScimResource;
  /** The resource after the change; absent for a deletion or deprovisioning. */
  after?: ScimResource;
  /** The PATCH delta, when the change was a PATCH: its `changedAttributes` and `members` are used. */
  delta?: PatchDelta;
  /**
   * The membership change as the store really applied it (what `applyMemberDelta` returned).
   * Preferred over `delta.members`, which after a replace cannot know the removed ids.
   */
  members?: { added: string[]; removed: string[] };
  /** The user's access before and after; a difference in role or status yields `role.changed`. */
  accessBefore?: AccessState;
  accessAfter?: AccessState;
  /** True for a hard delete. */
  deleted?: boolean;
  /** True when this change deprovisioned (soft-deleted) the user. */
  deprovisioned?: boolean;
  /** True when this change restored a deprovisioned user (for example a POST that re-linked it). */
  restored?: boolean;
}

/**
 * Computes the lifecycle events of one change:
 *
 * - User: `user.provisioned` on creation; `user.deleted` on a hard delete; `user.deactivated` on
 *   deprovisioning or when `active` turns false; `user.reactivated` on restoring or when `active`
 *   turns true again; `user.updated` (with `changedAttributes`) when any attribute changed.
 * - Group: `group.created`, `group.updated` (attributes other than `members`), `group.deleted`,
 *   `group.members_added` / `group.members_removed` with `data.memberIds`.
 * - Any type: `role.changed` with `data.oldRole`, `newRole`, `oldStatus`, `newStatus` and `reason`
 *   when `accessBefore` and `accessAfter` differ in role or status. A user's first access is
 *   reported in `user.provisioned`'s data rather than as a role change.
 *
 * @example
 * lifecycleEvents({ resourceType: 'User', resourceId: 'u1', before: { schemas, active: true }, after: { schemas, active: false } });
 * // [{ type: 'user.updated', changedAttributes: ['active'], ... }, { type: 'user.deactivated', data: { cause: 'active=false' }, ... }]
 */
export function lifecycleEvents(input: LifecycleInput): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  const base = { resourceType: input.resourceType, resourceId: input.resourceId };
  const kind = input.resourceType.toLowerCase();

  if (kind === 'user') userEvents(input, base, events);
  else if (kind === 'group') groupEvents(input, base, events);

  const { accessBefore, accessAfter } = input;
  if (
    accessBefore !== undefined &&
    accessAfter !== undefined &&
    (accessBefore.role !== accessAfter.role || accessBefore.status !== accessAfter.status)
  ) {
    events.push({
      ...base,
      type: 'role.changed',
      data: {
        oldRole: accessBefore.role,
        newRole: accessAfter.role,
        oldStatus: accessBefore.status,
        newStatus: accessAfter.status,
        reason: accessAfter.reason,
      },
    });
  }
  return events;
}

type Base = { resourceType: string; resourceId: string };

function userEvents(input: LifecycleInput, base: Base, events: LifecycleEvent[]): void {
  if (input.deleted) {
    events.push({ ...base, type: 'user.deleted' });
    return;
  }
  if (input.deprovisioned) {
    events.push({ ...base, type: 'user.deactivated', data: { cause: 'deprovisioned' } });
    return;
  }
  const { before, after } = input;
  if (after === undefined) return;
  if (before === undefined && !input.restored) {
    const data: Record<string, unknown> = { active: after.active !== false };
    if (input.accessAfter !== undefined) {
      data.role = input.accessAfter.role;
      data.status = input.accessAfter.status;
    }
    events.push({ ...base, type: 'user.provisioned', data });
    return;
  }

  const changed = before === undefined ? [] : updatedAttributes(input, before, after);
  if (changed.length > 0) events.push({ ...base, type: 'user.updated', changedAttributes: changed });

  const wasActive = before === undefined || before.active !== false;
  const isActive = after.active !== false;
  if (input.restored) {
    if (isActive) events.push({ ...base, type: 'user.reactivated', data: { cause: 'restored' } });
  } else if (wasActive && !isActive) {
    events.push({ ...base, type: 'user.deactivated', data: { cause: 'active=false' } });
  } else if (!wasActive && isActive) {
    events.push({ ...base, type: 'user.reactivated', data: { cause: 'active=true' } });
  }
}

function groupEvents(input: LifecycleInput, base: Base, events: LifecycleEvent[]): void {
  if (input.deleted || input.deprovisioned) {
    events.push({ ...base, type: 'group.deleted' });
    return;
  }
  const { before, after } = input;
  if (after === undefined) return;
  if (before === undefined) {
    events.push({ ...base, type: 'group.created' });
  } else {
    const changed = updatedAttributes(input, before, after).filter((path) => path !== 'members');
    if (changed.length > 0) events.push({ ...base, type: 'group.updated', changedAttributes: changed });
  }

  const { added, removed, replaced } = memberChange(input, before, after);
  if (added.length > 0) {
    const data: Record<string, unknown> = { memberIds: added };
    if (replaced) data.replaced = true;
    events.push({ ...base, type: 'group.members_added', data });
  }
  if (removed.length > 0)
    events.push({ ...base, type: 'group.members_removed', data: { memberIds: removed } });
}

function updatedAttributes(input: LifecycleInput, before: ScimResource, after: ScimResource): string[] {
  return input.delta !== undefined ? [...input.delta.changedAttributes] : changedAttributes(before, after);
}

function memberChange(
  input: LifecycleInput,
  before: ScimResource | undefined,
  after: ScimResource,
): { added: string[]; removed: string[]; replaced: boolean } {
  if (input.members !== undefined) {
    return { added: [...input.members.added], removed: [...input.members.removed], replaced: false };
  }
  const fromDelta = input.delta?.members;
  if (fromDelta !== undefined) {
    return {
      added: fromDelta.added.map((member) => member.value),
      removed: [...fromDelta.removed],
      replaced: fromDelta.replaced,
    };
  }
  const beforeIds = memberIds(before);
  const afterIds = memberIds(after);
  return {
    added: [...afterIds].filter((id) => !beforeIds.has(id)),
    removed: [...beforeIds].filter((id) => !afterIds.has(id)),
    replaced: false,
  };
}

function memberIds(resource: ScimResource | undefined): Set<string> {
  const members = resource?.members;
  if (!Array.isArray(members)) return new Set();
  return new Set(
    (members as Partial<MemberRef>[])
      .map((member) => member?.value)
      .filter((value): value is string => typeof value === 'string'),
  );
}
