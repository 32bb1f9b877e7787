import { changedAttributes, type LifecycleEvent, type LifecycleInput, lifecycleEvents } from '@scim/core';

/** A lifecycle event as the server journals it (`scim.<type>`): core's, or one of a custom type. */
export interface JournalledEvent extends Omit<LifecycleEvent, 'type'> {
  type: string;
}

/**
 * The events of one change, to be journalled. Users and groups get core's lifecycle events; a
 * resource type the product registered (for which core computes none) gets `<type>.created`,
 * `<type>.updated` (with `changedAttributes`) and `<type>.deleted`, the type in lower case, so that
 * every SCIM write lands in the audit log.
 *
 * @example
 * resourceEvents({ resourceType: 'Device', resourceId: 'd1', after: { schemas: [DEVICE], serial: 'S-1' } });
 * // [{ type: 'device.created', resourceType: 'Device', resourceId: 'd1' }]
 */
export function resourceEvents(input: LifecycleInput): JournalledEvent[] {
  const events: JournalledEvent[] = lifecycleEvents(input);
  const kind = input.resourceType.toLowerCase();
  if (kind === 'user' || kind === 'group') return events;
  const base = { resourceType: input.resourceType, resourceId: input.resourceId };
  if (input.deleted || input.deprovisioned) return [{ ...base, type: `${kind}.deleted` }, ...events];
  const { before, after } = input;
  if (after === undefined) return events;
  if (before === undefined) return [{ ...base, type: `${kind}.created` }, ...events];
  const changed =
    input.delta !== undefined ? [...input.delta.changedAttributes] : changedAttributes(before, after);
  if (changed.length === 0) return events;
  return [{ ...base, type: `${kind}.updated`, changedAttributes: changed }, ...events];
}
