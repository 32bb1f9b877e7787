import type {
  AttributeDefinition,
  CompareOperator,
  FilterNode,
  FilterPath,
  FilterValue,
  SchemaRegistry,
} from '@scim/core';
import { ScimError, SCHEMA_URNS, evaluateFilter } from '@scim/core';
import type { Document } from 'mongodb';
import { encodeFieldKey } from './field-key.js';
import { normaliseLeaf } from './resource-layout.js';

/**
 * Answers the parts of a filter that live outside the resource document: a group's `members`
 * (membership documents) and a user's `groups` (memberships joined with the groups).
 */
export interface RelationResolver {
  /** Ids of the groups that have a member whose membership document matches `membershipFilter`. */
  groupsWithMember(membershipFilter: Document): Promise<string[]>;
  /** Ids of the direct members of the groups whose resource document matches `groupFilter`. */
  membersOfGroups(groupFilter: Document): Promise<string[]>;
}

/** How {@link compileFilter} resolves paths and relations. */
export interface FilterCompileOptions {
  /** The resource type the filter runs over (`User`, `Group`, ...). */
  resourceType: string;
  /** The registry the filter's paths are resolved against (canonical names, types, caseExact). */
  registry: SchemaRegistry;
  /** Required for filters on `Group.members` and `User.groups`; without it they are 400 invalidFilter. */
  relations?: RelationResolver;
}

/** The normalised mirror of a resource's data (and of a membership's member) that filters address. */
export const SEARCH_FIELD = '_s';
/** The mirror of `meta` (created, lastModified as epoch milliseconds; resourceType). */
export const META_FIELD = '_m';
/** Field of the mirror holding the id, normalised for the case-insensitive `groups.value`. */
export const SEARCH_ID_FIELD = '%id';

const ORDERING: Record<string, string> = { gt: '$gt', ge: '$gte', lt: '$lt', le: '$lte' };

interface Leaf {
  name: string;
  type: AttributeDefinition['type'];
  caseExact: boolean;
  multiValued: boolean;
  subAttributes?: readonly AttributeDefinition[];
}

/** A resolved path: where its values are, relative to the document (or element) being matched. */
interface Target {
  /** Field of the top-level attribute (`_s.emails`), or the leaf for simple/singular paths. */
  field: string;
  /** For a sub-attribute of a multi-valued complex attribute: the element field (`value`). */
  sub?: string;
  /** True when `field` holds an array whose elements are compared (multi-valued, no `sub`). */
  array: boolean;
  leaf: Leaf;
  label: string;
}

function invalidFilter(detail: string): ScimError {
  return new ScimError(400, 'invalidFilter', detail);
}

/** Matches nothing, at any level (also inside `$elemMatch`). */
function never(field: string): Document {
  return { [field]: { $in: [] } };
}

/** Escapes every regular-expression metacharacter, so a filter value is always matched literally. */
export function escapeRegex(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL must be escaped for the server's PCRE.
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&').replace(/\u0000/g, '\\x00');
}

function labelOf(path: FilterPath, extension: boolean): string {
  const base = extension && path.schema !== undefined ? `${path.schema}:${path.attribute}` : path.attribute;
  return path.subAttribute === undefined ? base : `${base}.${path.subAttribute}`;
}

/**
 * Compiles a SCIM filter into a MongoDB query over the store's resource documents, with the
 * reference semantics of `evaluateFilter`. Every condition addresses the normalised mirror `_s`
 * (case-insensitive strings lower-cased, dateTimes as epoch milliseconds), so case-insensitive
 * equality is an exact, indexable match and never a case-insensitive regex. Filter values only ever
 * appear as operands (`$eq`, `$gt`, an escaped and anchored `$regex`), never as field names or
 * operators. `ne` is "no value equals" (`$nor`), `pr` excludes null, "" and empty values, value paths
 * become `$elemMatch`. Filters on `members` (Group) and `groups` (User) are answered through
 * `relations`. What cannot be compiled is a `ScimError(400, 'invalidFilter')`.
 *
 * @example
 * const query = await compileFilter(parseFilter('userName eq "Bjensen"', { resourceType: 'User' }), {
 *   resourceType: 'User',
 *   registry: defaultSchemaRegistry,
 * });
 * // { '_s.userName': { $eq: 'bjensen' } }
 */
export async function compileFilter(node: FilterNode, options: FilterCompileOptions): Promise<Document> {
  switch (node.op) {
    case 'and':
    case 'or': {
      const parts: Document[] = [];
      for (const child of flatten(node, node.op)) parts.push(await compileFilter(child, options));
      return { [node.op === 'and' ? '$and' : '$or']: parts };
    }
    case 'not':
      return { $nor: [await compileFilter(node.filter, options)] };
    default: {
      const relation = relationOf(node.path, options);
      if (relation !== undefined) return compileRelation(node, relation, options);
      if (node.op === 'valuePath') return compileValuePath(node.path, node.filter, options);
      return compareTarget(resolveTarget(node.path, options), node);
    }
  }
}

function flatten(node: FilterNode, op: 'and' | 'or'): FilterNode[] {
  if (node.op !== op) return [node];
  return [...flatten(node.left, op), ...flatten(node.right, op)];
}

type Leafed = Exclude<FilterNode, { op: 'and' | 'or' | 'not' }>;
type Comparison = Exclude<Leafed, { op: 'valuePath' }>;

function resolve(path: FilterPath, options: FilterCompileOptions) {
  const resolved = options.registry.resolve(options.resourceType, {
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
    ...(path.subAttribute === undefined ? {} : { subAttribute: path.subAttribute }),
  });
  if (resolved === undefined) {
    throw invalidFilter(
      `The ${options.resourceType} resource type has no attribute "${labelOf(path, path.schema !== undefined)}"`,
    );
  }
  return resolved;
}

function resolveTarget(path: FilterPath, options: FilterCompileOptions): Target {
  const resolved = resolve(path, options);
  const { attribute, subAttribute: sub, definition: top, leaf } = resolved;
  const label = labelOf(
    { schema: resolved.schema, attribute, ...(sub === undefined ? {} : { subAttribute: sub }) },
    resolved.extension,
  );
  if (!resolved.extension && attribute === 'id') {
    return { field: 'id', array: false, leaf: { ...leaf, caseExact: true, multiValued: false }, label };
  }
  if (!resolved.extension && attribute === 'meta') {
    if (sub === 'created' || sub === 'lastModified' || sub === 'resourceType') {
      return { field: `${META_FIELD}.${sub}`, array: false, leaf, label };
    }
    throw invalidFilter(
      `Filtering on "${label}" is not supported by this store; filter on meta.created, meta.lastModified or meta.resourceType`,
    );
  }
  const base = resolved.extension
    ? `${SEARCH_FIELD}.${encodeFieldKey(resolved.schema)}.${encodeFieldKey(attribute)}`
    : `${SEARCH_FIELD}.${encodeFieldKey(attribute)}`;
  if (sub === undefined) return { field: base, array: top.multiValued, leaf, label };
  if (top.multiValued) return { field: base, sub: encodeFieldKey(leaf.name), array: false, leaf, label };
  return { field: `${base}.${encodeFieldKey(leaf.name)}`, array: false, leaf, label };
}

/** Conditions on a leaf's value(s): positive operators, presence and "no value equals". */
function compareTarget(target: Target, node: Comparison): Document {
  // A complex attribute named without a sub-attribute compares nothing but can be present.
  if (target.leaf.type === 'complex' && target.sub === undefined) {
    if (node.op === 'pr') return present(target);
    if (node.value === null) return node.op === 'eq' ? { $nor: [present(target)] } : present(target);
    return node.op === 'ne' ? {} : never(target.field);
  }
  if (node.op === 'pr') return present(target);
  if (node.value === null) return node.op === 'eq' ? { $nor: [present(target)] } : present(target);
  if (node.op === 'ne') return { $nor: [positive(target, 'eq', node.value)] };
  return positive(target, node.op, node.value);
}

/** "Some value satisfies `op value`", or a query that matches nothing when the types never compare. */
function positive(target: Target, op: CompareOperator, value: Exclude<FilterValue, null>): Document {
  const expression = operand(target.leaf, op, value, target.label);
  const field = target.sub === undefined ? target.field : `${target.field}.${target.sub}`;
  if (expression === undefined) return never(field);
  // Dotted paths traverse arrays, so a single positive operator already means "any value matches".
  return { [field]: expression };
}

/**
 * The operator expression one value must satisfy, following `evaluateFilter`: strings compare with
 * strings (lower-cased unless caseExact), numbers with numbers, booleans only by `eq`, dateTimes
 * chronologically and never by co/sw/ew. `undefined` when no value can ever satisfy it.
 */
function operand(
  leaf: Leaf,
  op: CompareOperator,
  value: Exclude<FilterValue, null>,
  label: string,
): Document | undefined {
  if (leaf.type === 'boolean' && ORDERING[op] !== undefined) {
    throw invalidFilter(`"${label}" is a boolean: "${op}" cannot order it; use eq or ne`);
  }
  if (typeof value === 'boolean') return op === 'eq' ? { $eq: value } : undefined;
  if (typeof value === 'number') {
    if (leaf.type === 'dateTime') return undefined;
    if (op === 'eq') return { $eq: value };
    const ordering = ORDERING[op];
    return ordering === undefined ? undefined : { [ordering]: value };
  }
  if (leaf.type === 'dateTime') {
    if (op === 'co' || op === 'sw' || op === 'ew') return undefined;
    const time = normaliseLeaf(value, leaf);
    if (typeof time !== 'number') return undefined;
    return op === 'eq' ? { $eq: time } : { [ORDERING[op] as string]: time };
  }
  const text = leaf.caseExact ? value : value.toLowerCase();
  switch (op) {
    case 'eq':
      return { $eq: text };
    case 'co':
      return { $regex: escapeRegex(text) };
    case 'sw':
      return { $regex: `^${escapeRegex(text)}` };
    case 'ew':
      // `(?![\s\S])` is "end of input" in PCRE and JavaScript alike; `$` also matches before a final newline.
      return { $regex: `${escapeRegex(text)}(?![\\s\\S])` };
    default:
      return { [ORDERING[op] as string]: text };
  }
}

/** A value that RFC 7643 2.5 counts as present: not null, not "", not an empty array or object. */
function presentValue(
  definition: Pick<Leaf, 'type' | 'multiValued' | 'subAttributes'>,
  field: string,
): Document {
  if (definition.type === 'complex') {
    const subs = (definition.subAttributes ?? []).map((sub) =>
      presentValue({ type: sub.type, multiValued: sub.multiValued }, encodeFieldKey(sub.name)),
    );
    return { [field]: { $elemMatch: { $or: subs.length === 0 ? [never('_')] : subs } } };
  }
  if (definition.multiValued) return { [field]: { $elemMatch: { $nin: [null, ''] } } };
  return { [field]: { $exists: true, $nin: [null, ''] } };
}

function present(target: Target): Document {
  const { leaf } = target;
  if (target.sub !== undefined) {
    return {
      [target.field]: { $elemMatch: presentValue({ ...leaf, multiValued: leaf.multiValued }, target.sub) },
    };
  }
  if (leaf.type === 'complex' && !target.array) {
    // `$elemMatch` needs an array; a singular complex value is present when one sub-attribute is.
    const subs = (leaf.subAttributes ?? []).map((sub) =>
      presentValue(
        { type: sub.type, multiValued: sub.multiValued },
        `${target.field}.${encodeFieldKey(sub.name)}`,
      ),
    );
    return subs.length === 0 ? never(target.field) : { $or: subs };
  }
  return presentValue({ ...leaf, multiValued: target.array }, target.field);
}

async function compileValuePath(
  path: FilterPath,
  inner: FilterNode,
  options: FilterCompileOptions,
): Promise<Document> {
  const resolved = resolve(
    { ...(path.schema === undefined ? {} : { schema: path.schema }), attribute: path.attribute },
    options,
  );
  const definition = resolved.definition;
  const label = labelOf({ schema: resolved.schema, attribute: resolved.attribute }, resolved.extension);
  if (definition.type !== 'complex') throw invalidFilter(`"${label}[...]" needs a complex attribute`);
  const base = resolved.extension
    ? `${SEARCH_FIELD}.${encodeFieldKey(resolved.schema)}.${encodeFieldKey(resolved.attribute)}`
    : `${SEARCH_FIELD}.${encodeFieldKey(resolved.attribute)}`;
  const element = compileElement(inner, definition, label);
  if (definition.multiValued) return { [base]: { $elemMatch: element } };
  // A singular complex value is the one element: its condition holds if the value is there.
  return { $and: [{ [base]: { $type: 'object' } }, prefixed(element, base)] };
}

/** Compiles a filter over one element of a complex attribute (fields are its sub-attributes). */
function compileElement(node: FilterNode, definition: AttributeDefinition, label: string): Document {
  switch (node.op) {
    case 'and':
    case 'or':
      return {
        [node.op === 'and' ? '$and' : '$or']: flatten(node, node.op).map((child) =>
          compileElement(child, definition, label),
        ),
      };
    case 'not':
      return { $nor: [compileElement(node.filter, definition, label)] };
    case 'valuePath':
      throw invalidFilter(`Value paths cannot be nested inside "${label}[...]"`);
    default: {
      const subName = node.path.subAttribute;
      const sub =
        subName === undefined
          ? undefined
          : definition.subAttributes?.find(
              (candidate) => candidate.name.toLowerCase() === subName.toLowerCase(),
            );
      if (sub === undefined) {
        throw invalidFilter(`"${label}" has no sub-attribute "${subName ?? node.path.attribute}"`);
      }
      const target: Target = {
        field: encodeFieldKey(sub.name),
        array: sub.multiValued,
        leaf: sub,
        label: `${label}.${sub.name}`,
      };
      return compareTarget(target, node);
    }
  }
}

/** Rewrites an element-level query so that its fields live under `base`. */
function prefixed(query: Document, base: string): Document {
  const out: Document = {};
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      out[key] = (value as Document[]).map((part) => prefixed(part, base));
    } else {
      out[`${base}.${key}`] = value;
    }
  }
  return out;
}

// ---- members of a group, groups of a user ----

type Relation =
  | { kind: 'members'; definition: AttributeDefinition }
  | { kind: 'groups'; definition: AttributeDefinition };

function relationOf(path: FilterPath, options: FilterCompileOptions): Relation | undefined {
  const name = path.attribute.toLowerCase();
  if (name !== 'members' && name !== 'groups') return undefined;
  const resolved = options.registry.resolve(options.resourceType, {
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
  });
  if (resolved === undefined || resolved.extension || resolved.definition.type !== 'complex')
    return undefined;
  if (options.resourceType === 'Group' && resolved.attribute === 'members') {
    return { kind: 'members', definition: resolved.definition };
  }
  if (options.resourceType === 'User' && resolved.attribute === 'groups') {
    return { kind: 'groups', definition: resolved.definition };
  }
  return undefined;
}

/**
 * A condition on `members`/`groups` is a condition on one element (a member, a group the user is in),
 * so it is compiled as an element filter and answered by the relation resolver as a set of ids.
 */
async function compileRelation(
  node: Leafed,
  relation: Relation,
  options: FilterCompileOptions,
): Promise<Document> {
  const { definition } = relation;
  const label = definition.name;
  const relations = options.relations;
  if (relations === undefined) throw invalidFilter(`Filtering on "${label}" is not supported here`);

  // Top-level `ne` and `eq null` negate "some element matches"; the element filter is positive.
  let element: FilterNode | undefined;
  let negate = false;
  if (node.op === 'valuePath') {
    element = node.filter;
  } else if (node.path.subAttribute === undefined) {
    // The element itself: present whenever it exists, equal to no scalar.
    if (node.op !== 'pr' && node.value !== null) return node.op === 'ne' ? {} : never('id');
    negate = node.op === 'eq';
  } else {
    const path: FilterPath = { attribute: definition.name, subAttribute: node.path.subAttribute };
    if (node.op === 'pr' || node.value === null) {
      element = { op: 'pr', path };
      negate = node.op === 'eq';
    } else if (node.op === 'ne') {
      element = { op: 'eq', path, value: node.value };
      negate = true;
    } else {
      element = { op: node.op, path, value: node.value };
    }
  }
  const ids =
    relation.kind === 'members'
      ? await relations.groupsWithMember(
          element === undefined ? {} : prefixed(compileElement(element, definition, label), SEARCH_FIELD),
        )
      : await relations.membersOfGroups(
          element === undefined ? {} : compileGroupElement(element, definition, label, options.registry),
        );
  const matched = { id: { $in: ids } };
  return negate ? { $nor: [matched] } : matched;
}

/**
 * Compiles a filter over one `groups` element of a user (`{ value: group id, display: group
 * displayName, type: 'direct' }`) into a query over Group resource documents.
 */
function compileGroupElement(
  node: FilterNode,
  definition: AttributeDefinition,
  label: string,
  registry: SchemaRegistry,
): Document {
  switch (node.op) {
    case 'and':
    case 'or':
      return {
        [node.op === 'and' ? '$and' : '$or']: flatten(node, node.op).map((child) =>
          compileGroupElement(child, definition, label, registry),
        ),
      };
    case 'not':
      return { $nor: [compileGroupElement(node.filter, definition, label, registry)] };
    case 'valuePath':
      throw invalidFilter(`Value paths cannot be nested inside "${label}[...]"`);
    default: {
      const subName = node.path.subAttribute?.toLowerCase();
      const sub = definition.subAttributes?.find((candidate) => candidate.name.toLowerCase() === subName);
      if (sub === undefined)
        throw invalidFilter(`"${label}" has no sub-attribute "${node.path.subAttribute ?? ''}"`);
      if (sub.name === 'value') {
        const field = sub.caseExact ? 'id' : `${SEARCH_FIELD}.${SEARCH_ID_FIELD}`;
        return compareTarget({ field, array: false, leaf: sub, label: `${label}.value` }, node);
      }
      if (sub.name === 'display') {
        return compareTarget(
          { field: `${SEARCH_FIELD}.displayName`, array: false, leaf: sub, label: `${label}.display` },
          node,
        );
      }
      if (sub.name === 'type') {
        // Every membership is direct: decide the condition once, with the reference semantics.
        const holds = evaluateFilter(
          { op: 'valuePath', path: { attribute: definition.name }, filter: node },
          { schemas: [SCHEMA_URNS.user], [definition.name]: [{ type: 'direct' }] },
          { registry, resourceType: 'User' },
        );
        return holds ? {} : never('_id');
      }
      throw invalidFilter(`Filtering on "${label}.${sub.name}" is not supported by this store`);
    }
  }
}
