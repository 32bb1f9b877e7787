import type { FilterNode, FilterPath, FilterValue, PatchPath } from './ast.js';

/**
 * Prints an attribute path. A URN prefix is printed when the path carries a schema, except for a
 * resolved path of the resource type's core schema, where it is redundant.
 *
 * @example
 * formatPath({ attribute: 'name', subAttribute: 'familyName' }); // 'name.familyName'
 */
export function formatPath(path: FilterPath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  if (path.schema !== undefined && (path.resolved === undefined || path.resolved.extension)) {
    return `${path.schema}:${name}`;
  }
  return name;
}

/** Prints a comparison value as JSON; `-0` keeps its sign so that print and parse round-trip. */
export function formatValue(value: FilterValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`A filter value must be a finite number, got ${value}`);
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

function innerName(path: FilterPath): string {
  if (path.subAttribute === undefined) {
    throw new TypeError(
      `A path inside a value filter must name a sub-attribute (got "${path.attribute}" without one)`,
    );
  }
  return path.subAttribute;
}

function print(node: FilterNode, inner: boolean): string {
  switch (node.op) {
    case 'and': {
      // and/or are left-associative and `and` binds tighter, so only these children need parentheses.
      const left = print(node.left, inner);
      const right = print(node.right, inner);
      return `${node.left.op === 'or' ? `(${left})` : left} and ${
        node.right.op === 'or' || node.right.op === 'and' ? `(${right})` : right
      }`;
    }
    case 'or': {
      const right = print(node.right, inner);
      return `${print(node.left, inner)} or ${node.right.op === 'or' ? `(${right})` : right}`;
    }
    case 'not':
      return `not (${print(node.filter, inner)})`;
    case 'valuePath':
      return `${formatPath(node.path)}[${print(node.filter, true)}]`;
    case 'pr':
      return `${inner ? innerName(node.path) : formatPath(node.path)} pr`;
    default:
      return `${inner ? innerName(node.path) : formatPath(node.path)} ${node.op} ${formatValue(node.value)}`;
  }
}

/**
 * Prints a filter AST as RFC 7644 filter text, with the fewest parentheses that keep its shape, so
 * that `parseFilter(formatFilter(node))` equals `node` (with the same resolution options).
 *
 * @example
 * formatFilter({ op: 'eq', path: { attribute: 'userName' }, value: 'bjensen' }); // 'userName eq "bjensen"'
 */
export function formatFilter(node: FilterNode): string {
  return print(node, false);
}

/**
 * Prints a PATCH path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`.
 *
 * @example
 * formatPatchPath(parsePatchPath('emails[type eq "work"].value')); // 'emails[type eq "work"].value'
 */
export function formatPatchPath(patchPath: PatchPath): string {
  let text = formatPath(patchPath.path);
  if (patchPath.filter !== undefined) text += `[${print(patchPath.filter, true)}]`;
  if (patchPath.subAttribute !== undefined) text += `.${patchPath.subAttribute}`;
  return text;
}
