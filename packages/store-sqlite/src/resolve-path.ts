import { type FilterPath, type ResolvedPathInfo, type SchemaRegistry, ScimError } from '@scim/core';

/** A path with its canonical names and schema facts, as the SQL compilers need it. */
export interface ResolvedPath {
  /** Canonical top-level attribute name. */
  attribute: string;
  /** Canonical sub-attribute name. */
  subAttribute?: string;
  info: ResolvedPathInfo;
}

/**
 * The canonical form of a filter/sortBy path. A path the parser already resolved (canonical names
 * and `resolved` facts) is used as is; otherwise the registry resolves it. Unknown paths are `ScimError(400, invalidFilter)`: attribute
 * names reach SQL only through this function, i.e. only as the registry spells them.
 */
export function resolvePath(
  path: FilterPath,
  resourceType: string,
  registry: SchemaRegistry | undefined,
  what = 'filter',
): ResolvedPath {
  if (path.resolved !== undefined) {
    const resolved: ResolvedPath = { attribute: path.attribute, info: path.resolved };
    if (path.subAttribute !== undefined) resolved.subAttribute = path.subAttribute;
    return resolved;
  }
  const byRegistry =
    registry === undefined
      ? undefined
      : registry.resolve(resourceType, {
          ...(path.schema === undefined ? {} : { schema: path.schema }),
          attribute: path.attribute,
          ...(path.subAttribute === undefined ? {} : { subAttribute: path.subAttribute }),
        });
  if (byRegistry !== undefined) {
    const resolved: ResolvedPath = {
      attribute: byRegistry.attribute,
      info: {
        schema: byRegistry.schema,
        extension: byRegistry.extension,
        type: byRegistry.leaf.type,
        caseExact: byRegistry.leaf.caseExact,
        multiValued: byRegistry.definition.multiValued,
        complex: byRegistry.definition.type === 'complex',
      },
    };
    if (byRegistry.subAttribute !== undefined) resolved.subAttribute = byRegistry.subAttribute;
    return resolved;
  }
  const text = `${path.schema === undefined ? '' : `${path.schema}:`}${path.attribute}${
    path.subAttribute === undefined ? '' : `.${path.subAttribute}`
  }`;
  throw new ScimError(
    400,
    'invalidFilter',
    `The ${what} uses the attribute "${text}", which the ${resourceType} resource type does not have`,
  );
}

/** `name.sub` or `urn:...:name.sub`, for messages and index keys. */
export function pathText(path: ResolvedPath): string {
  const base = path.info.extension ? `${path.info.schema}:${path.attribute}` : path.attribute;
  return path.subAttribute === undefined ? base : `${base}.${path.subAttribute}`;
}

/** Quotes one key of a SQLite JSON path (`$."key"`). Registry names never contain `"`; refuse if one does. */
function jsonKey(key: string): string {
  if (key.includes('"')) {
    throw new ScimError(400, 'invalidFilter', `The attribute name ${JSON.stringify(key)} cannot be queried`);
  }
  return `."${key}"`;
}

/** The JSON path of the top-level attribute inside the stored data (extensions under their URN). */
export function attributeJsonPath(path: ResolvedPath): string {
  return `$${path.info.extension ? jsonKey(path.info.schema) : ''}${jsonKey(path.attribute)}`;
}

/** The JSON path of a sub-attribute relative to one element (`$."value"`). */
export function subJsonPath(subAttribute: string): string {
  return `$${jsonKey(subAttribute)}`;
}
