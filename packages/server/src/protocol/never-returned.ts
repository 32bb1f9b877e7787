import type { FilterNode, FilterPath } from '@scim/core';
import { ScimError } from '@scim/core';
import type { RequestContext } from './context.js';

// RFC 7643 section 7 on `returned: "never"`: "The attribute is never returned. This may occur
// because the original attribute value (e.g., a hashed value) is not retained by the service
// provider. A service provider MAY allow attributes to be used in a search filter." This one does
// not: `password` is discarded or stored as a salted hash, so a filter on it could only compare
// hashes, and answering one would tell a caller whether a guessed password is right (an oracle).
// RFC 7644 section 3.12 gives the answer: invalidFilter, "the specified attribute and filter
// comparison combination is not supported".

function neverReturned(ctx: RequestContext, type: string, path: FilterPath): string | undefined {
  const resolved = ctx.registry.resolve(type, path);
  if (resolved === undefined) return undefined;
  if (resolved.definition.returned === 'never' || resolved.leaf.returned === 'never') {
    return resolved.subAttribute === undefined
      ? resolved.attribute
      : `${resolved.attribute}.${resolved.subAttribute}`;
  }
  return undefined;
}

function firstNeverReturned(ctx: RequestContext, type: string, node: FilterNode): string | undefined {
  switch (node.op) {
    case 'and':
    case 'or':
      return firstNeverReturned(ctx, type, node.left) ?? firstNeverReturned(ctx, type, node.right);
    case 'not':
      return firstNeverReturned(ctx, type, node.filter);
    case 'valuePath':
      return neverReturned(ctx, type, node.path) ?? firstNeverReturned(ctx, type, node.filter);
    default:
      return neverReturned(ctx, type, node.path);
  }
}

/** 400 invalidFilter when a resolved filter compares an attribute that is never returned (`password`). */
export function assertFilterable(ctx: RequestContext, type: string, filter: FilterNode): void {
  const name = firstNeverReturned(ctx, type, filter);
  if (name === undefined) return;
  throw new ScimError(
    400,
    'invalidFilter',
    `${name} is never returned and cannot be used in a filter; filter on another attribute (for example userName)`,
  );
}

/** 400 invalidValue when `sortBy` names an attribute that is never returned. */
export function assertSortable(ctx: RequestContext, type: string, sortBy: FilterPath): void {
  const name = neverReturned(ctx, type, sortBy);
  if (name === undefined) return;
  throw new ScimError(
    400,
    'invalidValue',
    `sortBy: ${name} is never returned and cannot be sorted on; sort by another attribute (for example userName)`,
  );
}
