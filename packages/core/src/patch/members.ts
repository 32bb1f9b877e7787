import { ScimError } from '../errors/scim-error.js';
import type { FilterNode } from '../filter/ast.js';
import type { MemberRef } from '../store/types.js';
import { isPlainObject } from './changed-attributes.js';

/**
 * Accumulates the membership change of a PATCH whose group members live apart from the resource,
 * composing operations in order: an add after a remove of the same id re-adds it, a replace
 * starts over from the given set.
 */
export class MemberDeltaBuilder {
  #added = new Map<string, MemberRef>();
  #removed = new Set<string>();
  #replaced = false;
  #touched = false;

  add(members: readonly MemberRef[]): void {
    this.#touched = true;
    for (const member of members) {
      this.#removed.delete(member.value);
      this.#added.set(member.value, member);
    }
  }

  remove(ids: readonly string[]): void {
    this.#touched = true;
    for (const id of ids) {
      this.#added.delete(id);
      // After a replace the set is exactly `added`, so a removal needs no record of its own.
      if (!this.#replaced) this.#removed.add(id);
    }
  }

  replace(members: readonly MemberRef[]): void {
    this.#touched = true;
    this.#replaced = true;
    this.#added.clear();
    this.#removed.clear();
    for (const member of members) this.#added.set(member.value, member);
  }

  /** True once any member operation was applied (even one that changes nothing). */
  get touched(): boolean {
    return this.#touched;
  }

  result(): { added: MemberRef[]; removed: string[]; replaced: boolean } {
    return { added: [...this.#added.values()], removed: [...this.#removed], replaced: this.#replaced };
  }
}

/**
 * A member reference from a checked `members` element: `value` is required, `type` defaults to
 * `User` and is canonicalised (`group` -> `Group`).
 */
export function toMemberRef(element: unknown, path: string): MemberRef {
  if (!isPlainObject(element) || typeof element.value !== 'string' || element.value === '') {
    throw new ScimError(400, 'invalidValue', `Member "${path}" needs a "value" with the member's id`);
  }
  let type: MemberRef['type'] = 'User';
  if (element.type !== undefined) {
    const text = String(element.type).toLowerCase();
    if (text === 'user') type = 'User';
    else if (text === 'group') type = 'Group';
    else {
      throw new ScimError(
        400,
        'invalidValue',
        `Member "${path}" has type ${JSON.stringify(element.type)}; use "User" or "Group"`,
      );
    }
  }
  const member: MemberRef = { value: element.value, type };
  if (typeof element.display === 'string') member.display = element.display;
  return member;
}

/**
 * The member ids a filter selects when it only compares `value` with `eq`, joined by `or`
 * (`value eq "a" or value eq "b"`); undefined for any other filter, which needs the members loaded.
 */
export function memberIdsOfFilter(filter: FilterNode): string[] | undefined {
  switch (filter.op) {
    case 'or': {
      const left = memberIdsOfFilter(filter.left);
      const right = memberIdsOfFilter(filter.right);
      return left === undefined || right === undefined ? undefined : [...left, ...right];
    }
    case 'eq':
      if (filter.path.subAttribute?.toLowerCase() === 'value' && typeof filter.value === 'string') {
        return [filter.value];
      }
      return undefined;
    default:
      return undefined;
  }
}
