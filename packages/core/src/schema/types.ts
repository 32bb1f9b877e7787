/** RFC 7643 2.3 attribute data types. */
export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

/** RFC 7643 7 `mutability`. */
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
/** RFC 7643 7 `returned`. */
export type Returned = 'always' | 'never' | 'default' | 'request';
/** RFC 7643 7 `uniqueness`. */
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute with every RFC 7643 characteristic, as published by `/Schemas`. */
export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description?: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: readonly string[];
  referenceTypes?: readonly string[];
  subAttributes?: readonly AttributeDefinition[];
}

/** A schema (RFC 7643 7): a URN id and its attributes. */
export interface SchemaDefinition {
  id: string;
  name: string;
  description?: string;
  attributes: readonly AttributeDefinition[];
}

/** A resource type (RFC 7643 6). */
export interface ResourceTypeDefinition {
  /** The resource type's name and id, for example `User`. */
  name: string;
  /** The endpoint relative to the base URL, for example `/Users`. */
  endpoint: string;
  description?: string;
  /** The core schema URN. */
  schema: string;
  schemaExtensions: readonly { schema: string; required: boolean }[];
}

/**
 * An attribute path as written by a client, before or after resolution: `userName`,
 * `name.givenName`, `urn:...:enterprise:2.0:User:manager.value`, `meta.lastModified`.
 */
export interface AttributeReference {
  /** The schema URN when the path was URN-qualified (canonical once resolved). */
  schema?: string;
  attribute: string;
  subAttribute?: string;
}

/**
 * What the registry knows of an attribute path of a resource type: the canonical names and the
 * definitions of the top-level attribute and, for a sub-attribute path, of the leaf.
 */
export interface ResolvedAttribute {
  /** The URN of the schema the attribute belongs to; common attributes (`id`, `externalId`, `meta`) report the resource type's core schema. */
  schema: string;
  /** True when the attribute lives in an extension schema (stored under the URN key of the resource). */
  extension: boolean;
  /** Canonical top-level attribute name. */
  attribute: string;
  /** Canonical sub-attribute name, when the path has one. */
  subAttribute?: string;
  /** The top-level attribute's definition. */
  definition: AttributeDefinition;
  /** The leaf definition: the sub-attribute's when there is one, otherwise the same as `definition`. */
  leaf: AttributeDefinition;
}

/**
 * The registry of schemas and resource types: the built-in User, EnterpriseUser and Group, plus
 * whatever a product registers. Immutable: `extend` returns a new registry.
 */
export interface SchemaRegistry {
  getSchema(id: string): SchemaDefinition | undefined;
  listSchemas(): readonly SchemaDefinition[];
  getResourceType(name: string): ResourceTypeDefinition | undefined;
  /** Case-insensitive lookup by endpoint (`/Users` or `Users`). */
  getResourceTypeByEndpoint(endpoint: string): ResourceTypeDefinition | undefined;
  listResourceTypes(): readonly ResourceTypeDefinition[];
  /** The resource type whose core schema is among `schemas` (case-insensitive URNs). */
  resourceTypeForSchemas(schemas: readonly string[]): ResourceTypeDefinition | undefined;
  /** Every schema URN a resource of this type may carry: core first, then extensions. */
  schemasOf(resourceType: string): readonly SchemaDefinition[];
  /**
   * Resolves a path of a resource type, case-insensitively, including common attributes
   * (`id`, `externalId`, `meta.*`) and URN-qualified extension paths. Undefined when unknown.
   */
  resolve(resourceType: string, path: AttributeReference): ResolvedAttribute | undefined;
  /** A new registry with the given schemas and resource types added (or extensions attached). */
  extend(additions: RegistryAdditions): SchemaRegistry;
}

/** What `SchemaRegistry.extend` takes. */
export interface RegistryAdditions {
  schemas?: readonly SchemaDefinition[];
  resourceTypes?: readonly ResourceTypeDefinition[];
  /** Attach extension schemas to existing resource types, e.g. `{ User: [{ schema: 'urn:acme:...', required: false }] }`. */
  extensions?: Readonly<Record<string, readonly { schema: string; required: boolean }[]>>;
}

/** The well-known URNs. */
export const SCHEMA_URNS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** A SCIM resource as JSON: `schemas`, `id`, `meta` and the attributes (extensions under their URN). */
export type ScimResource = { schemas: string[]; id?: string; [key: string]: unknown };
