import type { AttributeDefinition, SchemaRegistry } from '@scim/core';
import { fold } from './connection.js';

/** The values the store keeps beside a resource's JSON so that hot lookups hit an index. */
export interface DerivedValues {
  /** Folded `userName` of a User. */
  userNameCi: string | null;
  externalId: string | null;
  /** Folded top-level `displayName`. */
  displayNameCi: string | null;
  /** Rows of `value_index`: each (path, normalised value) once. */
  indexed: { path: string; value: string }[];
  /** Rows of `unique_values`: the values the schema marks unique (besides userName). */
  unique: { scope: string; attribute: string; value: string }[];
}

/** A top-level singular attribute the registry marks `uniqueness: server | global`. */
interface UniqueAttribute {
  /** Key in the data: the attribute name, under `urn` for an extension. */
  urn: string | undefined;
  name: string;
  /** The name reported in a conflict. */
  label: string;
  scope: 'server' | 'global';
  caseExact: boolean;
}

/** A multi-valued sub-attribute kept in `value_index`. */
interface IndexedPath {
  key: string;
  urn: string | undefined;
  attribute: string;
  subAttribute: string;
  caseExact: boolean;
}

/**
 * Computes a resource's derived values from its data and the schema registry. Unique attributes
 * and indexed paths are looked up once per resource type and cached.
 */
export class DerivedValuesComputer {
  readonly #registry: SchemaRegistry | undefined;
  readonly #indexedPaths: readonly string[];
  readonly #uniqueByType = new Map<string, UniqueAttribute[]>();
  readonly #indexedByType = new Map<string, IndexedPath[]>();

  constructor(registry: SchemaRegistry | undefined, indexedPaths: readonly string[]) {
    this.#registry = registry;
    this.#indexedPaths = indexedPaths;
  }

  compute(resourceType: string, data: Record<string, unknown>): DerivedValues {
    const userName = data.userName;
    const externalId = data.externalId;
    const displayName = data.displayName;
    const derived: DerivedValues = {
      userNameCi: resourceType === 'User' && typeof userName === 'string' ? fold(userName) : null,
      externalId: typeof externalId === 'string' ? externalId : null,
      displayNameCi: typeof displayName === 'string' ? fold(displayName) : null,
      indexed: [],
      unique: [],
    };
    for (const path of this.#indexedOf(resourceType)) {
      const container = path.urn === undefined ? data : data[path.urn];
      const elements = isRecord(container) ? container[path.attribute] : undefined;
      if (!Array.isArray(elements)) continue;
      const seen = new Set<string>();
      for (const element of elements) {
        const value = isRecord(element) ? element[path.subAttribute] : undefined;
        if (typeof value !== 'string') continue;
        const norm = path.caseExact ? value : fold(value);
        if (seen.has(norm)) continue;
        seen.add(norm);
        derived.indexed.push({ path: path.key, value: norm });
      }
    }
    for (const attribute of this.#uniqueOf(resourceType)) {
      const container = attribute.urn === undefined ? data : data[attribute.urn];
      const value = isRecord(container) ? container[attribute.name] : undefined;
      if (value === undefined || value === null || value === '') continue;
      const norm =
        typeof value === 'string' ? (attribute.caseExact ? value : fold(value)) : JSON.stringify(value);
      derived.unique.push({
        scope: attribute.scope === 'global' ? '*' : resourceType,
        attribute: attribute.label,
        value: norm,
      });
    }
    return derived;
  }

  /** The attribute names of the unique attributes of a type (for messages and tests). */
  uniqueAttributes(resourceType: string): string[] {
    return this.#uniqueOf(resourceType).map((attribute) => attribute.label);
  }

  /** The canonical keys of the indexed paths that exist in a type (`emails.value`). */
  indexedKeys(resourceType: string): ReadonlySet<string> {
    return new Set(this.#indexedOf(resourceType).map((path) => path.key));
  }

  #uniqueOf(resourceType: string): UniqueAttribute[] {
    const cached = this.#uniqueByType.get(resourceType);
    if (cached !== undefined) return cached;
    const found: UniqueAttribute[] = [];
    const schemas = this.#registry?.schemasOf(resourceType) ?? [];
    schemas.forEach((schema, index) => {
      const urn = index === 0 ? undefined : schema.id;
      for (const attribute of schema.attributes) {
        if (!isUniqueCandidate(attribute)) continue;
        // A User's userName has its own unique column; id and meta are not part of the data.
        if (urn === undefined && (attribute.name === 'id' || attribute.name === 'meta')) continue;
        if (urn === undefined && attribute.name === 'userName' && resourceType === 'User') continue;
        found.push({
          urn,
          name: attribute.name,
          label: urn === undefined ? attribute.name : `${urn}:${attribute.name}`,
          scope: attribute.uniqueness === 'global' ? 'global' : 'server',
          caseExact: attribute.caseExact,
        });
      }
    });
    this.#uniqueByType.set(resourceType, found);
    return found;
  }

  #indexedOf(resourceType: string): IndexedPath[] {
    const cached = this.#indexedByType.get(resourceType);
    if (cached !== undefined) return cached;
    const found: IndexedPath[] = [];
    for (const key of this.#indexedPaths) {
      const dot = key.lastIndexOf('.');
      if (dot <= 0) continue;
      const head = key.slice(0, dot);
      const subAttribute = key.slice(dot + 1);
      const colon = head.lastIndexOf(':');
      const schema = colon === -1 ? undefined : head.slice(0, colon);
      const attribute = colon === -1 ? head : head.slice(colon + 1);
      const resolved = this.#registry?.resolve(resourceType, {
        ...(schema === undefined ? {} : { schema }),
        attribute,
        subAttribute,
      });
      if (resolved === undefined || !resolved.definition.multiValued || resolved.subAttribute === undefined)
        continue;
      const canonicalKey = `${resolved.extension ? `${resolved.schema}:` : ''}${resolved.attribute}.${resolved.subAttribute}`;
      found.push({
        key: canonicalKey,
        urn: resolved.extension ? resolved.schema : undefined,
        attribute: resolved.attribute,
        subAttribute: resolved.subAttribute,
        caseExact: resolved.leaf.caseExact,
      });
    }
    this.#indexedByType.set(resourceType, found);
    return found;
  }
}

function isUniqueCandidate(attribute: AttributeDefinition): boolean {
  return attribute.uniqueness !== 'none' && !attribute.multiValued && attribute.type !== 'complex';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
