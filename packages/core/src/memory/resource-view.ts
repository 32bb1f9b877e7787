import type { FilterNode, FilterPath } from '../filter/ast.js';
import type { ScimResource } from '../schema/types.js';
import type { GroupRef, MemberRef, StoredResource } from '../store/types.js';

/**
 * The SCIM JSON a filter or sortBy sees for a stored resource: its data plus `id`, `meta`, and
 * (when given) a group's `members` or a user's `groups`.
 */
export function toResourceView(
  stored: StoredResource,
  related: { members?: readonly MemberRef[]; groups?: readonly GroupRef[] } = {},
): ScimResource {
  const view: ScimResource = {
    ...(stored.data as ScimResource),
    id: stored.id,
    meta: {
      resourceType: stored.resourceType,
      created: stored.created,
      lastModified: stored.lastModified,
      version: `W/"${stored.version}"`,
    },
  };
  if (related.members) {
    view.members = related.members.map((member) => ({ ...member }));
  }
  if (related.groups) {
    view.groups = related.groups.map((group) => ({
      value: group.id,
      display: group.displayName,
      type: 'direct',
    }));
  }
  return view;
}

/** Reads a key of an object the way SCIM names work: exactly, else case-insensitively. */
export function getAttribute(container: unknown, name: string): unknown {
  if (typeof container !== 'object' || container === null || Array.isArray(container)) return undefined;
  const record = container as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === lower) return record[key];
  }
  return undefined;
}

/** True when the filter reads the top-level attribute `name` anywhere (so a view needs it). */
export function filterMentions(filter: FilterNode, name: string): boolean {
  const lower = name.toLowerCase();
  const pathMentions = (path: FilterPath) => path.attribute.toLowerCase() === lower;
  switch (filter.op) {
    case 'and':
    case 'or':
      return filterMentions(filter.left, name) || filterMentions(filter.right, name);
    case 'not':
      return filterMentions(filter.filter, name);
    case 'valuePath':
      return pathMentions(filter.path) || filterMentions(filter.filter, name);
    default:
      return pathMentions(filter.path);
  }
}
