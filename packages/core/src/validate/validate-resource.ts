import { ScimError } from '../errors/scim-error.js';
import { commonAttributes } from '../schema/common-attributes.js';
import { defaultSchemaRegistry } from '../schema/registry.js';
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaDefinition,
  SchemaRegistry,
  ScimResource,
} from '../schema/types.js';
import { splitAttributePath } from '../schema/urn-path.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { describeValue } from './describe-value.js';
import { keepImmutableElements, keepImmutableSubAttributes } from './immutable.js';
import { matchKeys } from './match-keys.js';
import { validateAttributeValue } from './validate-value.js';
import { valuesEqual } from './values-equal.js';

/** Options of `validateResource`. */
export interface ValidateResourceOptions {
  /** @default defaultSchemaRegistry */
  registry?: SchemaRegistry;
  /** The resource type the body is for, e.g. `User`. */
  resourceType: string;
  /** `create` for POST, `replace` for PUT (immutable attributes are then checked against `existing`). */
  mode: 'create' | 'replace';
  /** The current resource, for `replace`: immutable values must not change; writeOnly and immutable values the body omits are kept. */
  existing?: ScimResource;
  /**
   * Reject unknown attributes (400 invalidSyntax) instead of dropping them, and enforce canonicalValues.
   * @default false
   */
  strict?: boolean;
}

interface SchemaInput {
  schema: SchemaDefinition;
  /** Values by definition, from the schema's object and URN-qualified top-level keys. */
  values: Map<AttributeDefinition, unknown>;
  /** True when the body carried the extension (object or qualified key). */
  present: boolean;
}

function lowerMap<T>(entries: Iterable<[string, T]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [key, value] of entries) map.set(key.toLowerCase(), value);
  return map;
}

function readSchemas(
  body: Record<string, unknown>,
  type: ResourceTypeDefinition,
  allowed: Map<string, SchemaDefinition>,
  registry: SchemaRegistry,
  strict: boolean,
): string[] {
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === 'schemas');
  const raw = key === undefined ? undefined : body[key];
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `The request body must have a "schemas" list that includes "${type.schema}"; got ${raw === undefined ? 'none' : describeValue(raw)}`,
    );
  }
  const result: string[] = [];
  for (const urn of raw) {
    if (typeof urn !== 'string') {
      throw new ScimError(
        400,
        'invalidSyntax',
        `Every entry of "schemas" must be a schema URN string; got ${describeValue(urn)}`,
      );
    }
    const schema = allowed.get(urn.trim().toLowerCase());
    // Microsoft Entra ID lists "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
    // in a group's schemas (documented request). Such a non-URN URI names no SCIM schema and carries no
    // attributes, so outside strict mode it is left out; an unknown `urn:` is a schema the client
    // expects us to honour, and stays a 400 (issue 3: unknown extension URN -> invalidSyntax).
    const isUrn = urn.trim().toLowerCase().startsWith('urn:');
    if (schema === undefined && !strict && !isUrn && registry.getSchema(urn.trim()) === undefined) continue;
    if (schema === undefined) {
      throw new ScimError(
        400,
        'invalidSyntax',
        `Schema "${urn}" is not a schema of resource type ${type.name}; allowed: ${[...allowed.values()].map((s) => s.id).join(', ')}`,
      );
    }
    if (!result.includes(schema.id)) result.push(schema.id);
  }
  if (!result.includes(type.schema)) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `"schemas" must include the core schema "${type.schema}" of resource type ${type.name}`,
    );
  }
  // Core first, then extensions in the resource type's order, so that output is deterministic.
  const order = [...allowed.values()].map((schema) => schema.id);
  return result.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/**
 * Turns an incoming POST or PUT body into a canonical resource, or throws the `ScimError` that tells
 * the client what to fix.
 *
 * - Attribute names and schema URNs are matched case-insensitively and returned canonical.
 * - Values are coerced where IdPs send strings ("True" -> true, "42" -> 42) and type-checked:
 *   400 invalidValue names the attribute.
 * - readOnly input (`id`, `meta`, User `groups`, `manager.displayName`) is ignored.
 * - Missing required attributes -> 400 invalidValue; more than one `primary: true` -> 400 invalidValue.
 * - `schemas` must list the resource type's core schema; an unknown URN in `schemas` or as a key, a
 *   schema of another resource type in `schemas`, or (when `strict`) any unknown URI in `schemas` ->
 *   400 invalidSyntax; otherwise a non-URN URI in `schemas` that no registered schema has is left out
 *   of the result (Entra ID sends one when it creates groups); an extension sent without its URN in
 *   `schemas` gets it added.
 * - On `replace`, changing an immutable value that is set -> 400 mutability, including an immutable
 *   sub-attribute of an element of a multi-valued complex attribute (elements matched by `value`).
 * - Unknown attributes are dropped, or rejected (400 invalidSyntax) when `strict`.
 *
 * The result has `schemas` and attributes (extensions under their URN), never `id` or `meta`.
 */
export function validateResource(body: unknown, options: ValidateResourceOptions): ScimResource {
  const registry = options.registry ?? defaultSchemaRegistry;
  const strict = options.strict ?? false;
  const type = registry.getResourceType(options.resourceType);
  if (type === undefined) throw new TypeError(`Unknown resource type "${options.resourceType}"`);
  if (!isPlainObject(body)) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `The request body must be a JSON object; got ${describeValue(body)}`,
    );
  }
  const schemaList = registry.schemasOf(type.name);
  const allowed = lowerMap(schemaList.map((schema) => [schema.id, schema] as [string, SchemaDefinition]));
  const schemas = readSchemas(body, type, allowed, registry, strict);

  const inputs = new Map<string, SchemaInput>();
  for (const schema of schemaList) inputs.set(schema.id, { schema, values: new Map(), present: false });
  const core = inputs.get(type.schema) as SchemaInput;
  const coreDefinitions = [...commonAttributes, ...core.schema.attributes];
  const topLevel: Record<string, unknown> = {};
  const coreQualified = new Map<AttributeDefinition, unknown>();

  const put = (
    target: Map<AttributeDefinition, unknown>,
    definition: AttributeDefinition,
    value: unknown,
    where: string,
  ): void => {
    if (target.has(definition)) {
      throw new ScimError(
        400,
        'invalidSyntax',
        `Attribute "${definition.name}"${where} is given twice; send it once`,
      );
    }
    target.set(definition, value);
  };

  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas') continue;
    const value = body[key];
    if (!lower.startsWith('urn:')) {
      topLevel[key] = value;
      continue;
    }
    const reference = splitAttributePath(registry, type.name, key);
    if (reference === undefined || reference.schema === undefined) {
      throw new ScimError(
        400,
        'invalidSyntax',
        `"${key}" is not a schema of resource type ${type.name}; allowed: ${schemaList.map((s) => s.id).join(', ')}`,
      );
    }
    const target = inputs.get(reference.schema) as SchemaInput;
    const where = ` of schema ${target.schema.id}`;
    const definitions = target === core ? coreDefinitions : target.schema.attributes;
    const values = target === core ? coreQualified : target.values;
    if (reference.attribute === '') {
      if (value === null) continue;
      if (!isPlainObject(value)) {
        throw new ScimError(
          400,
          'invalidSyntax',
          `"${target.schema.id}" must be an object of its attributes; got ${describeValue(value)}`,
        );
      }
      const matched = matchKeys(value, definitions, where);
      if (strict && matched.unknown.length > 0) {
        throw new ScimError(400, 'invalidSyntax', `Unknown attribute "${matched.unknown[0]}"${where}`);
      }
      for (const [definition, inner] of matched.values) put(values, definition, inner, where);
      target.present = true;
      continue;
    }
    // A URN-qualified attribute sent as a top-level key: `"urn:...:enterprise:2.0:User:department": "R&D"`.
    const definition =
      reference.subAttribute === undefined
        ? definitions.find((candidate) => candidate.name.toLowerCase() === reference.attribute.toLowerCase())
        : undefined;
    if (definition === undefined) {
      if (strict)
        throw new ScimError(400, 'invalidSyntax', `Unknown attribute "${key}"; send attributes by name`);
      continue;
    }
    put(values, definition, value, where);
    target.present = true;
  }

  const coreMatch = matchKeys(topLevel, coreDefinitions, '');
  if (strict && coreMatch.unknown.length > 0) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `Unknown attribute "${coreMatch.unknown[0]}" for resource type ${type.name}`,
    );
  }
  const coreValues = new Map(coreMatch.values);
  for (const [definition, value] of coreQualified) put(coreValues, definition, value, '');

  const existing = options.mode === 'replace' ? options.existing : undefined;
  const resource: ScimResource = { schemas };
  const build = (
    definitions: readonly AttributeDefinition[],
    values: Map<AttributeDefinition, unknown>,
    previous: Record<string, unknown> | undefined,
    prefix: string,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const definition of definitions) {
      if (definition.mutability === 'readOnly') continue;
      const path = `${prefix}${definition.name}`;
      const value = validateAttributeValue(values.get(definition), definition, { path, strict });
      const before = previous?.[definition.name];
      if (definition.mutability === 'immutable' && before !== undefined && before !== null) {
        if (value === undefined) {
          out[definition.name] = before;
          continue;
        }
        if (!valuesEqual(value, before, definition)) {
          throw new ScimError(
            400,
            'mutability',
            `Attribute "${path}" is immutable and cannot be changed once set`,
          );
        }
      }
      if (definition.type === 'complex' && value !== undefined) {
        if (!definition.multiValued) {
          keepImmutableSubAttributes(definition, value as Record<string, unknown>, before, path);
        } else if (definition.mutability !== 'immutable') {
          keepImmutableElements(definition, value as unknown[], before, path);
        }
      }
      if (value === undefined) {
        // A PUT from an IdP never carries the password back: keep what is stored instead of erasing it.
        if (definition.mutability === 'writeOnly' && before !== undefined && before !== null)
          out[definition.name] = before;
        continue;
      }
      out[definition.name] = value;
    }
    for (const definition of definitions) {
      if (definition.required && definition.mutability !== 'readOnly' && !(definition.name in out)) {
        throw new ScimError(400, 'invalidValue', `Attribute "${prefix}${definition.name}" is required`);
      }
    }
    return out;
  };

  Object.assign(resource, build(coreDefinitions, coreValues, existing, ''));
  for (const extension of type.schemaExtensions) {
    const input = inputs.get(registry.getSchema(extension.schema)?.id ?? extension.schema);
    if (input === undefined) continue;
    const previousRaw = existing?.[input.schema.id];
    const previous = isPlainObject(previousRaw) ? previousRaw : undefined;
    if (!input.present && previous === undefined) {
      if (extension.required) {
        throw new ScimError(
          400,
          'invalidValue',
          `Extension "${input.schema.id}" is required for resource type ${type.name}`,
        );
      }
      continue;
    }
    const built = build(input.schema.attributes, input.values, previous, `${input.schema.id}:`);
    if (Object.keys(built).length === 0) {
      if (extension.required) {
        throw new ScimError(
          400,
          'invalidValue',
          `Extension "${input.schema.id}" is required for resource type ${type.name}`,
        );
      }
      continue;
    }
    resource[input.schema.id] = built;
    if (!resource.schemas.includes(input.schema.id)) resource.schemas.push(input.schema.id);
  }
  return resource;
}
