import { ScimError } from '../errors/scim-error.js';
import type { AttributeDefinition, SchemaDefinition, SchemaRegistry } from '../schema/types.js';
import { SCHEMA_URNS } from '../schema/types.js';
import { joinUrl } from '../util/join-url.js';
import { type ListResponse, listResponse } from './list-response.js';

/** An attribute as RFC 7643 section 7 publishes it, in the key order of the 8.7.1 examples. */
function attributeDocument(attribute: AttributeDefinition): Record<string, unknown> {
  const json: Record<string, unknown> = { name: attribute.name, type: attribute.type };
  if (attribute.referenceTypes !== undefined) json.referenceTypes = [...attribute.referenceTypes];
  json.multiValued = attribute.multiValued;
  if (attribute.description !== undefined) json.description = attribute.description;
  json.required = attribute.required;
  if (attribute.subAttributes !== undefined)
    json.subAttributes = attribute.subAttributes.map(attributeDocument);
  json.caseExact = attribute.caseExact;
  if (attribute.canonicalValues !== undefined) json.canonicalValues = [...attribute.canonicalValues];
  json.mutability = attribute.mutability;
  json.returned = attribute.returned;
  json.uniqueness = attribute.uniqueness;
  return json;
}

function toDocument(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  const json: Record<string, unknown> = { schemas: [SCHEMA_URNS.schema], id: schema.id, name: schema.name };
  if (schema.description !== undefined) json.description = schema.description;
  json.attributes = schema.attributes.map(attributeDocument);
  // Schema URNs go into the path as they are (colons are legal there), as RFC 7643 8.7.1 shows.
  json.meta = { resourceType: 'Schema', location: `${joinUrl(baseUrl, '/Schemas')}/${schema.id}` };
  return json;
}

/**
 * One schema as served at `/Schemas/<urn>` (RFC 7643 section 7, example 8.7.1), looked up
 * case-insensitively. Throws `ScimError` 404 for an unknown schema.
 */
export function schemaDocument(
  registry: SchemaRegistry,
  id: string,
  baseUrl: string,
): Record<string, unknown> {
  const schema = registry.getSchema(id);
  if (schema === undefined) throw new ScimError(404, undefined, `Schema "${id}" not found`);
  return toDocument(schema, baseUrl);
}

/** The `/Schemas` ListResponse: every schema of the registry, each with `meta.resourceType: "Schema"` and its location. */
export function schemasResponse(
  registry: SchemaRegistry,
  baseUrl: string,
): ListResponse<Record<string, unknown>> {
  return listResponse(registry.listSchemas().map((schema) => toDocument(schema, baseUrl)));
}
