import { commonAttributes } from '../schema/common-attributes.js';
import { defaultSchemaRegistry } from '../schema/registry.js';
import type { AttributeDefinition, SchemaDefinition, SchemaRegistry, ScimResource } from '../schema/types.js';
import { splitAttributePath } from '../schema/urn-path.js';
import { splitAttributeList } from '../util/attribute-list.js';
import { isPlainObject } from '../util/is-plain-object.js';

/** Options of `projectResource`. */
export interface ProjectOptions {
  /** @default defaultSchemaRegistry */
  registry?: SchemaRegistry;
  /** The resource type of the resource(s), e.g. `User`. */
  resourceType: string;
  /**
   * The `attributes` query parameter: comma-separated paths (`userName,name.givenName`,
   * `urn:...:enterprise:2.0:User:manager`, or an extension URN alone for the whole extension).
   * When given, only these (plus `returned: always` attributes) are returned. Wins over `excludedAttributes`.
   */
  attributes?: string | readonly string[];
  /** The `excludedAttributes` query parameter: paths removed from the default set. */
  excludedAttributes?: string | readonly string[];
}

interface Selection {
  whole: boolean;
  subs: Set<string>;
}

interface ParsedSelection {
  /** `<schema id>|<attribute>` -> what of the attribute is selected. */
  attributes: Map<string, Selection>;
  /** Extension schemas selected as a whole (their URN alone). */
  schemas: Set<string>;
}

function parseSelection(
  registry: SchemaRegistry,
  resourceType: string,
  paths: readonly string[],
): ParsedSelection {
  const parsed: ParsedSelection = { attributes: new Map(), schemas: new Set() };
  for (const text of paths) {
    const reference = splitAttributePath(registry, resourceType, text);
    // Unknown paths select nothing: RFC 7644 treats them as attributes the resource lacks.
    if (reference === undefined) continue;
    if (reference.attribute === '') {
      if (reference.schema !== undefined) parsed.schemas.add(reference.schema);
      continue;
    }
    const resolved = registry.resolve(resourceType, reference);
    if (resolved === undefined) continue;
    const key = `${resolved.schema}|${resolved.attribute}`;
    const selection = parsed.attributes.get(key) ?? { whole: false, subs: new Set<string>() };
    if (resolved.subAttribute === undefined) selection.whole = true;
    else selection.subs.add(resolved.subAttribute);
    parsed.attributes.set(key, selection);
  }
  return parsed;
}

type Mode = { kind: 'include'; selection: ParsedSelection } | { kind: 'exclude'; selection: ParsedSelection };

/** Keeps the sub-attributes of a complex value for which `keep` is true; undefined when none remain. */
function filterSubs(
  value: unknown,
  definition: AttributeDefinition,
  keep: (sub: AttributeDefinition) => boolean,
): unknown {
  const subs = definition.subAttributes ?? [];
  const one = (item: unknown): Record<string, unknown> | undefined => {
    if (!isPlainObject(item)) return undefined;
    const out: Record<string, unknown> = {};
    for (const sub of subs) {
      const inner = item[sub.name];
      if (inner !== undefined && keep(sub)) out[sub.name] = inner;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  };
  if (definition.type !== 'complex') return value;
  if (Array.isArray(value)) {
    const items = value.map(one).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  return one(value);
}

const notNever = (sub: AttributeDefinition) => sub.returned !== 'never';
const byDefault = (sub: AttributeDefinition) => sub.returned === 'always' || sub.returned === 'default';

export function projectAttribute(
  definition: AttributeDefinition,
  value: unknown,
  schemaId: string,
  mode: Mode | undefined,
): unknown {
  if (definition.returned === 'never') return undefined;
  if (definition.returned === 'always') return filterSubs(value, definition, notNever);
  // Without attributes/excludedAttributes (the usual request) only `returned` decides.
  if (mode === undefined) {
    return definition.returned === 'request' ? undefined : filterSubs(value, definition, byDefault);
  }
  const selection = mode.selection.attributes.get(`${schemaId}|${definition.name}`);
  const wholeSchema = mode.selection.schemas.has(schemaId);
  if (mode.kind === 'include') {
    if (wholeSchema || selection?.whole) return filterSubs(value, definition, notNever);
    if (selection === undefined) return undefined;
    return filterSubs(
      value,
      definition,
      (sub) => sub.returned === 'always' || (notNever(sub) && selection.subs.has(sub.name)),
    );
  }
  if (definition.returned === 'request') return undefined;
  if (mode.kind === 'exclude') {
    if (wholeSchema || selection?.whole) return undefined;
    if (selection !== undefined) {
      return filterSubs(
        value,
        definition,
        (sub) => sub.returned === 'always' || (byDefault(sub) && !selection.subs.has(sub.name)),
      );
    }
  }
  return filterSubs(value, definition, byDefault);
}

export function projectObject(
  input: Record<string, unknown>,
  definitions: readonly AttributeDefinition[],
  schemaId: string,
  mode: Mode | undefined,
  out: Record<string, unknown>,
): void {
  for (const definition of definitions) {
    const value = input[definition.name];
    if (value === undefined || value === null) continue;
    const projected = projectAttribute(definition, value, schemaId, mode);
    if (projected !== undefined) out[definition.name] = projected;
  }
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 3.4.2.5, 3.9) and the `returned`
 * characteristic to a resource as `toScimResource` built it. `schemas`, `id` and
 * `meta.resourceType` are always returned; `password` (returned: never) never is; `returned: request`
 * attributes only when asked for by name. Extension attributes stay under their URN, and an
 * extension left empty is dropped from the output.
 */
export function projectResource(resource: ScimResource, options: ProjectOptions): ScimResource {
  const registry = options.registry ?? defaultSchemaRegistry;
  const type = registry.getResourceType(options.resourceType);
  if (type === undefined) throw new TypeError(`Unknown resource type "${options.resourceType}"`);
  const attributes = splitAttributeList(options.attributes);
  const excluded = splitAttributeList(options.excludedAttributes);
  const mode: Mode | undefined =
    attributes.length > 0
      ? { kind: 'include', selection: parseSelection(registry, type.name, attributes) }
      : excluded.length > 0
        ? { kind: 'exclude', selection: parseSelection(registry, type.name, excluded) }
        : undefined;

  const schemas = registry.schemasOf(type.name);
  const core = schemas[0] as SchemaDefinition;
  const out: ScimResource = { schemas: [...resource.schemas] };
  projectObject(resource, commonAttributes, core.id, mode, out);
  projectObject(resource, core.attributes, core.id, mode, out);
  const meta = resource.meta;
  if (isPlainObject(meta) && typeof meta.resourceType === 'string') {
    const projectedMeta = isPlainObject(out.meta) ? out.meta : {};
    out.meta = { resourceType: meta.resourceType, ...projectedMeta };
  }
  for (let i = 1; i < schemas.length; i++) {
    const extension = schemas[i] as SchemaDefinition;
    const value = resource[extension.id];
    if (!isPlainObject(value)) continue;
    const projected: Record<string, unknown> = {};
    projectObject(value, extension.attributes, extension.id, mode, projected);
    if (Object.keys(projected).length > 0) out[extension.id] = projected;
  }
  return reorder(out, resource);
}

/** Keeps the order of the input's keys (schemas, id, ..., meta last as toScimResource put them). */
function reorder(out: ScimResource, original: ScimResource): ScimResource {
  const ordered: ScimResource = { schemas: out.schemas };
  for (const key of Object.keys(original)) {
    if (key === 'schemas' || !Object.hasOwn(out, key)) continue;
    // A plain assignment is much cheaper; only a `__proto__` key needs defineProperty to stay an
    // own property.
    if (key === '__proto__') {
      Object.defineProperty(ordered, key, {
        value: out[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      ordered[key] = out[key];
    }
  }
  return ordered;
}

/** `projectResource` for every resource of a list response. */
export function projectResources(
  resources: readonly ScimResource[],
  options: ProjectOptions,
): ScimResource[] {
  return resources.map((resource) => projectResource(resource, options));
}
