import type { ResolvedAttribute, SchemaRegistry } from '../schema/types.js';
import type {
  CompareOperator,
  FilterNode,
  FilterPath,
  FilterValue,
  PatchPath,
  ResolvedPathInfo,
} from './ast.js';
import { parseDateTime } from './date-time.js';
import { type PathErrorType, pathError, quote } from './errors.js';
import { formatPath } from './format.js';

/** Where to resolve paths: a registry and one of its resource types. */
export interface ResolveOptions {
  /** The registry that defines the resource type. */
  registry: SchemaRegistry;
  /** The resource type name, for example `User`. */
  resourceType: string;
}

const ORDERING: ReadonlySet<string> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING: ReadonlySet<string> = new Set(['co', 'sw', 'ew']);

function checkResourceType(options: ResolveOptions): string {
  const type = options.registry.getResourceType(options.resourceType);
  if (type === undefined) {
    throw new TypeError(`Unknown resource type "${options.resourceType}" in the schema registry`);
  }
  return type.schema;
}

function info(resolved: ResolvedAttribute): ResolvedPathInfo {
  return {
    schema: resolved.schema,
    extension: resolved.extension,
    type: resolved.leaf.type,
    caseExact: resolved.leaf.caseExact,
    multiValued: resolved.definition.multiValued,
    complex: resolved.definition.type === 'complex',
  };
}

function resolvedPath(resolved: ResolvedAttribute): FilterPath {
  const path: FilterPath = { schema: resolved.schema, attribute: resolved.attribute };
  if (resolved.subAttribute !== undefined) path.subAttribute = resolved.subAttribute;
  path.resolved = info(resolved);
  return path;
}

/**
 * `schemas` is present on every resource but is not an attribute of any schema definition
 * (RFC 7643 3): filters on it (`schemas eq "urn:…:enterprise:2.0:User"`, an RFC 7644 example) compare
 * its URNs, case-insensitively, as a multi-valued reference.
 */
function schemasPath(path: FilterPath, coreSchema: string): FilterPath | undefined {
  if (path.attribute.toLowerCase() !== 'schemas' || path.subAttribute !== undefined) return undefined;
  if (path.schema !== undefined && path.schema.toLowerCase() !== coreSchema.toLowerCase()) return undefined;
  return {
    schema: coreSchema,
    attribute: 'schemas',
    resolved: {
      schema: coreSchema,
      extension: false,
      type: 'reference',
      caseExact: false,
      multiValued: true,
      complex: false,
    },
  };
}

/**
 * Resolves one attribute path against the registry: canonical schema URN and names plus `resolved`.
 * An unknown attribute, sub-attribute or schema is a 400 of `errorType` that names it.
 */
export function resolvePath(path: FilterPath, options: ResolveOptions, errorType: PathErrorType): FilterPath {
  const coreSchema = checkResourceType(options);
  const { registry, resourceType } = options;
  const resolved = registry.resolve(resourceType, path);
  if (resolved !== undefined) return resolvedPath(resolved);
  const special = schemasPath(path, coreSchema);
  if (special !== undefined) return special;

  const shown = quote(formatPath({ ...path, resolved: undefined }));
  if (path.schema !== undefined && path.subAttribute === undefined) {
    // `urn:…:enterprise:2.0:User` splits into schema `urn:…:2.0` and attribute `User`: a whole schema.
    const whole = registry.getSchema(`${path.schema}:${path.attribute}`);
    if (whole !== undefined) {
      throw pathError(
        errorType,
        `${shown} names the whole schema ${whole.id}, not an attribute; name one of its attributes (for example ${whole.id}:${whole.attributes[0]?.name ?? 'attribute'})`,
      );
    }
  }
  if (path.schema !== undefined) {
    const known = registry
      .schemasOf(resourceType)
      .some((s) => s.id.toLowerCase() === path.schema?.toLowerCase());
    if (!known) {
      throw pathError(
        errorType,
        `${shown} uses the schema ${quote(path.schema)}, which is not a schema of resource type ${resourceType}`,
      );
    }
  }
  if (path.subAttribute !== undefined) {
    const parent = registry.resolve(resourceType, { ...path, subAttribute: undefined });
    if (parent !== undefined) {
      const subs = parent.definition.subAttributes?.map((s) => s.name) ?? [];
      throw pathError(
        errorType,
        subs.length === 0
          ? `${shown}: ${parent.attribute} has no sub-attributes (it is a ${parent.definition.type})`
          : `${shown}: ${parent.attribute} has no sub-attribute ${quote(path.subAttribute)}; it has ${subs.join(', ')}`,
      );
    }
  }
  throw pathError(errorType, `Unknown attribute ${shown} for resource type ${resourceType}`);
}

/** Adds `value` to a complex path compared without a sub-attribute (`emails co "x"` compares `emails.value`). */
function comparablePath(path: FilterPath, options: ResolveOptions, errorType: PathErrorType): FilterPath {
  const info = path.resolved;
  if (info === undefined || info.type !== 'complex' || path.subAttribute !== undefined) return path;
  const withValue = options.registry.resolve(options.resourceType, {
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
    subAttribute: 'value',
  });
  if (withValue === undefined) {
    const parent = options.registry.resolve(options.resourceType, path);
    const subs = parent?.definition.subAttributes?.map((s) => `${path.attribute}.${s.name}`) ?? [];
    throw pathError(
      errorType,
      `${path.attribute} is complex and has no "value" sub-attribute to compare; compare one of ${subs.join(', ')} or use pr`,
    );
  }
  return resolvedPath(withValue);
}

function describeType(path: FilterPath, info: ResolvedPathInfo): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return `${name} is ${info.type === 'integer' ? 'an' : 'a'} ${info.type}`;
}

/** Checks an operator and value against the attribute's type; returns the value to store (booleans coerced from "true"/"false"). */
function checkComparison(
  path: FilterPath,
  op: CompareOperator,
  value: FilterValue,
  errorType: PathErrorType,
): FilterValue {
  const info = path.resolved;
  if (info === undefined || value === null) return value;
  const type = info.type;
  if (ORDERING.has(op) && (type === 'boolean' || type === 'complex' || type === 'binary')) {
    throw pathError(
      errorType,
      `${describeType(path, info)}; "${op}" cannot be used: gt, ge, lt and le do not apply to ${type} attributes (RFC 7644 3.4.2.2)`,
    );
  }
  if (SUBSTRING.has(op) && type !== 'string' && type !== 'reference' && type !== 'binary') {
    throw pathError(
      errorType,
      `${describeType(path, info)}; "${op}" cannot be used: co, sw and ew apply only to string, reference and binary attributes`,
    );
  }
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && (value.toLowerCase() === 'true' || value.toLowerCase() === 'false')) {
        return value.toLowerCase() === 'true';
      }
      throw pathError(errorType, `${describeType(path, info)}; compare it with true or false`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw pathError(errorType, `${describeType(path, info)}; compare it with a whole number such as 42`);
    case 'decimal':
      if (typeof value === 'number') return value;
      throw pathError(errorType, `${describeType(path, info)}; compare it with a number such as 4.2`);
    case 'dateTime':
      if (typeof value === 'string' && parseDateTime(value) !== undefined) return value;
      throw pathError(
        errorType,
        `${describeType(path, info)}; compare it with an xsd:dateTime string such as "2011-05-13T04:42:34Z"`,
      );
    default:
      if (typeof value === 'string') return value;
      throw pathError(errorType, `${describeType(path, info)}; compare it with a "quoted string"`);
  }
}

function resolveNode(node: FilterNode, options: ResolveOptions, errorType: PathErrorType): FilterNode {
  switch (node.op) {
    case 'and':
    case 'or':
      return {
        op: node.op,
        left: resolveNode(node.left, options, errorType),
        right: resolveNode(node.right, options, errorType),
      };
    case 'not':
      return { op: 'not', filter: resolveNode(node.filter, options, errorType) };
    case 'valuePath': {
      const path = resolvePath(node.path, options, errorType);
      if (path.subAttribute !== undefined || path.resolved?.type !== 'complex') {
        throw pathError(
          errorType,
          `${quote(formatPath(path))} is not a complex attribute; a value filter "[...]" applies to complex attributes such as emails`,
        );
      }
      return { op: 'valuePath', path, filter: resolveNode(node.filter, options, errorType) };
    }
    case 'pr':
      return { op: 'pr', path: resolvePath(node.path, options, errorType) };
    default: {
      const resolved = resolvePath(node.path, options, errorType);
      // `eq null` / `ne null` ask about presence, which complex attributes have as a whole.
      if (node.value === null) return { op: node.op, path: resolved, value: null };
      // A complex value has no order (issue 4); `value` stands in for it only for eq/ne/co/sw/ew.
      if (
        ORDERING.has(node.op) &&
        resolved.resolved?.type === 'complex' &&
        resolved.subAttribute === undefined
      ) {
        const name = resolved.attribute;
        const subs = options.registry.resolve(options.resourceType, resolved)?.definition.subAttributes ?? [];
        const example = (subs.find((sub) => sub.name === 'value') ?? subs[0])?.name ?? 'value';
        throw pathError(
          errorType,
          `${name} is complex; "${node.op}" cannot be used: gt, ge, lt and le do not apply to complex attributes (RFC 7644 3.4.2.2); compare a sub-attribute such as ${name}.${example}`,
        );
      }
      const path = comparablePath(resolved, options, errorType);
      return { op: node.op, path, value: checkComparison(path, node.op, node.value, errorType) };
    }
  }
}

/**
 * Resolves a filter AST against a resource type: canonical schema URNs and attribute names, every
 * path's `resolved` filled, types checked (400 `invalidFilter` naming the attribute). The input is not
 * modified. A complex attribute compared without a sub-attribute is rewritten to its `value`
 * sub-attribute (`emails co "x"` becomes `emails.value co "x"`).
 *
 * @example
 * resolveFilter(parseFilter('USERNAME eq "x"'), { registry: defaultSchemaRegistry, resourceType: 'User' });
 */
export function resolveFilter(
  node: FilterNode,
  options: ResolveOptions,
  errorType: PathErrorType = 'invalidFilter',
): FilterNode {
  checkResourceType(options);
  return resolveNode(node, options, errorType);
}

/** Resolves a PATCH path; every failure is 400 `invalidPath`. */
export function resolvePatchPath(patchPath: PatchPath, options: ResolveOptions): PatchPath {
  const path = resolvePath(patchPath.path, options, 'invalidPath');
  const result: PatchPath = { path };
  if (patchPath.filter !== undefined) {
    if (path.resolved?.type !== 'complex') {
      throw pathError(
        'invalidPath',
        `${quote(formatPath(path))} is not a complex attribute; a value filter "[...]" applies to complex attributes such as emails`,
      );
    }
    result.filter = resolveNode(patchPath.filter, options, 'invalidPath');
  }
  if (patchPath.subAttribute !== undefined) {
    const sub = resolvePath(
      {
        ...(path.schema === undefined ? {} : { schema: path.schema }),
        attribute: path.attribute,
        subAttribute: patchPath.subAttribute,
      },
      options,
      'invalidPath',
    );
    if (sub.subAttribute !== undefined) result.subAttribute = sub.subAttribute;
  }
  return result;
}

/** Replaces URN prefixes by the registry's canonical spelling (used when no resource type is given). */
export function canonicaliseSchemas(node: FilterNode, registry: SchemaRegistry): FilterNode {
  const fix = (path: FilterPath): FilterPath => {
    if (path.schema === undefined) return path;
    const schema = registry.getSchema(path.schema);
    return schema === undefined || schema.id === path.schema ? path : { ...path, schema: schema.id };
  };
  switch (node.op) {
    case 'and':
    case 'or':
      return {
        op: node.op,
        left: canonicaliseSchemas(node.left, registry),
        right: canonicaliseSchemas(node.right, registry),
      };
    case 'not':
      return { op: 'not', filter: canonicaliseSchemas(node.filter, registry) };
    case 'valuePath':
      return { op: 'valuePath', path: fix(node.path), filter: canonicaliseSchemas(node.filter, registry) };
    case 'pr':
      return { op: 'pr', path: fix(node.path) };
    default:
      return { op: node.op, path: fix(node.path), value: node.value };
  }
}
