import {
  type CompareOperator,
  type FilterNode,
  type FilterPath,
  type FilterValue,
  type SchemaRegistry,
  ScimError,
  resolveFilter,
} from '@scim/core';
import { fold, timeMs } from './connection.js';
import { type ResolvedPath, attributeJsonPath, pathText, resolvePath, subJsonPath } from './resolve-path.js';
import type { SqlParams } from './sql-params.js';

/** What the compiler needs besides the filter. */
export interface FilterCompileContext {
  tenantId: string;
  resourceType: string;
  registry?: SchemaRegistry | undefined;
  /** Multi-valued sub-attribute paths kept in the `value_index` table (`emails.value`). */
  indexedValuePaths: ReadonlySet<string>;
  params: SqlParams;
  /** Alias of the resources table in the surrounding query. @default 'r' */
  alias?: string;
}

/**
 * One value a comparison looks at, as SQL expressions: the SQLite value and its JSON type
 * (`'text'`, `'integer'`, `'real'`, `'true'`, `'false'`, `'null'`, `'object'`, `'array'`, or NULL
 * when missing). Checking the JSON type keeps `true` apart from `1` and objects apart from strings.
 */
interface ValueSource {
  value: string;
  type: string;
  /** True when `value` is never NULL (a NOT NULL column): comparisons then need no coalesce and stay indexable. */
  notNull?: boolean;
  /** JSON document and path parameter to walk for `pr` (complex values are present when any leaf is). */
  tree?: { json: string; path: string };
}

/** The elements a multi-valued attribute (or group membership) compares against. */
interface ElementSet {
  /** `FROM ...` and the correlated condition selecting the elements of the resource row. */
  from: string;
  where: string;
  /** The value source of an element, or of one of its sub-attributes. */
  element(subAttribute: string | undefined): ValueSource;
}

type Scope = { set: ElementSet; path: ResolvedPath };

const FALSE = '0';
const MISSING: ValueSource = { value: 'NULL', type: 'NULL' };

/**
 * Compiles a filter into one parameterised SQL boolean expression over the `resources` row
 * (alias `r`). The whole grammar is compiled; what cannot be compiled is a
 * `ScimError(400, invalidFilter)`, so no result is ever filtered after paging. An unresolved AST is
 * first resolved with core's `resolveFilter` (canonical names, type checks, `emails eq` -> `emails.value eq`).
 *
 * The semantics are `evaluateFilter`'s: caseExact=false strings compare after Unicode lower-casing
 * (`scim_fold`), `gt`..`le` on strings by code point (SQLite's BINARY order of UTF-8), dateTimes
 * chronologically through `parseDateTime` (`scim_time`), numbers and booleans by value and JSON
 * type; a comparison against a multi-valued attribute is true if any value matches; `ne` is "no
 * value equals"; `pr` is false for missing, null, '', [] and complex values with nothing present;
 * `eq null` is "not present", any other operator with null "present". Every leaf is two-valued
 * (never SQL NULL), so `not (...)` is exact.
 */
export function compileFilter(filter: FilterNode, context: FilterCompileContext): string {
  let resolved = filter;
  if (context.registry !== undefined && !isResolved(filter)) {
    resolved = resolveFilter(filter, { registry: context.registry, resourceType: context.resourceType });
  }
  return new FilterCompiler(context).compile(resolved, undefined);
}

function isResolved(node: FilterNode): boolean {
  switch (node.op) {
    case 'and':
    case 'or':
      return isResolved(node.left) && isResolved(node.right);
    case 'not':
      return isResolved(node.filter);
    case 'valuePath':
      return node.path.resolved !== undefined && isResolved(node.filter);
    default:
      return node.path.resolved !== undefined;
  }
}

class FilterCompiler {
  readonly #context: FilterCompileContext;
  readonly #r: string;
  #aliases = 0;

  constructor(context: FilterCompileContext) {
    this.#context = context;
    this.#r = context.alias ?? 'r';
  }

  compile(node: FilterNode, scope: Scope | undefined): string {
    switch (node.op) {
      case 'and':
        return `(${this.compile(node.left, scope)} AND ${this.compile(node.right, scope)})`;
      case 'or':
        return `(${this.compile(node.left, scope)} OR ${this.compile(node.right, scope)})`;
      case 'not':
        return `(NOT ${this.compile(node.filter, scope)})`;
      case 'valuePath':
        return this.#valuePath(node.path, node.filter, scope);
      case 'pr':
        return this.#leaf(node.path, 'pr', null, scope);
      default:
        return this.#leaf(node.path, node.op, node.value, scope);
    }
  }

  #resolve(path: FilterPath): ResolvedPath {
    return resolvePath(path, this.#context.resourceType, this.#context.registry);
  }

  #param(value: string | number | boolean | null): string {
    return this.#context.params.add(value);
  }

  #alias(prefix: string): string {
    this.#aliases += 1;
    return `${prefix}${this.#aliases}`;
  }

  #valuePath(rawPath: FilterPath, inner: FilterNode, scope: Scope | undefined): string {
    if (scope !== undefined) {
      throw new ScimError(400, 'invalidFilter', 'A value filter "[...]" cannot be nested inside another one');
    }
    const path = this.#resolve(rawPath);
    if (path.subAttribute !== undefined || !path.info.complex) {
      throw new ScimError(
        400,
        'invalidFilter',
        `"${pathText(path)}" is not a complex attribute; a value filter "[...]" applies to complex attributes such as emails`,
      );
    }
    const set = this.#elementSet(path);
    if (set === undefined) {
      // A singular complex attribute is its own single element: `name[givenName eq "x"]`.
      const jsonPath = this.#param(attributeJsonPath(path));
      return `(coalesce(json_type(${this.#r}.data, ${jsonPath}) = 'object', 0) AND ${this.compile(inner, undefined)})`;
    }
    const condition = this.compile(inner, { set, path });
    const exists = `EXISTS (SELECT 1 FROM ${set.from} WHERE ${set.where} AND ${condition})`;
    const prefilters = this.#indexedConjuncts(inner, path);
    return prefilters.length === 0 ? exists : `(${[...prefilters, exists].join(' AND ')})`;
  }

  /** Index lookups implied by `sub eq "..."` terms ANDed at the top of a value filter. */
  #indexedConjuncts(node: FilterNode, outer: ResolvedPath): string[] {
    if (node.op === 'and') {
      return [...this.#indexedConjuncts(node.left, outer), ...this.#indexedConjuncts(node.right, outer)];
    }
    if (node.op !== 'eq' || typeof node.value !== 'string') return [];
    const path = this.#resolve(node.path);
    if (!sameAttribute(path, outer) || path.subAttribute === undefined) return [];
    const lookup = this.#indexLookup(path, node.value) ?? this.#membershipLookup(path, node.value);
    return lookup === undefined ? [] : [lookup];
  }

  /** `r.pk IN (value_index rows)`: exactly the resources with an element whose sub-attribute equals `value`. */
  #indexLookup(path: ResolvedPath, value: string): string | undefined {
    if (!this.#context.indexedValuePaths.has(pathText(path))) return undefined;
    if (path.info.type === 'dateTime') return undefined;
    const norm = path.info.caseExact ? value : fold(value);
    return `${this.#r}.pk IN (SELECT resource_pk FROM value_index WHERE tenant_id = ${this.#param(
      this.#context.tenantId,
    )} AND path = ${this.#param(pathText(path))} AND value_norm = ${this.#param(norm)})`;
  }

  /** `members.value eq "id"` and `groups.value eq "id"` answered from the membership indexes. */
  #membershipLookup(path: ResolvedPath, value: string): string | undefined {
    if (path.info.extension || path.subAttribute !== 'value') return undefined;
    const r = this.#r;
    if (path.attribute === 'members' && this.#context.resourceType === 'Group') {
      return `${r}.id IN (SELECT group_id FROM members WHERE tenant_id = ${this.#param(
        this.#context.tenantId,
      )} AND member_id = ${this.#param(value)})`;
    }
    if (path.attribute === 'groups' && this.#context.resourceType === 'User') {
      return `${r}.id IN (SELECT member_id FROM members WHERE tenant_id = ${this.#param(
        this.#context.tenantId,
      )} AND group_id = ${this.#param(value)} AND member_type = 'User')`;
    }
    return undefined;
  }

  /** The element set of a multi-valued attribute, or `undefined` for a singular one. */
  #elementSet(path: ResolvedPath): ElementSet | undefined {
    const r = this.#r;
    if (!path.info.extension && path.attribute === 'members' && this.#context.resourceType === 'Group') {
      const m = this.#alias('m');
      return {
        from: `members ${m}`,
        where: `${m}.tenant_id = ${r}.tenant_id AND ${m}.group_id = ${r}.id`,
        element: (sub) => {
          switch (sub) {
            case 'value':
              return { value: `${m}.member_id`, type: `'text'`, notNull: true };
            case 'type':
              return { value: `${m}.member_type`, type: `'text'`, notNull: true };
            case 'display':
              return {
                value: `${m}.display`,
                type: `CASE WHEN ${m}.display IS NULL THEN NULL ELSE 'text' END`,
              };
            case undefined:
              // The element itself: an object that is present (its value always is).
              return { value: `${m}.member_id`, type: `'object'`, notNull: true };
            default:
              // Not part of a stored membership (e.g. $ref, which depends on the base URL).
              return MISSING;
          }
        },
      };
    }
    if (!path.info.extension && path.attribute === 'groups' && this.#context.resourceType === 'User') {
      const g = this.#alias('g');
      const group = `FROM resources gr WHERE gr.tenant_id = ${g}.tenant_id AND gr.resource_type = 'Group' AND gr.id = ${g}.group_id`;
      return {
        from: `members ${g}`,
        where: `${g}.tenant_id = ${r}.tenant_id AND ${g}.member_id = ${r}.id AND ${g}.member_type = ${r}.resource_type`,
        element: (sub) => {
          switch (sub) {
            case 'value':
              return { value: `${g}.group_id`, type: `'text'`, notNull: true };
            case 'type':
              return { value: `'direct'`, type: `'text'`, notNull: true };
            case 'display':
              return {
                value: `(SELECT json_extract(gr.data, '$.displayName') ${group})`,
                type: `(SELECT json_type(gr.data, '$.displayName') ${group})`,
              };
            case undefined:
              return { value: `${g}.group_id`, type: `'object'`, notNull: true };
            default:
              return MISSING;
          }
        },
      };
    }
    if (!path.info.multiValued) return undefined;
    const e = this.#alias('e');
    const arrayPath = this.#param(attributeJsonPath(path));
    return {
      from: `json_each(${r}.data, ${arrayPath}) ${e}`,
      where: path.info.complex ? `${e}.type = 'object'` : `${e}.type <> 'null'`,
      element: (sub) => {
        if (sub === undefined) {
          return {
            value: `${e}.value`,
            type: `${e}.type`,
            tree: { json: `${r}.data`, path: `${e}.fullkey` },
          };
        }
        const object = `CASE WHEN ${e}.type = 'object' THEN ${e}.value END`;
        const subPath = this.#param(subJsonPath(sub));
        return {
          value: `json_extract(${object}, ${subPath})`,
          type: `json_type(${object}, ${subPath})`,
          tree: { json: object, path: subPath },
        };
      },
    };
  }

  #leaf(
    rawPath: FilterPath,
    op: CompareOperator | 'pr',
    value: FilterValue,
    scope: Scope | undefined,
  ): string {
    const path = this.#resolve(rawPath);
    // RFC 7643 2.5: null is "not present": `eq null` is `not pr`, anything else with null is `pr`.
    if (op !== 'pr' && value === null) {
      const present = this.#leaf(rawPath, 'pr', null, scope);
      return op === 'eq' ? `(NOT ${present})` : present;
    }
    // `ne` is "no value equals", including when the attribute is absent.
    if (op === 'ne') return `(NOT ${this.#leaf(rawPath, 'eq', value, scope)})`;

    if (scope !== undefined && sameAttribute(path, scope.path)) {
      return this.#compare(op, scope.set.element(path.subAttribute), value, path);
    }
    const hot = this.#hotColumn(path, op, value);
    if (hot !== undefined) return hot;

    const r = this.#r;
    if (!path.info.extension && path.attribute === 'id' && path.subAttribute === undefined) {
      return this.#compare(op, { value: `${r}.id`, type: `'text'`, notNull: true }, value, path);
    }
    if (!path.info.extension && path.attribute === 'meta') return this.#meta(path, op, value);

    const set = this.#elementSet(path);
    if (set !== undefined) {
      if (op === 'eq' && typeof value === 'string' && path.subAttribute !== undefined) {
        const lookup = this.#indexLookup(path, value) ?? this.#membershipLookup(path, value);
        if (lookup !== undefined) return lookup;
      }
      const condition = this.#compare(op, set.element(path.subAttribute), value, path);
      return `EXISTS (SELECT 1 FROM ${set.from} WHERE ${set.where} AND ${condition})`;
    }
    const jsonPath = this.#param(
      path.subAttribute === undefined
        ? attributeJsonPath(path)
        : `${attributeJsonPath(path)}${subJsonPath(path.subAttribute).slice(1)}`,
    );
    return this.#compare(
      op,
      {
        value: `json_extract(${r}.data, ${jsonPath})`,
        type: `json_type(${r}.data, ${jsonPath})`,
        tree: { json: `${r}.data`, path: jsonPath },
      },
      value,
      path,
    );
  }

  /** Equalities that the store answers from an indexed column. */
  #hotColumn(path: ResolvedPath, op: CompareOperator | 'pr', value: FilterValue): string | undefined {
    if (path.info.extension || path.subAttribute !== undefined || op !== 'eq' || typeof value !== 'string') {
      return undefined;
    }
    if (path.info.type !== 'string' && path.info.type !== 'reference') return undefined;
    const r = this.#r;
    // `c = v AND c IS NOT NULL` is two-valued even when c is NULL (NULL AND false is false), and
    // unlike coalesce(...) or `IS` it keeps the planner's full equality estimate for the index.
    if (path.attribute === 'userName' && this.#context.resourceType === 'User') {
      const folded = `(${r}.user_name_ci = ${this.#param(fold(value))} AND ${r}.user_name_ci IS NOT NULL)`;
      return path.info.caseExact
        ? `(${folded} AND coalesce(json_extract(${r}.data, '$.userName') = ${this.#param(value)}, 0))`
        : folded;
    }
    if (path.attribute === 'externalId') {
      return path.info.caseExact
        ? `(${r}.external_id = ${this.#param(value)} AND ${r}.external_id IS NOT NULL)`
        : `coalesce(scim_fold(${r}.external_id) = ${this.#param(fold(value))}, 0)`;
    }
    if (path.attribute === 'displayName') {
      const folded = `(${r}.display_name_ci = ${this.#param(fold(value))} AND ${r}.display_name_ci IS NOT NULL)`;
      return path.info.caseExact
        ? `(${folded} AND coalesce(json_extract(${r}.data, '$.displayName') = ${this.#param(value)}, 0))`
        : folded;
    }
    return undefined;
  }

  #meta(path: ResolvedPath, op: CompareOperator | 'pr', value: FilterValue): string {
    const r = this.#r;
    switch (path.subAttribute) {
      case 'created':
        return this.#compare(
          op,
          { value: `${r}.created`, type: `'text'`, notNull: true },
          value,
          path,
          `${r}.created_ms`,
        );
      case 'lastModified':
        return this.#compare(
          op,
          { value: `${r}.last_modified`, type: `'text'`, notNull: true },
          value,
          path,
          `${r}.last_modified_ms`,
        );
      case 'resourceType':
        return this.#compare(op, { value: `${r}.resource_type`, type: `'text'`, notNull: true }, value, path);
      case 'version':
        return this.#compare(
          op,
          { value: `('W/"' || ${r}.version || '"')`, type: `'text'`, notNull: true },
          value,
          path,
        );
      case undefined:
        // `meta pr`: every stored resource has its meta.
        if (op === 'pr') return '1';
        throw new ScimError(400, 'invalidFilter', '"meta" is complex; compare one of its sub-attributes');
      default:
        // meta.location depends on the server's base URL, which the store does not know: it is absent here.
        return this.#compare(op, MISSING, value, path);
    }
  }

  /**
   * One comparison of a value source with a filter value (never `ne` or a null value here),
   * decided by the filter value's type as `evaluateFilter` does. `timeColumn` is an indexed
   * epoch-milliseconds column equal to `scim_time(source.value)`.
   */
  #compare(
    op: CompareOperator | 'pr',
    source: ValueSource,
    value: FilterValue,
    path: ResolvedPath,
    timeColumn?: string,
  ): string {
    if (op === 'pr') return this.#present(source);
    if (source === MISSING) return FALSE;
    if (typeof value === 'boolean') {
      if (op !== 'eq') return FALSE;
      return `coalesce(${source.type} = ${value ? `'true'` : `'false'`}, 0)`;
    }
    if (typeof value === 'number') {
      if (op === 'co' || op === 'sw' || op === 'ew' || op === 'ne') return FALSE;
      return guard(
        source,
        `${source.type} IN ('integer', 'real') AND ${source.value} ${SQL_OPERATOR[op]} ${this.#param(value)}`,
      );
    }
    if (typeof value !== 'string' || op === 'ne') return FALSE;
    if (path.info.type === 'dateTime') {
      if (op === 'co' || op === 'sw' || op === 'ew') return FALSE;
      const ms = timeMs(value);
      if (ms === null) return FALSE;
      if (timeColumn !== undefined) {
        // Two-valued without coalesce (NULL AND false is false), so the index on the column stays usable.
        // likelihood(): the planner cannot know how many rows a bound time selects and guesses a
        // quarter, which makes walking every row in id order look cheaper than the time index for a
        // page; a time filter is usually a delta sync (few recent changes), so it is told so.
        return `(likelihood(${timeColumn} ${SQL_OPERATOR[op]} ${this.#param(ms)}, 0.001) AND ${timeColumn} IS NOT NULL)`;
      }
      return `coalesce(scim_time(CASE WHEN ${source.type} = 'text' THEN ${source.value} END) ${SQL_OPERATOR[op]} ${this.#param(ms)}, 0)`;
    }
    const exact = path.info.caseExact;
    const left = exact ? source.value : `scim_fold(${source.value})`;
    const right = exact ? value : fold(value);
    const isText = source.type === `'text'` ? '' : `${source.type} = 'text' AND `;
    if ((op === 'co' || op === 'sw' || op === 'ew') && right.includes('\u0000')) {
      // LIKE stops reading its pattern at a NUL (so `%\0%` would match everything); compare the
      // UTF-8 bytes instead, where byte containment is character containment.
      const bytes = `CAST(${left} AS BLOB)`;
      const needle = `CAST(${this.#param(right)} AS BLOB)`;
      if (op === 'co') return guard(source, `${isText}instr(${bytes}, ${needle}) > 0`);
      const n = `length(${needle})`;
      const edge = op === 'sw' ? `substr(${bytes}, 1, ${n})` : `substr(${bytes}, -${n})`;
      return guard(source, `${isText}length(${bytes}) >= ${n} AND ${edge} = ${needle}`);
    }
    switch (op) {
      case 'co':
        return guard(source, `${isText}${left} LIKE ${this.#param(`%${escapeLike(right)}%`)} ESCAPE '\\'`);
      case 'sw':
        return guard(source, `${isText}${left} LIKE ${this.#param(`${escapeLike(right)}%`)} ESCAPE '\\'`);
      case 'ew':
        return guard(source, `${isText}${left} LIKE ${this.#param(`%${escapeLike(right)}`)} ESCAPE '\\'`);
      default:
        return guard(source, `${isText}${left} ${SQL_OPERATOR[op]} ${this.#param(right)}`);
    }
  }

  /** `pr`: some scalar inside the value is not null and not ''. */
  #present(source: ValueSource): string {
    if (source === MISSING) return FALSE;
    if (source.tree !== undefined) {
      const t = this.#alias('t');
      return `EXISTS (SELECT 1 FROM json_tree(${source.tree.json}, ${source.tree.path}) ${t} WHERE ${t}.type NOT IN ('object', 'array', 'null') AND NOT (${t}.type = 'text' AND ${t}.atom = ''))`;
    }
    if (source.type === `'object'`) return '1';
    return guard(source, `${source.value} IS NOT NULL AND ${source.value} <> ''`);
  }
}

function sameAttribute(path: ResolvedPath, outer: ResolvedPath): boolean {
  return (
    path.attribute === outer.attribute &&
    path.info.extension === outer.info.extension &&
    (!path.info.extension || path.info.schema === outer.info.schema)
  );
}

const SQL_OPERATOR: Record<'eq' | 'gt' | 'ge' | 'lt' | 'le', string> = {
  eq: '=',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/** Makes a condition two-valued (never NULL), so NOT and OR stay exact; NOT NULL sources need nothing. */
function guard(source: ValueSource, condition: string): string {
  return source.notNull === true ? `(${condition})` : `coalesce(${condition}, 0)`;
}

/** Escapes `\`, `%` and `_` for `LIKE ... ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
