import { ScimError, isScimError } from '../errors/scim-error.js';
import { evaluateFilter } from '../filter/evaluate.js';
import type { FilterNode } from '../filter/ast.js';
import { defaultSchemaRegistry } from '../schema/registry.js';
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaRegistry,
  ScimResource,
} from '../schema/types.js';
import { splitAttributePath } from '../schema/urn-path.js';
import type { MemberRef } from '../store/types.js';
import { keepImmutableElements } from '../validate/immutable.js';
import { valuesEqual } from '../validate/values-equal.js';
import { changedAttributes, isPlainObject } from './changed-attributes.js';
import { type DialectName, resolveDialects } from './dialects.js';
import { MemberDeltaBuilder, memberIdsOfFilter, toMemberRef } from './members.js';
import { findKey, readAttribute, removeAttribute, safeClone, writeAttribute } from './object-access.js';
import { type OperationName, type PatchOperation, parsePatchBody } from './parse-body.js';
import { type Target, isExtensionTarget, mentionsForbiddenName, resolveTarget } from './target.js';
import type { ApplyPatchOptions, PatchDelta, PatchResult } from './types.js';
import { type ValueContext, elementDefinition, prepareElements, prepareValue } from './values.js';

type Json = Record<string, unknown>;

/**
 * Applies a SCIM PatchOp message (RFC 7644 3.5.2) to a resource and reports what changed.
 *
 * - `body` is the message as received: `{ schemas: [PatchOp URN], Operations: [...] }`.
 * - The input resource is never modified; the operations run on a deep copy, so one failing
 *   operation leaves nothing half-applied (the error is thrown, the caller keeps its resource).
 * - Paths are resolved case-insensitively against the registry; values are checked and coerced
 *   like `validateResource` does (canonical names, `"42"` -> 42 where the type says so).
 * - IdP dialect rules (see `DIALECT_NAMES`) are on unless `options.dialects` switches them off.
 * - With `membersExternal`, a group's member operations only fill `delta.members`, so a store can
 *   apply a one-member change without reading the group's members.
 *
 * Errors are `ScimError` 400 with `invalidSyntax` (malformed body, unknown op), `invalidPath`
 * (unknown or malformed path), `noTarget` (a filter matching nothing, a remove without path),
 * `invalidValue` (wrong type, missing value, an empty required string) or `mutability`
 * (readOnly attributes such as `id` and `meta`, an immutable one that already has a value, removing
 * or clearing a required attribute).
 * The detail starts with `Operations[i]` naming the failing operation.
 *
 * @example
 * const { resource, delta } = applyPatch(user, {
 *   schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
 *   Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
 * });
 * // resource.active === false, delta.changedAttributes === ['active']
 */
export function applyPatch(
  resource: ScimResource,
  body: unknown,
  options: ApplyPatchOptions = {},
): PatchResult {
  const registry = options.registry ?? defaultSchemaRegistry;
  const type =
    options.resourceType !== undefined
      ? registry.getResourceType(options.resourceType)
      : registry.resourceTypeForSchemas(Array.isArray(resource.schemas) ? resource.schemas : []);
  if (type === undefined) {
    throw new TypeError(
      `applyPatch: unknown resource type ${options.resourceType ?? `for schemas ${JSON.stringify(resource.schemas)}`}`,
    );
  }
  const dialects = resolveDialects(options.dialects);
  const operations = parsePatchBody(body, dialects);
  const patcher = new Patcher(resource, registry, type, dialects, options);
  for (const operation of operations) {
    try {
      patcher.apply(operation);
    } catch (error) {
      if (!isScimError(error)) throw error;
      const where = operation.path === undefined ? operation.op : `${operation.op} "${operation.path}"`;
      throw new ScimError(
        error.status,
        error.scimType,
        `Operations[${operation.index}] (${where}): ${error.detail}`,
        {
          cause: error,
        },
      );
    }
  }
  return patcher.finish();
}

interface Placement {
  /** True when the value came from a no-path operation's object (Okta echoes `id` there). */
  fromObject: boolean;
  hasValue: boolean;
}

class Patcher implements ValueContext {
  readonly dialects: Readonly<Record<DialectName, boolean>>;
  readonly strict: boolean;
  readonly #original: ScimResource;
  readonly #resource: ScimResource;
  readonly #registry: SchemaRegistry;
  readonly #type: ResourceTypeDefinition;
  readonly #members: MemberDeltaBuilder | undefined;

  constructor(
    resource: ScimResource,
    registry: SchemaRegistry,
    type: ResourceTypeDefinition,
    dialects: Readonly<Record<DialectName, boolean>>,
    options: ApplyPatchOptions,
  ) {
    this.#original = resource;
    this.#resource = safeClone(resource);
    this.#registry = registry;
    this.#type = type;
    this.dialects = dialects;
    this.strict = options.strict ?? false;
    const membersDefined = registry.resolve(type.name, { attribute: 'members' }) !== undefined;
    // Loaded members are patched in place (and diffed); only absent ones make the delta the sole output.
    this.#members =
      options.membersExternal === true &&
      membersDefined &&
      !Array.isArray(readAttribute(this.#resource, 'members'))
        ? new MemberDeltaBuilder()
        : undefined;
  }

  apply(operation: PatchOperation): void {
    const { op, path, value, hasValue } = operation;
    if (path === undefined) {
      if (op === 'remove')
        throw new ScimError(400, 'noTarget', 'A remove needs a "path" naming what to remove');
      if (!isPlainObject(value)) {
        throw new ScimError(
          400,
          'invalidValue',
          `An ${op} without "path" needs an object of attributes as its value`,
        );
      }
      this.#applyObject(op, value);
      return;
    }
    const target = resolveTarget(path, this.#registry, this.#type.name);
    if (isExtensionTarget(target)) {
      if (op === 'remove') {
        removeAttribute(this.#resource, target.extension);
        return;
      }
      if (!isPlainObject(value)) {
        throw new ScimError(
          400,
          'invalidValue',
          `The value for extension "${target.extension}" must be an object`,
        );
      }
      this.#applyExtensionObject(op, target.extension, value);
      return;
    }
    this.#applyAt(op, target, value, { fromObject: false, hasValue });
  }

  finish(): PatchResult {
    this.#normaliseSchemas();
    const delta: PatchDelta = { changedAttributes: changedAttributes(this.#original, this.#resource) };
    if (this.#members !== undefined) {
      if (this.#members.touched) {
        delta.members = this.#members.result();
        if (!delta.changedAttributes.includes('members')) {
          delta.changedAttributes.push('members');
          delta.changedAttributes.sort();
        }
      }
    } else {
      const members = diffMembers(
        readAttribute(this.#original, 'members'),
        readAttribute(this.#resource, 'members'),
      );
      if (members !== undefined) delta.members = members;
    }
    return { resource: this.#resource, delta };
  }

  // ---- no-path values ----

  #applyObject(op: OperationName, object: Json): void {
    for (const key of Object.keys(object)) {
      if (mentionsForbiddenName(key) || key.toLowerCase() === 'schemas') continue;
      const value = object[key];
      const isUrn = /^urn:/i.test(key);
      if (isUrn && isPlainObject(value)) {
        const split = splitAttributePath(this.#registry, this.#type.name, key);
        if (split?.attribute === '' && split.schema !== undefined && this.#isExtension(split.schema)) {
          this.#applyExtensionObject(op, split.schema, value);
          continue;
        }
      }
      if (!isUrn && !/[.[\]]/.test(key)) {
        const resolved = this.#registry.resolve(this.#type.name, { attribute: key });
        if (resolved !== undefined) {
          this.#applyAt(op, { text: key, resolved }, value, { fromObject: true, hasValue: true });
          continue;
        }
      } else if (this.dialects.dottedKeysInNoPathValue) {
        const target = resolveTarget(key, this.#registry, this.#type.name);
        if (isExtensionTarget(target)) {
          if (isPlainObject(value)) this.#applyExtensionObject(op, target.extension, value);
        } else {
          this.#applyAt(op, target, value, { fromObject: true, hasValue: true });
        }
        continue;
      }
      if (this.strict) {
        throw new ScimError(400, 'invalidPath', `"${key}" is not an attribute of ${this.#type.name}`);
      }
    }
  }

  #applyExtensionObject(op: OperationName, schema: string, object: Json): void {
    for (const key of Object.keys(object)) {
      if (mentionsForbiddenName(key)) continue;
      const resolved = this.#registry.resolve(this.#type.name, { schema, attribute: key });
      if (resolved === undefined || !resolved.extension) {
        if (this.strict) throw new ScimError(400, 'invalidPath', `"${key}" is not an attribute of ${schema}`);
        continue;
      }
      this.#applyAt(op, { text: `${schema}:${key}`, resolved }, object[key], {
        fromObject: true,
        hasValue: true,
      });
    }
  }

  #isExtension(schema: string): boolean {
    return this.#type.schemaExtensions.some(
      (extension) => extension.schema.toLowerCase() === schema.toLowerCase(),
    );
  }

  // ---- one attribute ----

  #applyAt(op: OperationName, target: Target, value: unknown, placement: Placement): void {
    const { resolved } = target;
    const readOnly =
      resolved.definition.mutability === 'readOnly' ||
      resolved.leaf.mutability === 'readOnly' ||
      target.filterSub?.mutability === 'readOnly';
    if (readOnly) {
      if (
        placement.fromObject &&
        op !== 'remove' &&
        this.dialects.unchangedReadOnlyInValue &&
        this.#sameAsCurrent(target, value)
      ) {
        return;
      }
      throw new ScimError(400, 'mutability', `Attribute "${target.text}" is readOnly and cannot be changed`);
    }
    if (this.#members !== undefined && !resolved.extension && resolved.attribute === 'members') {
      this.#applyExternalMembers(op, target, value, placement);
      return;
    }
    const holder = this.#holder(target, op !== 'remove');
    if (!resolved.definition.multiValued) {
      this.#applySingular(op, target, value, holder);
      return;
    }
    // Elements are matched by `value` after the operation, so every way of rewriting an element
    // (add merge, replace of the list or of a filtered element, no-path values) keeps its immutable
    // sub-attributes, as validateResource does for PUT.
    const guarded = resolved.definition.type === 'complex' && resolved.definition.mutability !== 'immutable';
    const before = guarded && holder !== undefined ? readAttribute(holder, resolved.attribute) : undefined;
    const snapshot = Array.isArray(before) && before.length > 0 ? safeClone(before) : undefined;
    this.#applyMultiValued(op, target, value, placement, holder);
    if (snapshot === undefined) return;
    const after = readAttribute(this.#holder(target, false) ?? {}, resolved.attribute);
    if (!Array.isArray(after)) return;
    const path = resolved.extension ? `${resolved.schema}:${resolved.attribute}` : resolved.attribute;
    keepImmutableElements(resolved.definition, after, snapshot, path);
  }

  #sameAsCurrent(target: Target, value: unknown): boolean {
    if (target.filter !== undefined) return false;
    const holder = this.#holder(target, false);
    const current = holder === undefined ? undefined : readAttribute(holder, target.resolved.attribute);
    const { resolved } = target;
    try {
      if (resolved.subAttribute === undefined) {
        return valuesEqual(
          current,
          prepareValue(value, resolved.definition, target.text, this),
          resolved.definition,
        );
      }
      const sub = isPlainObject(current) ? readAttribute(current, resolved.subAttribute) : undefined;
      return valuesEqual(sub, prepareValue(value, resolved.leaf, target.text, this), resolved.leaf);
    } catch {
      return false;
    }
  }

  /** The object holding the attribute: the resource, or its extension object (created when asked). */
  #holder(target: Target, create: boolean): Json | undefined {
    const { resolved } = target;
    if (!resolved.extension) return this.#resource;
    const existing = readAttribute(this.#resource, resolved.schema);
    if (isPlainObject(existing)) return existing;
    if (!create) return undefined;
    const created: Json = {};
    writeAttribute(this.#resource, resolved.schema, created);
    return created;
  }

  #applySingular(op: OperationName, target: Target, value: unknown, holder: Json | undefined): void {
    const { resolved } = target;
    const name = resolved.attribute;
    const current = holder === undefined ? undefined : readAttribute(holder, name);

    if (resolved.subAttribute === undefined) {
      if (op === 'remove') {
        this.#removeWhole(target, holder);
        return;
      }
      const prepared = prepareValue(value, resolved.definition, target.text, this);
      if (prepared === undefined) {
        this.#emptyValue(op, target, () => this.#removeWhole(target, holder));
        return;
      }
      // RFC 7644 3.5.2.1/3.5.2.3: sub-attributes not given are left unchanged.
      const next =
        resolved.definition.type === 'complex' && isPlainObject(current) && isPlainObject(prepared)
          ? { ...current, ...prepared }
          : prepared;
      this.#checkImmutable(resolved.definition, current, next, target.text);
      writeAttribute(holder!, name, next);
      return;
    }

    const sub = resolved.subAttribute;
    if (op === 'remove') {
      if (!isPlainObject(current)) return;
      this.#checkImmutable(resolved.leaf, readAttribute(current, sub), undefined, target.text);
      removeAttribute(current, sub);
      if (Object.keys(current).length === 0) removeAttribute(holder!, name);
      return;
    }
    const prepared = prepareValue(value, resolved.leaf, target.text, this);
    if (prepared === undefined) {
      this.#emptyValue(op, target, () => {
        if (isPlainObject(current)) {
          removeAttribute(current, sub);
          if (Object.keys(current).length === 0) removeAttribute(holder!, name);
        }
      });
      return;
    }
    const object = isPlainObject(current) ? current : {};
    this.#checkImmutable(resolved.leaf, readAttribute(object, sub), prepared, target.text);
    writeAttribute(object, sub, prepared);
    if (object !== current) writeAttribute(holder!, name, object);
  }

  #applyMultiValued(
    op: OperationName,
    target: Target,
    value: unknown,
    placement: Placement,
    holder: Json | undefined,
  ): void {
    const { resolved } = target;
    const definition = resolved.definition;
    const name = resolved.attribute;
    const current = holder === undefined ? undefined : readAttribute(holder, name);
    const list: unknown[] = Array.isArray(current)
      ? current
      : current === undefined || current === null
        ? []
        : [current];

    if (target.filter !== undefined) {
      this.#applyFiltered(op, target, target.filter, value, holder, list);
      return;
    }

    if (resolved.subAttribute !== undefined) {
      // `emails.type`: every element.
      const sub = resolved.leaf;
      if (op === 'remove') {
        for (const element of list) {
          if (!isPlainObject(element)) continue;
          this.#checkImmutable(sub, readAttribute(element, sub.name), undefined, target.text);
          removeAttribute(element, sub.name);
        }
        return;
      }
      if (list.length === 0) throw new ScimError(400, 'noTarget', `"${name}" has no values to ${op}`);
      const prepared = prepareValue(value, sub, target.text, this);
      if (sub.name === 'primary' && prepared === true && list.length > 1) {
        throw new ScimError(400, 'invalidValue', `Only one value of "${name}" may be primary; use a filter`);
      }
      for (const element of list) {
        if (!isPlainObject(element)) continue;
        this.#checkImmutable(sub, readAttribute(element, sub.name), prepared, target.text);
        if (prepared === undefined) removeAttribute(element, sub.name);
        else writeAttribute(element, sub.name, prepared);
      }
      return;
    }

    switch (op) {
      case 'add': {
        const elements = prepareElements(value, definition, target.text, this);
        if (elements.length === 0) return;
        if (list.length > 0) this.#checkImmutable(definition, list, [...list, ...elements], target.text);
        const touched = mergeElements(list, elements, definition);
        enforceOnePrimary(list, touched);
        writeAttribute(holder!, name, list);
        return;
      }
      case 'replace': {
        const elements = prepareElements(value, definition, target.text, this);
        if (elements.length === 0) {
          this.#emptyValue(op, target, () => this.#removeWhole(target, holder));
          return;
        }
        const primaries = elements.filter(
          (element) => isPlainObject(element) && element.primary === true,
        ).length;
        if (primaries > 1) {
          throw new ScimError(
            400,
            'invalidValue',
            `"${name}" has ${primaries} primary values; at most one may be`,
          );
        }
        const next: unknown[] = [];
        mergeElements(next, elements, definition);
        if (list.length > 0) this.#checkImmutable(definition, list, next, target.text);
        writeAttribute(holder!, name, next);
        return;
      }
      case 'remove': {
        if (
          placement.hasValue &&
          value !== null &&
          value !== undefined &&
          this.dialects.removeMembersByValueArray
        ) {
          this.#removeByValue(target, value, holder, list);
          return;
        }
        this.#removeWhole(target, holder);
        return;
      }
    }
  }

  #applyFiltered(
    op: OperationName,
    target: Target,
    filter: FilterNode,
    value: unknown,
    holder: Json | undefined,
    list: unknown[],
  ): void {
    const { resolved } = target;
    const name = resolved.attribute;
    const sub = target.filterSub;
    const matched = list.filter(
      (element): element is Json => isPlainObject(element) && this.#matches(target, element),
    );

    if (op === 'remove') {
      if (matched.length === 0) {
        if (
          name === 'members' &&
          this.dialects.removeAbsentMemberIsNoOp &&
          memberIdsOfFilter(filter) !== undefined
        ) {
          return;
        }
        throw new ScimError(400, 'noTarget', `No value of "${name}" matches the filter of "${target.text}"`);
      }
      if (sub === undefined) {
        const remaining = list.filter((element) => !matched.includes(element as Json));
        if (remaining.length === 0) this.#removeWhole(target, holder);
        else writeAttribute(holder!, name, remaining);
      } else {
        for (const element of matched) {
          this.#checkImmutable(sub, readAttribute(element, sub.name), undefined, target.text);
          removeAttribute(element, sub.name);
        }
      }
      return;
    }

    const prepared =
      sub === undefined
        ? prepareValue(value, elementDefinition(resolved.definition), target.text, this)
        : prepareValue(value, sub, target.text, this);
    if (prepared === undefined) {
      this.#emptyValue(op, target, () => {
        if (matched.length === 0) return;
        if (sub !== undefined) for (const element of matched) removeAttribute(element, sub.name);
        else {
          const remaining = list.filter((element) => !matched.includes(element as Json));
          if (remaining.length === 0) this.#removeWhole(target, holder);
          else writeAttribute(holder!, name, remaining);
        }
      });
      return;
    }

    let touched: Json[];
    if (matched.length === 0) {
      const seed = this.dialects.createMissingValuePathElement
        ? this.#seedFromFilter(target, filter)
        : undefined;
      if (seed === undefined) {
        throw new ScimError(400, 'noTarget', `No value of "${name}" matches the filter of "${target.text}"`);
      }
      const element: Json =
        sub === undefined ? { ...seed, ...(prepared as Json) } : { ...seed, [sub.name]: prepared };
      list.push(element);
      touched = [element];
    } else if (sub === undefined) {
      touched = matched.map((element) => {
        const index = list.indexOf(element);
        // add merges into the matched value; replace swaps it for the given one (RFC 7644 3.5.2.3).
        const next = op === 'add' ? { ...element, ...(prepared as Json) } : { ...(prepared as Json) };
        list[index] = next;
        return next;
      });
    } else {
      if (sub.name === 'primary' && prepared === true && matched.length > 1) {
        throw new ScimError(
          400,
          'invalidValue',
          `The filter of "${target.text}" matches several values; only one may be primary`,
        );
      }
      for (const element of matched) {
        this.#checkImmutable(sub, readAttribute(element, sub.name), prepared, target.text);
        writeAttribute(element, sub.name, prepared);
      }
      touched = matched;
    }
    enforceOnePrimary(list, touched);
    writeAttribute(this.#holder(target, true)!, name, list);
  }

  #removeByValue(target: Target, value: unknown, holder: Json | undefined, list: unknown[]): void {
    const { resolved } = target;
    const single = elementDefinition(resolved.definition);
    const items = prepareElements(value, resolved.definition, target.text, this);
    let remaining = list;
    for (const item of items) {
      const before = remaining.length;
      remaining = remaining.filter((element) => !sameValue(element, item, single));
      if (remaining.length === before && !this.dialects.removeAbsentMemberIsNoOp) {
        throw new ScimError(
          400,
          'noTarget',
          `"${resolved.attribute}" has no value ${JSON.stringify(item)} to remove`,
        );
      }
    }
    if (remaining.length === list.length) return;
    if (remaining.length === 0) this.#removeWhole(target, holder);
    else writeAttribute(holder!, resolved.attribute, remaining);
  }

  #applyExternalMembers(op: OperationName, target: Target, value: unknown, placement: Placement): void {
    const builder = this.#members!;
    if (target.filter === undefined && target.resolved.subAttribute === undefined) {
      switch (op) {
        case 'add':
          builder.add(this.#memberRefs(value, target));
          return;
        case 'replace': {
          const members = this.#memberRefs(value, target);
          if (members.length === 0 && !this.dialects.emptyMembersReplaceMeansNone) {
            throw new ScimError(
              400,
              'invalidValue',
              'A replace of "members" needs members; to clear them use remove',
            );
          }
          builder.replace(members);
          return;
        }
        case 'remove':
          if (
            placement.hasValue &&
            value !== null &&
            value !== undefined &&
            this.dialects.removeMembersByValueArray
          ) {
            builder.remove(this.#memberRefs(value, target).map((member) => member.value));
          } else {
            builder.replace([]);
          }
          return;
      }
    }
    if (op === 'remove' && target.filter !== undefined && target.filterSub === undefined) {
      const ids = memberIdsOfFilter(target.filter);
      if (ids === undefined) {
        throw new ScimError(
          400,
          'invalidPath',
          `"${target.text}" filters members on something other than their id, which needs the group's members loaded; use members[value eq "<id>"] (joined with "or" for several)`,
        );
      }
      builder.remove(ids);
      return;
    }
    throw new ScimError(
      400,
      'invalidPath',
      `"${target.text}" is not supported for group members; use add, replace or remove on "members", or remove "members[value eq \\"<id>\\"]"`,
    );
  }

  #memberRefs(value: unknown, target: Target): MemberRef[] {
    return prepareElements(value, target.resolved.definition, target.text, this).map((element, index) =>
      toMemberRef(element, `${target.text}[${index}]`),
    );
  }

  // ---- helpers ----

  #matches(target: Target, element: Json): boolean {
    const { resolved } = target;
    // Evaluate the filter against a resource holding only this element: "any value matches" is then "it matches".
    const probe: ScimResource = { schemas: this.#resource.schemas };
    if (resolved.extension) probe[resolved.schema] = { [resolved.attribute]: [element] };
    else probe[resolved.attribute] = [element];
    return evaluateFilter(target.filter!, probe, { registry: this.#registry, resourceType: this.#type.name });
  }

  /** The element a value filter describes, when it is made of `sub eq value` joined by `and`. */
  #seedFromFilter(target: Target, filter: FilterNode): Json | undefined {
    const definition = target.resolved.definition;
    const seed: Json = {};
    const walk = (node: FilterNode): boolean => {
      if (node.op === 'and') return walk(node.left) && walk(node.right);
      if (node.op !== 'eq' || node.value === null || node.path.subAttribute === undefined) return false;
      const wanted = node.path.subAttribute.toLowerCase();
      const sub = definition.subAttributes?.find((candidate) => candidate.name.toLowerCase() === wanted);
      if (sub === undefined) return false;
      const value = prepareValue(node.value, sub, `${target.text}`, this);
      if (value === undefined) return false;
      seed[sub.name] = value;
      return true;
    };
    return walk(filter) ? seed : undefined;
  }

  #removeWhole(target: Target, holder: Json | undefined): void {
    const { resolved } = target;
    // RFC 7644 3.5.2: a required attribute that is removed or becomes unassigned is "mutability".
    if (resolved.definition.required) {
      throw new ScimError(400, 'mutability', `Attribute "${target.text}" is required and cannot be removed`);
    }
    if (holder === undefined) return;
    const current = readAttribute(holder, resolved.attribute);
    this.#checkImmutable(resolved.definition, current, undefined, target.text);
    removeAttribute(holder, resolved.attribute);
  }

  /** A null or empty value: with `emptyMembersReplaceMeansNone` a replace clears; anything else is refused. */
  #emptyValue(op: OperationName, target: Target, clear: () => void): void {
    if (op === 'replace' && this.dialects.emptyMembersReplaceMeansNone) {
      clear();
      return;
    }
    throw new ScimError(
      400,
      'invalidValue',
      `"${op}" of "${target.text}" needs a value; to clear it use remove`,
    );
  }

  #checkImmutable(definition: AttributeDefinition, current: unknown, next: unknown, path: string): void {
    if (definition.mutability !== 'immutable') return;
    if (current === undefined || current === null || (Array.isArray(current) && current.length === 0)) return;
    if (next !== undefined && valuesEqual(current, next, definition)) return;
    throw new ScimError(400, 'mutability', `Attribute "${path}" is immutable and already has a value`);
  }

  /** Lists extension URNs in `schemas` exactly when the resource has data under them. */
  #normaliseSchemas(): void {
    const resource = this.#resource;
    let schemas = Array.isArray(resource.schemas) ? [...resource.schemas] : [this.#type.schema];
    for (const { schema } of this.#type.schemaExtensions) {
      const key = findKey(resource, schema);
      const value = key === undefined ? undefined : resource[key];
      const present = isPlainObject(value) && Object.keys(value).length > 0;
      if (key !== undefined && !present) delete resource[key];
      if (present && key !== schema) writeAttribute(resource, schema, value);
      const listed = schemas.some((entry) => entry.toLowerCase() === schema.toLowerCase());
      if (present && !listed) schemas.push(schema);
      if (!present && listed)
        schemas = schemas.filter((entry) => entry.toLowerCase() !== schema.toLowerCase());
    }
    resource.schemas = schemas;
  }
}

/** True when `element` is the value `item` describes: every sub-attribute `item` gives is equal. */
function sameValue(element: unknown, item: unknown, definition: AttributeDefinition): boolean {
  if (definition.type !== 'complex' || !isPlainObject(item)) return valuesEqual(element, item, definition);
  if (!isPlainObject(element)) return false;
  return Object.keys(item).every((key) => {
    const sub = definition.subAttributes?.find((candidate) => candidate.name === key);
    return sub !== undefined && valuesEqual(readAttribute(element, key), item[key], sub);
  });
}

/**
 * Adds elements to a multi-valued attribute without duplicating: an element with the same `value`
 * (and `type`, when both have one) as an existing one is merged into it. Returns the elements added
 * or updated.
 */
function mergeElements(
  list: unknown[],
  elements: readonly unknown[],
  definition: AttributeDefinition,
): unknown[] {
  const single = elementDefinition(definition);
  const valueSub = single.subAttributes?.find((sub) => sub.name === 'value');
  const typeSub = single.subAttributes?.find((sub) => sub.name === 'type');
  const touched: unknown[] = [];
  for (const element of elements) {
    let duplicate: unknown;
    if (isPlainObject(element) && valueSub !== undefined && element.value !== undefined) {
      duplicate = list.find(
        (existing) =>
          isPlainObject(existing) &&
          valuesEqual(readAttribute(existing, 'value'), element.value, valueSub) &&
          (typeSub === undefined ||
            readAttribute(existing, 'type') === undefined ||
            element.type === undefined ||
            valuesEqual(readAttribute(existing, 'type'), element.type, typeSub)),
      );
    } else {
      duplicate = list.find((existing) => valuesEqual(existing, element, single));
    }
    if (duplicate === undefined) {
      list.push(element);
      touched.push(element);
    } else if (isPlainObject(duplicate) && isPlainObject(element)) {
      // Only sub-attributes that really differ are written, so `BABS@x` does not respell `babs@x`.
      for (const [key, item] of Object.entries(element)) {
        const sub = single.subAttributes?.find((candidate) => candidate.name === key);
        if (sub !== undefined && valuesEqual(readAttribute(duplicate, key), item, sub)) continue;
        writeAttribute(duplicate, key, item);
      }
      touched.push(duplicate);
    }
  }
  return touched;
}

/**
 * RFC 7644 3.5.2: setting `primary: true` on a value sets it false on the others. The most recent
 * value made primary wins; untouched values keep theirs unless a touched one claims it.
 */
function enforceOnePrimary(list: unknown[], touched: readonly unknown[]): void {
  const primaries = list.filter((element) => isPlainObject(element) && element.primary === true);
  if (primaries.length <= 1) return;
  const keep =
    [...touched].reverse().find((element) => isPlainObject(element) && element.primary === true) ??
    primaries[0];
  for (const element of primaries) if (element !== keep) (element as Json).primary = false;
}

/** The member change between two loaded member lists, or undefined when there is none. */
function diffMembers(before: unknown, after: unknown): PatchDelta['members'] | undefined {
  if (!Array.isArray(before) && !Array.isArray(after)) return undefined;
  const ids = (list: unknown): Map<string, Json> => {
    const map = new Map<string, Json>();
    if (Array.isArray(list)) {
      for (const element of list) {
        if (isPlainObject(element) && typeof element.value === 'string') map.set(element.value, element);
      }
    }
    return map;
  };
  const old = ids(before);
  const now = ids(after);
  const added: MemberRef[] = [];
  for (const [id, element] of now) {
    if (!old.has(id)) added.push(toMemberRef(element, `members[value eq "${id}"]`));
  }
  const removed = [...old.keys()].filter((id) => !now.has(id));
  if (added.length === 0 && removed.length === 0) return undefined;
  return { added, removed, replaced: false };
}
