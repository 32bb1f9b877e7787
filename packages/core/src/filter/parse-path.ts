import { defaultSchemaRegistry } from '../schema/registry.js';
import type { SchemaRegistry } from '../schema/types.js';
import type { FilterPath, PatchPath } from './ast.js';
import type { PathErrorType } from './errors.js';
import type { FilterLimits } from './limits.js';
import { parseAttributePathSyntax, parsePatchPathSyntax } from './parser.js';
import { canonicaliseSchemas, resolvePatchPath, resolvePath } from './resolve.js';

/** Options of `parsePatchPath` and `parseAttributePath`. */
export interface ParsePathOptions extends FilterLimits {
  /**
   * The registry to resolve against; alone (without `resourceType`) it only canonicalises URN prefixes.
   * @default defaultSchemaRegistry (when `resourceType` is given)
   */
  registry?: SchemaRegistry;
  /** Resolve the path against this resource type: canonical names and `path.resolved`. */
  resourceType?: string;
}

/** Options of `parseAttributePath`. */
export interface ParseAttributePathOptions extends ParsePathOptions {
  /**
   * The `scimType` of the 400 error for an invalid or unknown path.
   * @default 'invalidPath'
   */
  errorType?: PathErrorType;
}

function canonicalSchema(path: FilterPath, registry: SchemaRegistry | undefined): FilterPath {
  if (registry === undefined || path.schema === undefined) return path;
  const schema = registry.getSchema(path.schema);
  return schema === undefined ? path : { ...path, schema: schema.id };
}

/**
 * Parses an RFC 7644 3.5.2 PATCH path: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each
 * optionally URN-qualified (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`).
 * Filter paths inside the brackets are fully qualified (`{ attribute: 'emails', subAttribute: 'type' }`).
 * With `resourceType` the path is resolved. Every failure is `ScimError(400, 'invalidPath')`.
 *
 * @example
 * parsePatchPath('emails[type eq "work"].value');
 * // { path: { attribute: 'emails' }, filter: { op: 'eq', path: { attribute: 'emails', subAttribute: 'type' }, value: 'work' }, subAttribute: 'value' }
 */
export function parsePatchPath(text: string, options?: ParsePathOptions): PatchPath {
  const parsed = parsePatchPathSyntax(text, options);
  if (options?.resourceType !== undefined) {
    return resolvePatchPath(parsed, {
      registry: options.registry ?? defaultSchemaRegistry,
      resourceType: options.resourceType,
    });
  }
  if (options?.registry === undefined) return parsed;
  const result: PatchPath = { ...parsed, path: canonicalSchema(parsed.path, options.registry) };
  if (parsed.filter !== undefined) result.filter = canonicaliseSchemas(parsed.filter, options.registry);
  return result;
}

/**
 * Parses a plain attribute path (`userName`, `name.familyName`, `urn:…:User:userName`), as used by
 * `sortBy`, `attributes` and `excludedAttributes`. With `resourceType` it is resolved. Failures are
 * `ScimError(400, errorType)`, `invalidPath` unless another type is asked for.
 *
 * @example
 * parseAttributePath('NAME.familyName', { resourceType: 'User' }).attribute; // 'name'
 */
export function parseAttributePath(text: string, options?: ParseAttributePathOptions): FilterPath {
  const errorType = options?.errorType ?? 'invalidPath';
  const path = parseAttributePathSyntax(text, errorType, options);
  if (options?.resourceType !== undefined) {
    return resolvePath(
      path,
      { registry: options.registry ?? defaultSchemaRegistry, resourceType: options.resourceType },
      errorType,
    );
  }
  return canonicalSchema(path, options?.registry);
}
