import { defaultSchemaRegistry } from '../schema/registry.js';
import type { SchemaRegistry, ScimResource } from '../schema/types.js';
import type { GroupRef, MemberRef, StoredResource } from '../store/types.js';
import { joinUrl } from '../util/join-url.js';
import { formatEtag } from './etag.js';

/** Options of `toScimResource`. */
export interface ToScimResourceOptions {
  /** The absolute public base URL of the SCIM API, e.g. `https://example.com/scim/v2`. */
  baseUrl: string;
  /** @default defaultSchemaRegistry */
  registry?: SchemaRegistry;
  /** For a User: the groups it is a direct member of, rendered as the readOnly `groups` attribute. */
  groups?: readonly GroupRef[];
}

/** `meta` as RFC 7643 3.1 defines it. */
export interface ScimMeta {
  resourceType: string;
  created: string;
  lastModified: string;
  location: string;
  version: string;
}

/** The URL of a resource: `<baseUrl><endpoint>/<id>`. */
export function resourceLocation(baseUrl: string, endpoint: string, id: string): string {
  return joinUrl(baseUrl, endpoint, id);
}

/**
 * Builds the `meta` of a stored resource: resource type, created and lastModified times, location
 * and version as a weak ETag.
 */
export function buildMeta(
  stored: StoredResource,
  options: { baseUrl: string; registry?: SchemaRegistry },
): ScimMeta {
  const registry = options.registry ?? defaultSchemaRegistry;
  const type = registry.getResourceType(stored.resourceType);
  if (type === undefined) throw new TypeError(`Unknown resource type "${stored.resourceType}"`);
  return {
    resourceType: type.name,
    created: stored.created,
    lastModified: stored.lastModified,
    location: resourceLocation(options.baseUrl, type.endpoint, stored.id),
    version: formatEtag(stored.version),
  };
}

/**
 * Turns a stored resource into its SCIM JSON: `schemas`, `id`, the attributes of `data`, a group's
 * `members` with `$ref` (when the store loaded them), a user's `groups` (when given), and `meta`
 * { resourceType, created, lastModified, location, version }. Every stored attribute is kept,
 * `returned: never` ones such as `password` included (so the result can serve as `existing` for a
 * PUT); always pass it through `projectResource` before it leaves the server.
 */
export function toScimResource(stored: StoredResource, options: ToScimResourceOptions): ScimResource {
  const registry = options.registry ?? defaultSchemaRegistry;
  const type = registry.getResourceType(stored.resourceType);
  if (type === undefined) throw new TypeError(`Unknown resource type "${stored.resourceType}"`);
  const dataSchemas = stored.data.schemas;
  const schemas = Array.isArray(dataSchemas)
    ? dataSchemas.filter((schema): schema is string => typeof schema === 'string')
    : [type.schema];
  const resource: ScimResource = { schemas, id: stored.id };
  for (const [key, value] of Object.entries(stored.data)) {
    if (key === 'schemas' || key === 'id' || key === 'meta') continue;
    // Entries of `data` come from validation (canonical names only); defineProperty keeps even an
    // unexpected `__proto__` key a harmless own property, and a plain assignment (much cheaper,
    // this runs for every attribute of every resource returned) does for every other key.
    if (key === '__proto__') {
      Object.defineProperty(resource, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      resource[key] = value;
    }
  }
  const members = membersJson(stored, options.baseUrl, registry);
  if (members !== undefined) resource.members = members;
  const groups = groupsJson(options.groups, options.baseUrl, registry);
  if (groups !== undefined) resource.groups = groups;
  resource.meta = buildMeta(stored, { baseUrl: options.baseUrl, registry });
  return resource;
}

/** A group's `members` as SCIM JSON (with `$ref`), or undefined when the store loaded none. */
export function membersJson(
  stored: StoredResource,
  baseUrl: string,
  registry: SchemaRegistry,
): Record<string, unknown>[] | undefined {
  if (stored.members === undefined || stored.members.length === 0) return undefined;
  return stored.members.map((member) => memberJson(member, baseUrl, registry));
}

/** A user's `groups` as SCIM JSON, or undefined when there are none. */
export function groupsJson(
  groups: readonly GroupRef[] | undefined,
  baseUrl: string,
  registry: SchemaRegistry,
): Record<string, unknown>[] | undefined {
  if (groups === undefined || groups.length === 0) return undefined;
  const endpoint = registry.getResourceType('Group')?.endpoint ?? '/Groups';
  return groups.map((group) => ({
    value: group.id,
    $ref: resourceLocation(baseUrl, endpoint, group.id),
    display: group.displayName,
    type: 'direct',
  }));
}

function memberJson(member: MemberRef, baseUrl: string, registry: SchemaRegistry): Record<string, unknown> {
  const endpoint =
    registry.getResourceType(member.type)?.endpoint ?? (member.type === 'Group' ? '/Groups' : '/Users');
  const json: Record<string, unknown> = {
    value: member.value,
    $ref: resourceLocation(baseUrl, endpoint, member.value),
    type: member.type,
  };
  if (member.display !== undefined) json.display = member.display;
  return json;
}
