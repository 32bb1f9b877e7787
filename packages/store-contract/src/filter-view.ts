import type { NewResource, ScimResource, StoredResource } from '@scim/core';

/**
 * The SCIM JSON that `evaluateFilter` is run on for a stored resource: its data plus `id`, `meta`
 * (`resourceType`, `created`, `lastModified`) and, for a group read with `includeMembers`, its
 * `members`. A `NewResource` (as `generateResources` returns) is viewed as freshly created: both
 * times are its `now` and its members are the initial ones.
 *
 * @example
 * const view = toFilterView(generateResources(7, 10)[0]!);
 * evaluateFilter('userName pr', view, { registry: contractRegistry(), resourceType: 'User' });
 */
export function toFilterView(resource: StoredResource | NewResource): ScimResource {
  const stored = 'version' in resource;
  const view: ScimResource = {
    ...(resource.data as ScimResource),
    id: resource.id,
    meta: {
      resourceType: resource.resourceType,
      created: stored ? resource.created : resource.now,
      lastModified: stored ? resource.lastModified : resource.now,
    },
  };
  if (resource.resourceType === 'Group') {
    view.members = (resource.members ?? []).map((member) => ({ ...member }));
  }
  return view;
}
