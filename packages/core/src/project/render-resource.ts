import { commonAttributes } from '../schema/common-attributes.js';
import { defaultSchemaRegistry } from '../schema/registry.js';
import type { AttributeDefinition, SchemaDefinition, SchemaRegistry, ScimResource } from '../schema/types.js';
import type { StoredResource } from '../store/types.js';
import { buildMeta, groupsJson, membersJson, type ToScimResourceOptions } from '../meta/to-scim-resource.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { projectAttribute, projectObject } from './project-resource.js';

/** What rendering one resource type needs, worked out once per registry. */
interface Plan {
  coreId: string;
  coreSchema: string;
  /** `id`, `externalId`, `meta` and the core schema's attributes, by their canonical names. */
  attributes: Map<string, AttributeDefinition>;
  /** The type's extension schemas, by URN as written in resources. */
  extensions: Map<string, SchemaDefinition>;
}

const plans = new WeakMap<SchemaRegistry, Map<string, Plan>>();

function planOf(registry: SchemaRegistry, resourceType: string): Plan {
  let byType = plans.get(registry);
  if (byType === undefined) {
    byType = new Map();
    plans.set(registry, byType);
  }
  let plan = byType.get(resourceType);
  if (plan === undefined) {
    const type = registry.getResourceType(resourceType);
    if (type === undefined) throw new TypeError(`Unknown resource type "${resourceType}"`);
    const [core, ...extensions] = registry.schemasOf(type.name) as SchemaDefinition[];
    const attributes = new Map<string, AttributeDefinition>();
    // As projectResource applies them: the core schema's definition wins over a common one.
    for (const definition of [...commonAttributes, ...(core as SchemaDefinition).attributes]) {
      attributes.set(definition.name, definition);
    }
    plan = {
      coreId: (core as SchemaDefinition).id,
      coreSchema: type.schema,
      attributes,
      extensions: new Map(extensions.map((extension) => [extension.id, extension])),
    };
    byType.set(resourceType, plan);
  }
  return plan;
}

/**
 * `projectResource(toScimResource(stored, options), { resourceType })` in one pass: the SCIM JSON
 * of a stored resource as a response shows it when the request names no `attributes` or
 * `excludedAttributes` (`returned: never` and `request` attributes left out, sub-attributes in
 * schema order, attributes no schema of the type defines dropped). Same result, key order
 * included, without building the intermediate resource; every single-resource response and list
 * page without a projection goes through it.
 */
export function renderResource(stored: StoredResource, options: ToScimResourceOptions): ScimResource {
  const registry = options.registry ?? defaultSchemaRegistry;
  const plan = planOf(registry, stored.resourceType);
  const data = stored.data;
  const dataSchemas = data.schemas;
  const schemas = Array.isArray(dataSchemas)
    ? dataSchemas.filter((schema): schema is string => typeof schema === 'string')
    : [plan.coreSchema];
  const out: ScimResource = { schemas, id: stored.id };
  let members = membersJson(stored, options.baseUrl, registry);
  let groups = groupsJson(options.groups, options.baseUrl, registry);
  for (const key in data) {
    if (!Object.hasOwn(data, key) || key === 'schemas' || key === 'id' || key === 'meta') continue;
    // toScimResource replaces a stored `members`/`groups` in place with the loaded ones.
    let value = data[key];
    if (key === 'members' && members !== undefined) {
      value = members;
      members = undefined;
    } else if (key === 'groups' && groups !== undefined) {
      value = groups;
      groups = undefined;
    }
    put(out, plan, key, value);
  }
  if (members !== undefined) put(out, plan, 'members', members);
  if (groups !== undefined) put(out, plan, 'groups', groups);
  const meta = buildMeta(stored, { baseUrl: options.baseUrl, registry });
  const projectedMeta = projectAttribute(plan.attributes.get('meta')!, meta, plan.coreId, undefined);
  out.meta = { resourceType: meta.resourceType, ...(isPlainObject(projectedMeta) ? projectedMeta : {}) };
  return out;
}

function put(out: ScimResource, plan: Plan, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const definition = plan.attributes.get(key);
  if (definition !== undefined) {
    const projected = projectAttribute(definition, value, plan.coreId, undefined);
    if (projected !== undefined) out[key] = projected;
    return;
  }
  const extension = plan.extensions.get(key);
  if (extension === undefined || !isPlainObject(value)) return;
  const projected: Record<string, unknown> = {};
  projectObject(value, extension.attributes, extension.id, undefined, projected);
  if (Object.keys(projected).length > 0) out[key] = projected;
}
