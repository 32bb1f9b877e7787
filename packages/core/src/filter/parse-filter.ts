import { defaultSchemaRegistry } from '../schema/registry.js';
import type { SchemaRegistry } from '../schema/types.js';
import type { FilterNode } from './ast.js';
import type { FilterLimits } from './limits.js';
import { parseFilterSyntax } from './parser.js';
import { canonicaliseSchemas, resolveFilter } from './resolve.js';

/** Options of `parseFilter`. */
export interface ParseFilterOptions extends FilterLimits {
  /**
   * The registry to resolve against; alone (without `resourceType`) it only canonicalises URN prefixes.
   * @default defaultSchemaRegistry (when `resourceType` is given)
   */
  registry?: SchemaRegistry;
  /** Resolve the filter against this resource type: canonical names, `path.resolved`, type checks. */
  resourceType?: string;
}

/**
 * Parses an RFC 7644 3.4.2.2 filter. Without `resourceType` the result is syntax only; with it every
 * path is resolved (canonical names and `path.resolved`) and checked against the schema. Anything
 * invalid (syntax, limits, unknown attribute, an operator the attribute's type does not allow) throws
 * `ScimError(400, 'invalidFilter')` whose detail says where and what was expected.
 *
 * @example
 * parseFilter('userName Eq "bjensen"');
 * // { op: 'eq', path: { attribute: 'userName' }, value: 'bjensen' }
 * parseFilter('emails[type eq "work"]', { resourceType: 'User' }).path.resolved?.multiValued; // true
 */
export function parseFilter(text: string, options?: ParseFilterOptions): FilterNode {
  const node = parseFilterSyntax(text, options);
  if (options?.resourceType !== undefined) {
    return resolveFilter(node, {
      registry: options.registry ?? defaultSchemaRegistry,
      resourceType: options.resourceType,
    });
  }
  return options?.registry === undefined ? node : canonicaliseSchemas(node, options.registry);
}
