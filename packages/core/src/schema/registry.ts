import { commonAttributes } from './common-attributes.js';
import { defineSchema } from './define.js';
import { enterpriseUserSchema } from './enterprise-user-schema.js';
import { groupSchema } from './group-schema.js';
import { groupResourceType, userResourceType } from './resource-types.js';
import type {
  AttributeDefinition,
  AttributeReference,
  RegistryAdditions,
  ResolvedAttribute,
  ResourceTypeDefinition,
  SchemaDefinition,
  SchemaRegistry,
} from './types.js';
import { userSchema } from './user-schema.js';

const lower = (text: string): string => text.toLowerCase();

function findAttribute(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const wanted = lower(name);
  return attributes.find((attribute) => lower(attribute.name) === wanted);
}

function normaliseEndpoint(endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  return lower(trimmed.startsWith('/') ? trimmed : `/${trimmed}`);
}

interface RegistryState {
  schemas: readonly SchemaDefinition[];
  resourceTypes: readonly ResourceTypeDefinition[];
}

class Registry implements SchemaRegistry {
  readonly #schemas: readonly SchemaDefinition[];
  readonly #resourceTypes: readonly ResourceTypeDefinition[];
  readonly #schemaById = new Map<string, SchemaDefinition>();
  readonly #typeByName = new Map<string, ResourceTypeDefinition>();
  readonly #typeByEndpoint = new Map<string, ResourceTypeDefinition>();
  readonly #typeByCoreSchema = new Map<string, ResourceTypeDefinition>();

  constructor(state: RegistryState) {
    this.#schemas = Object.freeze([...state.schemas]);
    this.#resourceTypes = Object.freeze([...state.resourceTypes]);
    for (const schema of this.#schemas) this.#schemaById.set(lower(schema.id), schema);
    for (const type of this.#resourceTypes) {
      if (!this.#schemaById.has(lower(type.schema))) {
        throw new TypeError(`Resource type "${type.name}" uses unknown schema ${type.schema}`);
      }
      for (const extension of type.schemaExtensions) {
        if (!this.#schemaById.has(lower(extension.schema))) {
          throw new TypeError(
            `Resource type "${type.name}" uses unknown extension schema ${extension.schema}`,
          );
        }
        if (lower(extension.schema) === lower(type.schema)) {
          throw new TypeError(`Resource type "${type.name}" lists its core schema as an extension`);
        }
      }
      const endpoint = normaliseEndpoint(type.endpoint);
      const clash = this.#typeByEndpoint.get(endpoint);
      if (clash !== undefined) {
        throw new TypeError(
          `Resource types "${clash.name}" and "${type.name}" share endpoint ${type.endpoint}`,
        );
      }
      this.#typeByName.set(lower(type.name), type);
      this.#typeByEndpoint.set(endpoint, type);
      this.#typeByCoreSchema.set(lower(type.schema), type);
    }
  }

  getSchema(id: string): SchemaDefinition | undefined {
    return this.#schemaById.get(lower(id));
  }

  listSchemas(): readonly SchemaDefinition[] {
    return this.#schemas;
  }

  getResourceType(name: string): ResourceTypeDefinition | undefined {
    return this.#typeByName.get(lower(name));
  }

  getResourceTypeByEndpoint(endpoint: string): ResourceTypeDefinition | undefined {
    return this.#typeByEndpoint.get(normaliseEndpoint(endpoint));
  }

  listResourceTypes(): readonly ResourceTypeDefinition[] {
    return this.#resourceTypes;
  }

  resourceTypeForSchemas(schemas: readonly string[]): ResourceTypeDefinition | undefined {
    for (const schema of schemas) {
      const type = this.#typeByCoreSchema.get(lower(schema));
      if (type !== undefined) return type;
    }
    return undefined;
  }

  schemasOf(resourceType: string): readonly SchemaDefinition[] {
    const type = this.getResourceType(resourceType);
    if (type === undefined) return [];
    const result: SchemaDefinition[] = [];
    for (const id of [type.schema, ...type.schemaExtensions.map((extension) => extension.schema)]) {
      const schema = this.getSchema(id);
      if (schema !== undefined) result.push(schema);
    }
    return result;
  }

  resolve(resourceType: string, path: AttributeReference): ResolvedAttribute | undefined {
    const type = this.getResourceType(resourceType);
    if (type === undefined) return undefined;
    const core = this.getSchema(type.schema);
    if (core === undefined) return undefined;

    let schema: SchemaDefinition | undefined;
    let definition: AttributeDefinition | undefined;
    if (path.schema !== undefined && path.schema !== '') {
      schema = this.schemasOf(type.name).find(
        (candidate) => lower(candidate.id) === lower(path.schema ?? ''),
      );
      if (schema === undefined) return undefined;
      definition = findAttribute(schema.attributes, path.attribute);
      // Common attributes may be qualified with the core schema URN (`urn:...:User:id`).
      if (definition === undefined && schema === core)
        definition = findAttribute(commonAttributes, path.attribute);
    } else {
      definition =
        findAttribute(commonAttributes, path.attribute) ?? findAttribute(core.attributes, path.attribute);
      schema = core;
      if (definition === undefined) {
        // An unqualified name that only an extension defines is accepted when exactly one does.
        const matches: [SchemaDefinition, AttributeDefinition][] = [];
        for (const extension of this.schemasOf(type.name).slice(1)) {
          const found = findAttribute(extension.attributes, path.attribute);
          if (found !== undefined) matches.push([extension, found]);
        }
        if (matches.length === 1 && matches[0] !== undefined) [schema, definition] = matches[0];
      }
    }
    if (definition === undefined) return undefined;

    let leaf = definition;
    let subAttribute: string | undefined;
    if (path.subAttribute !== undefined) {
      const sub = findAttribute(definition.subAttributes ?? [], path.subAttribute);
      if (sub === undefined) return undefined;
      leaf = sub;
      subAttribute = sub.name;
    }
    const resolved: ResolvedAttribute = {
      schema: schema.id,
      extension: schema !== core,
      attribute: definition.name,
      definition,
      leaf,
    };
    if (subAttribute !== undefined) resolved.subAttribute = subAttribute;
    return resolved;
  }

  extend(additions: RegistryAdditions): SchemaRegistry {
    const schemas = [...this.#schemas];
    for (const schema of additions.schemas ?? []) {
      // Re-run the definition checks so that hand-written literals get the same guarantees as built-ins.
      const checked = defineSchema(schema);
      const index = schemas.findIndex((existing) => lower(existing.id) === lower(checked.id));
      if (index >= 0) schemas[index] = checked;
      else schemas.push(checked);
    }
    const resourceTypes = [...this.#resourceTypes];
    for (const type of additions.resourceTypes ?? []) {
      const copy: ResourceTypeDefinition = { ...type, schemaExtensions: [...(type.schemaExtensions ?? [])] };
      const index = resourceTypes.findIndex((existing) => lower(existing.name) === lower(type.name));
      if (index >= 0) resourceTypes[index] = copy;
      else resourceTypes.push(copy);
    }
    for (const [name, extensions] of Object.entries(additions.extensions ?? {})) {
      const index = resourceTypes.findIndex((existing) => lower(existing.name) === lower(name));
      const type = resourceTypes[index];
      if (type === undefined)
        throw new TypeError(`Cannot attach extensions to unknown resource type "${name}"`);
      const merged = [...type.schemaExtensions];
      for (const extension of extensions) {
        const at = merged.findIndex((existing) => lower(existing.schema) === lower(extension.schema));
        if (at >= 0) merged[at] = { schema: extension.schema, required: extension.required };
        else merged.push({ schema: extension.schema, required: extension.required });
      }
      resourceTypes[index] = { ...type, schemaExtensions: merged };
    }
    return new Registry({ schemas, resourceTypes });
  }
}

/** The built-in registry: User (with the optional Enterprise User extension) and Group. */
export const defaultSchemaRegistry: SchemaRegistry = new Registry({
  schemas: [userSchema, enterpriseUserSchema, groupSchema],
  resourceTypes: [userResourceType, groupResourceType],
});

/**
 * Creates a registry holding the built-in User, EnterpriseUser and Group schemas plus the given
 * additions: extension schemas attached to existing resource types, or whole custom resource types.
 * What you add behaves exactly like the built-ins in validation, filters, projection and discovery.
 * Throws a `TypeError` for an inconsistent definition (unknown schema, illegal attribute name).
 *
 * @example
 * const registry = createSchemaRegistry({
 *   schemas: [
 *     defineSchema({
 *       id: 'urn:acme:params:scim:schemas:extension:product:2.0:User',
 *       name: 'ProductUser',
 *       attributes: [
 *         { name: 'role', type: 'string' },
 *         { name: 'quotaBytes', type: 'integer' },
 *       ],
 *     }),
 *   ],
 *   extensions: { User: [{ schema: 'urn:acme:params:scim:schemas:extension:product:2.0:User', required: false }] },
 * });
 */
export function createSchemaRegistry(additions?: RegistryAdditions): SchemaRegistry {
  return additions === undefined ? defaultSchemaRegistry : defaultSchemaRegistry.extend(additions);
}
