import { defaultSchemaRegistry } from '../schema/registry.js';
import type { SchemaRegistry, ScimResource } from '../schema/types.js';
import type { CompareOperator, FilterNode, FilterPath, FilterValue, ResolvedPathInfo } from './ast.js';
import { parseDateTime } from './date-time.js';
import type { FilterLimits } from './limits.js';
import { parseFilter } from './parse-filter.js';
import { resolveFilter } from './resolve.js';
import { getElements, getValues, isPresent, readKey } from './values.js';

/** Options of `evaluateFilter`. */
export interface EvaluateFilterOptions extends FilterLimits {
  /**
   * The registry that defines the resource's type.
   * @default defaultSchemaRegistry
   */
  registry?: SchemaRegistry;
  /**
   * The resource type (`User`, `Group`, ...).
   * @default the type whose core schema is among the resource's `schemas`
   */
  resourceType?: string;
}

/** Compares two strings by Unicode code point (the order of their UTF-8 bytes, which databases use). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts surrogates (astral code points) below U+E000..U+FFFF; move them above.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

function ordered(op: CompareOperator, difference: number): boolean {
  switch (op) {
    case 'eq':
      return difference === 0;
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    case 'le':
      return difference <= 0;
    default:
      return false;
  }
}

function compareStrings(op: CompareOperator, actual: string, expected: string, caseExact: boolean): boolean {
  const a = caseExact ? actual : actual.toLowerCase();
  const b = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    case 'eq':
      return a === b;
    default:
      return ordered(op, compareCodePoints(a, b));
  }
}

/** One value against the filter value; `op` is never `ne` here (ne is evaluated as "not eq"). */
function compareOne(
  op: CompareOperator,
  actual: unknown,
  expected: Exclude<FilterValue, null>,
  info: ResolvedPathInfo | undefined,
): boolean {
  if (typeof expected === 'string') {
    if (typeof actual !== 'string') return false;
    const type = info?.type;
    if (type === 'dateTime' || type === undefined) {
      const a = parseDateTime(actual);
      const b = a === undefined ? undefined : parseDateTime(expected);
      if (a !== undefined && b !== undefined && op !== 'co' && op !== 'sw' && op !== 'ew') {
        return ordered(op, a - b);
      }
      if (type === 'dateTime') return false;
    }
    return compareStrings(op, actual, expected, info?.caseExact ?? false);
  }
  if (typeof expected === 'number') {
    return typeof actual === 'number' && ordered(op, actual - expected);
  }
  return op === 'eq' && actual === expected;
}

function pathValues(
  path: FilterPath,
  resource: Record<string, unknown>,
  element: Record<string, unknown> | undefined,
) {
  if (element === undefined) return getValues(resource, path);
  const value = path.subAttribute === undefined ? undefined : readKey(element, path.subAttribute);
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function matches(
  node: FilterNode,
  resource: Record<string, unknown>,
  element?: Record<string, unknown>,
): boolean {
  switch (node.op) {
    case 'and':
      return matches(node.left, resource, element) && matches(node.right, resource, element);
    case 'or':
      return matches(node.left, resource, element) || matches(node.right, resource, element);
    case 'not':
      return !matches(node.filter, resource, element);
    case 'valuePath':
      return getElements(resource, node.path).some((item) => matches(node.filter, resource, item));
    case 'pr':
      return pathValues(node.path, resource, element).some(isPresent);
    default: {
      const values = pathValues(node.path, resource, element);
      const expected = node.value;
      // RFC 7643 2.5: null is "not present", so `eq null` is `not pr` and `ne null` is `pr`.
      if (expected === null) return node.op === 'eq' ? !values.some(isPresent) : values.some(isPresent);
      if (node.op === 'ne')
        return !values.some((value) => compareOne('eq', value, expected, node.path.resolved));
      return values.some((value) =>
        compareOne(node.op as CompareOperator, value, expected, node.path.resolved),
      );
    }
  }
}

function firstLeafPath(node: FilterNode): FilterPath {
  switch (node.op) {
    case 'and':
    case 'or':
      return firstLeafPath(node.left);
    case 'not':
      return firstLeafPath(node.filter);
    default:
      return node.path;
  }
}

/**
 * Whether a resource matches a filter: the reference semantics every store is tested against.
 *
 * - The resource type comes from `options.resourceType`, else from the resource's `schemas`
 *   (looked up in `options.registry`, by default `defaultSchemaRegistry`); filter text is parsed and
 *   resolved against it, so unknown attributes and type errors are 400 `invalidFilter`. An AST whose
 *   paths already carry `resolved` is used as it is. When no resource type can be found, the filter
 *   is evaluated unresolved: strings case-insensitively, dateTime-shaped strings chronologically.
 * - Strings compare case-insensitively unless the attribute is `caseExact` (co, sw, ew too); `gt`…`le`
 *   on strings compare by code point. dateTimes compare chronologically, numbers and booleans by value.
 * - A multi-valued attribute matches when any of its values matches; `ne` is "not eq" (no value equals,
 *   including when the attribute is absent).
 * - `pr` is false for missing, null, "", [] and complex values with nothing present; `eq null` is
 *   "not present" and `ne null` is "present" (RFC 7643 2.5).
 * - `attr[filter]` matches when one element of `attr` matches every condition of `filter`.
 *
 * @example
 * evaluateFilter('emails[type eq "work" and value co "@example.com"]', {
 *   schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
 *   userName: 'bjensen',
 *   emails: [{ type: 'work', value: 'bjensen@example.com' }],
 * }); // true
 */
export function evaluateFilter(
  filter: string | FilterNode,
  resource: ScimResource,
  options: EvaluateFilterOptions = {},
): boolean {
  const registry = options.registry ?? defaultSchemaRegistry;
  const resourceType =
    options.resourceType ??
    (Array.isArray(resource.schemas) ? registry.resourceTypeForSchemas(resource.schemas)?.name : undefined);
  let node: FilterNode;
  if (typeof filter === 'string') {
    node = parseFilter(filter, {
      ...options,
      registry,
      ...(resourceType === undefined ? {} : { resourceType }),
    });
  } else if (resourceType !== undefined && firstLeafPath(filter).resolved === undefined) {
    node = resolveFilter(filter, { registry, resourceType });
  } else {
    node = filter;
  }
  return matches(node, resource);
}
