import { ScimError, isScimError } from '../errors/scim-error.js';
import type { FilterNode } from '../filter/ast.js';
import { parsePatchPath } from '../filter/parse-path.js';
import { FORBIDDEN_ATTRIBUTE_NAMES } from '../schema/define.js';
import type { AttributeDefinition, ResolvedAttribute, SchemaRegistry } from '../schema/types.js';
import { splitAttributePath } from '../schema/urn-path.js';

/** Where an operation points, resolved against the schema. */
export interface Target {
  /** The path as the client wrote it (for messages). */
  text: string;
  /** The top-level attribute (and, for `attr.sub`, the sub-attribute) with their definitions. */
  resolved: ResolvedAttribute;
  /** The value filter of `attr[filter]`. */
  filter?: FilterNode;
  /** The sub-attribute after a value filter (`emails[type eq "work"].value` -> the `value` definition). */
  filterSub?: AttributeDefinition;
}

/** A path naming a whole extension schema (`urn:...:enterprise:2.0:User`). */
export interface ExtensionTarget {
  text: string;
  extension: string;
}

/** True when a path or key mentions `__proto__`, `constructor` or `prototype` outside quoted strings. */
export function mentionsForbiddenName(text: string): boolean {
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return unquoted.split(/[^A-Za-z0-9_$-]+/).some((part) => FORBIDDEN_ATTRIBUTE_NAMES.has(part.toLowerCase()));
}

/**
 * Parses and resolves a PATCH path of `resourceType`. Unknown attributes, a filter on a
 * single-valued attribute and forbidden names are 400 invalidPath.
 */
export function resolveTarget(
  text: string,
  registry: SchemaRegistry,
  resourceType: string,
): Target | ExtensionTarget {
  if (mentionsForbiddenName(text)) {
    throw new ScimError(400, 'invalidPath', `Path "${text}" names a forbidden attribute`);
  }
  const split = /^\s*urn:/i.test(text) ? splitAttributePath(registry, resourceType, text) : undefined;
  if (split !== undefined && split.attribute === '' && split.schema !== undefined) {
    const core = registry.getResourceType(resourceType)?.schema;
    if (core !== undefined && core.toLowerCase() !== split.schema.toLowerCase()) {
      return { text, extension: split.schema };
    }
  }

  let parsed: ReturnType<typeof parsePatchPath>;
  try {
    parsed = parsePatchPath(text, { registry, resourceType });
  } catch (error) {
    if (isScimError(error)) throw new ScimError(400, 'invalidPath', error.detail, { cause: error });
    throw error;
  }
  const reference = {
    attribute: parsed.path.attribute,
    ...(parsed.path.schema === undefined ? {} : { schema: parsed.path.schema }),
    ...(parsed.path.subAttribute === undefined ? {} : { subAttribute: parsed.path.subAttribute }),
  };
  const resolved = registry.resolve(resourceType, reference);
  if (resolved === undefined) {
    throw new ScimError(400, 'invalidPath', `Path "${text}" names no attribute of ${resourceType}`);
  }
  const target: Target = { text, resolved };
  if (parsed.filter !== undefined) {
    if (!resolved.definition.multiValued || resolved.definition.type !== 'complex') {
      throw new ScimError(
        400,
        'invalidPath',
        `Path "${text}": a value filter "[...]" applies only to multi-valued complex attributes such as emails`,
      );
    }
    target.filter = parsed.filter;
  }
  if (parsed.subAttribute !== undefined) {
    const wanted = parsed.subAttribute.toLowerCase();
    const sub = resolved.definition.subAttributes?.find(
      (candidate) => candidate.name.toLowerCase() === wanted,
    );
    if (sub === undefined) {
      throw new ScimError(
        400,
        'invalidPath',
        `Path "${text}": "${parsed.subAttribute}" is not a sub-attribute`,
      );
    }
    target.filterSub = sub;
  }
  return target;
}

/** True for a target naming a whole extension schema. */
export function isExtensionTarget(target: Target | ExtensionTarget): target is ExtensionTarget {
  return 'extension' in target;
}

/** A readable form of a target's attribute, URN-qualified for extensions: used in messages and paths. */
export function attributeLabel(resolved: ResolvedAttribute): string {
  const name =
    resolved.subAttribute === undefined
      ? resolved.attribute
      : `${resolved.attribute}.${resolved.subAttribute}`;
  return resolved.extension ? `${resolved.schema}:${name}` : name;
}
