import type { AttributeType } from '../schema/types.js';

/** Comparison operators of RFC 7644 3.4.2.2 (lower case, as canonicalised by the parser). */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal in a filter: JSON string, number, `true`, `false` or `null`. */
export type FilterValue = string | number | boolean | null;

/**
 * An attribute path inside a filter, sortBy or PATCH path. Inside a value path
 * (`emails[type eq "work"]`) the inner paths are fully qualified: `{ attribute: 'emails', subAttribute: 'type' }`.
 */
export interface FilterPath {
  /** Schema URN, when the path was URN-qualified or once resolved. */
  schema?: string;
  attribute: string;
  subAttribute?: string;
  /** Present when the filter was parsed against a schema registry and resource type. */
  resolved?: ResolvedPathInfo;
}

/** What a store needs to compile a path without consulting the schema. */
export interface ResolvedPathInfo {
  /** The schema URN that owns the attribute. */
  schema: string;
  /** True when the attribute lives in an extension (stored under the URN key). */
  extension: boolean;
  /** Type of the leaf attribute (the sub-attribute's when there is one). */
  type: AttributeType;
  /** caseExact of the leaf attribute. */
  caseExact: boolean;
  /** multiValued of the top-level attribute: a comparison is true if any value matches. */
  multiValued: boolean;
  /** True when the top-level attribute is complex. */
  complex: boolean;
}

/** A filter expression tree. `and`/`or` are binary, left-associative, as parsed. */
export type FilterNode =
  | { op: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { op: 'not'; filter: FilterNode }
  | { op: CompareOperator; path: FilterPath; value: FilterValue }
  | { op: 'pr'; path: FilterPath }
  /** `attr[filter]`: true when some element of the multi-valued complex `path` matches `filter`. */
  | { op: 'valuePath'; path: FilterPath; filter: FilterNode };

/** A PATCH path (RFC 7644 3.5.2): `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, URN-qualified. */
export interface PatchPath {
  path: FilterPath;
  /** The value filter of `attr[filter]`, if any (inner paths fully qualified). */
  filter?: FilterNode;
  /** The sub-attribute after a value filter: `emails[type eq "work"].value` -> `value`. */
  subAttribute?: string;
}
