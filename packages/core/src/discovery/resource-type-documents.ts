import { ScimError } from '../errors/scim-error.js';
import type { ResourceTypeDefinition, SchemaRegistry } from '../schema/types.js';
import { SCHEMA_URNS } from '../schema/types.js';
import { joinUrl } from '../util/join-url.js';
import { type ListResponse, listResponse } from './list-response.js';

function toDocument(type: ResourceTypeDefinition, baseUrl: string): Record<string, unknown> {
  const json: Record<string, unknown> = {
    schemas: [SCHEMA_URNS.resourceType],
    id: type.name,
    name: type.name,
    endpoint: type.endpoint,
  };
  if (type.description !== undefined) json.description = type.description;
  json.schema = type.schema;
  // RFC 7643 8.6 omits schemaExtensions for a resource type without any (Group).
  if (type.schemaExtensions.length > 0) {
    json.schemaExtensions = type.schemaExtensions.map((extension) => ({
      schema: extension.schema,
      required: extension.required,
    }));
  }
  json.meta = { location: joinUrl(baseUrl, '/ResourceTypes', type.name), resourceType: 'ResourceType' };
  return json;
}

/**
 * One resource type as served at `/ResourceTypes/<name>` (RFC 7643 section 6, example 8.6), looked
 * up case-insensitively. Throws `ScimError` 404 for an unknown name.
 */
export function resourceTypeDocument(
  registry: SchemaRegistry,
  name: string,
  baseUrl: string,
): Record<string, unknown> {
  const type = registry.getResourceType(name);
  if (type === undefined) throw new ScimError(404, undefined, `Resource type "${name}" not found`);
  return toDocument(type, baseUrl);
}

/** The `/ResourceTypes` ListResponse of every resource type of the registry. */
export function resourceTypesResponse(
  registry: SchemaRegistry,
  baseUrl: string,
): ListResponse<Record<string, unknown>> {
  return listResponse(registry.listResourceTypes().map((type) => toDocument(type, baseUrl)));
}
