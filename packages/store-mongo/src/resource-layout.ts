import type { AttributeDefinition, SchemaDefinition, SchemaRegistry } from '@scim/core';
import { parseDateTime } from '@scim/core';
import { encodeFieldKey } from './field-key.js';

/** A sort key as stored: `h` marks that the resource has a value (missing values sort last). */
export interface StoredSortKey {
  h: 1;
  v: unknown;
}

/** Where a top-level attribute of a resource type lives and how it is defined. */
export interface TopLevelAttribute {
  definition: AttributeDefinition;
  /** The owning schema URN when the attribute lives in an extension. */
  extension?: string;
}

/** The stores' view of one resource type: how its data becomes query, sort and unique fields. */
export interface ResourceLayout {
  readonly resourceType: string;
  /** Top-level attributes that must be unique per tenant (userName for users, plus `uniqueness: server|global`). */
  readonly uniqueAttributes: readonly UniqueAttribute[];
  /** The normalised mirror of `data` that every filter is compiled against (`_s`). */
  searchMirror(data: Record<string, unknown>): Record<string, unknown>;
  /** One sort key per attribute path the resource has a value for (`_sort`). */
  sortKeys(data: Record<string, unknown>): Record<string, StoredSortKey>;
  /** The normalised values of the unique attributes the resource has (`_u`). */
  uniqueKeys(data: Record<string, unknown>): Record<string, unknown>;
}

/** A top-level attribute whose value is unique per tenant and resource type. */
export interface UniqueAttribute {
  /** The field name under `_u`. */
  key: string;
  /** The attribute as a client writes it (URN-qualified for extensions). */
  attribute: string;
  topLevel: TopLevelAttribute;
}

/**
 * Normalises a leaf value the way filters compare it: strings lower-cased unless caseExact,
 * dateTimes as epoch milliseconds (chronological, sub-millisecond digits kept as a fraction),
 * everything else as is. Returns undefined for "no value".
 */
export function normaliseLeaf(
  value: unknown,
  leaf: Pick<AttributeDefinition, 'type' | 'caseExact'>,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    if (leaf.type === 'dateTime') return parseDateTime(value) ?? value;
    if (!leaf.caseExact) return value.toLowerCase();
  }
  return value;
}

/** The sort value of a leaf as the reference store orders it: numbers, then strings; null when missing. */
export function sortValueOf(
  value: unknown,
  leaf: Pick<AttributeDefinition, 'type' | 'caseExact'>,
): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  if (leaf.type === 'dateTime') {
    const time = parseDateTime(value);
    if (time !== undefined) return time;
  }
  if (leaf.type === 'integer' || leaf.type === 'decimal') {
    const number = Number(value);
    if (!Number.isNaN(number)) return number;
  }
  return leaf.caseExact ? value : value.toLowerCase();
}

function findAttribute(
  attributes: readonly AttributeDefinition[] | undefined,
  name: string,
): AttributeDefinition | undefined {
  if (attributes === undefined) return undefined;
  const exact = attributes.find((attribute) => attribute.name === name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  return attributes.find((attribute) => attribute.name.toLowerCase() === lower);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function mirrorSingle(value: unknown, definition: AttributeDefinition): unknown {
  if (definition.type === 'complex') {
    if (!isPlainObject(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, subValue] of Object.entries(value)) {
      const sub = findAttribute(definition.subAttributes, name);
      if (sub === undefined) continue;
      const normalised =
        sub.multiValued && Array.isArray(subValue)
          ? subValue.map((item) => normaliseLeaf(item, sub)).filter((item) => item !== undefined)
          : normaliseLeaf(subValue, sub);
      if (normalised !== undefined) out[encodeFieldKey(sub.name)] = normalised;
    }
    return out;
  }
  return normaliseLeaf(value, definition);
}

/** Normalises one attribute value (multi-valued ones always become arrays). */
export function mirrorValue(value: unknown, definition: AttributeDefinition): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const out = items.map((item) => mirrorSingle(item, definition)).filter((item) => item !== undefined);
    return out.length === 0 ? undefined : out;
  }
  return mirrorSingle(value, definition);
}

/**
 * Builds the layout of a resource type from the registry. Attributes the registry does not know are
 * kept in `data` but never mirrored (a filter on them fails to resolve before it reaches the store).
 */
export function createResourceLayout(registry: SchemaRegistry, resourceType: string): ResourceLayout {
  const schemas: readonly SchemaDefinition[] = registry.getResourceType(resourceType)
    ? registry.schemasOf(resourceType)
    : [];
  const core = schemas[0];
  const extensions = schemas.slice(1);

  const topLevel = (key: string, value: unknown): TopLevelAttribute | undefined => {
    if (isPlainObject(value) && extensions.some((schema) => schema.id.toLowerCase() === key.toLowerCase())) {
      return undefined;
    }
    const definition =
      findAttribute(core?.attributes, key) ?? registry.resolve(resourceType, { attribute: key })?.definition;
    return definition === undefined ? undefined : { definition };
  };

  // Walks data as (field key, top-level attribute, value), extensions flattened with their URN.
  const each = (
    data: Record<string, unknown>,
    visit: (fieldKey: string, attribute: TopLevelAttribute, value: unknown, path: string) => void,
  ): void => {
    for (const [key, value] of Object.entries(data)) {
      if (key === 'schemas') continue;
      const extension = extensions.find((schema) => schema.id.toLowerCase() === key.toLowerCase());
      if (extension !== undefined && isPlainObject(value)) {
        for (const [name, extValue] of Object.entries(value)) {
          const definition = findAttribute(extension.attributes, name);
          if (definition === undefined) continue;
          visit(
            encodeFieldKey(definition.name),
            { definition, extension: extension.id },
            extValue,
            `${extension.id}:${definition.name}`,
          );
        }
        continue;
      }
      const attribute = topLevel(key, value);
      if (attribute !== undefined)
        visit(encodeFieldKey(attribute.definition.name), attribute, value, attribute.definition.name);
    }
  };

  const uniqueAttributes: UniqueAttribute[] = [];
  for (const schema of schemas) {
    const extension = schema === core ? undefined : schema.id;
    for (const definition of schema.attributes) {
      const forced = resourceType === 'User' && definition.name === 'userName' && extension === undefined;
      if (definition.multiValued || definition.type === 'complex' || definition.name === 'id') continue;
      if (!forced && definition.uniqueness === 'none') continue;
      const attribute = extension === undefined ? definition.name : `${extension}:${definition.name}`;
      uniqueAttributes.push({
        key: encodeFieldKey(attribute),
        attribute,
        topLevel: extension === undefined ? { definition } : { definition, extension },
      });
    }
  }

  return {
    resourceType,
    uniqueAttributes,
    searchMirror(data) {
      const out: Record<string, unknown> = {};
      each(data, (fieldKey, attribute, value) => {
        const mirrored = mirrorValue(value, attribute.definition);
        if (mirrored === undefined) return;
        if (attribute.extension === undefined) {
          out[fieldKey] = mirrored;
          return;
        }
        const extensionKey = encodeFieldKey(attribute.extension);
        const container = (out[extensionKey] ?? {}) as Record<string, unknown>;
        container[fieldKey] = mirrored;
        out[extensionKey] = container;
      });
      return out;
    },
    sortKeys(data) {
      const out: Record<string, StoredSortKey> = {};
      const put = (path: string, value: unknown, leaf: AttributeDefinition): void => {
        const v = sortValueOf(value, leaf);
        if (v !== null) out[encodeFieldKey(path)] = { h: 1, v };
      };
      each(data, (_fieldKey, attribute, value, path) => {
        const { definition } = attribute;
        // RFC 7644 3.4.2.3: a multi-valued attribute sorts by its primary value, else its first.
        let single = value;
        if (Array.isArray(value)) {
          single =
            value.find((item) => isPlainObject(item) && (item as { primary?: unknown }).primary === true) ??
            value[0];
        }
        if (definition.type !== 'complex') {
          put(path, single, definition);
          return;
        }
        if (!isPlainObject(single)) return;
        for (const sub of definition.subAttributes ?? []) {
          const key = Object.keys(single).find((name) => name.toLowerCase() === sub.name.toLowerCase());
          if (key !== undefined) put(`${path}.${sub.name}`, single[key], sub);
        }
      });
      return out;
    },
    uniqueKeys(data) {
      const out: Record<string, unknown> = {};
      for (const unique of uniqueAttributes) {
        let value: unknown;
        if (unique.topLevel.extension === undefined) {
          const key = Object.keys(data).find(
            (name) => name.toLowerCase() === unique.topLevel.definition.name.toLowerCase(),
          );
          value = key === undefined ? undefined : data[key];
        } else {
          const extensionKey = Object.keys(data).find(
            (name) => name.toLowerCase() === unique.topLevel.extension?.toLowerCase(),
          );
          const container = extensionKey === undefined ? undefined : data[extensionKey];
          if (isPlainObject(container)) {
            const key = Object.keys(container).find(
              (name) => name.toLowerCase() === unique.topLevel.definition.name.toLowerCase(),
            );
            value = key === undefined ? undefined : container[key];
          }
        }
        // RFC 7643: userName is case-insensitive whatever a registry says.
        const leaf =
          unique.attribute === 'userName'
            ? { ...unique.topLevel.definition, caseExact: false }
            : unique.topLevel.definition;
        const normalised = normaliseLeaf(value, leaf);
        if (normalised !== undefined) out[unique.key] = normalised;
      }
      return out;
    },
  };
}
