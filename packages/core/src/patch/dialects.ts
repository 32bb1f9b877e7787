/**
 * IdP dialect rules of the PATCH engine: deviations from RFC 7644 3.5.2 that Microsoft Entra ID,
 * Okta and other identity providers send in practice. Every rule is on by default; switch one off
 * with `applyPatch(resource, body, { dialects: { stringBooleans: false } })` to get the strict RFC
 * behaviour described for it.
 */

/** `"op": "Add"`, `"Replace"`, `"REMOVE"` accepted (Entra ID). Off: only `add`, `remove`, `replace`; anything else is 400 invalidSyntax. */
export const caseInsensitiveOps = 'caseInsensitiveOps';
/** `"True"` / `"false"` accepted for boolean attributes (Entra ID's `active`). Off: 400 invalidValue. */
export const stringBooleans = 'stringBooleans';
/** `"42"` / `"1.5"` accepted for integer and decimal attributes. Off: 400 invalidValue. */
export const stringNumbers = 'stringNumbers';
/**
 * In an add or replace without `path`, keys that are paths: `{"name.givenName": "Ann"}`,
 * `{"urn:...:enterprise:2.0:User:department": "R&D"}`, `{"emails[type eq \"work\"].value": "a@b"}`
 * (Entra ID). Each is applied as if it were an operation with that path. Off: such keys are not
 * attribute names, so they are ignored (or rejected with 400 invalidPath when `strict`).
 */
export const dottedKeysInNoPathValue = 'dottedKeysInNoPathValue';
/**
 * `{"op":"remove","path":"members","value":[{"value":"id"}]}` removes only the listed values
 * (Entra ID), for `members` and any other multi-valued attribute. Off: RFC 7644 3.5.2.2: a remove
 * of a multi-valued attribute without a filter removes all its values; the `value` is ignored.
 */
export const removeMembersByValueArray = 'removeMembersByValueArray';
/**
 * An add or replace to `emails[type eq "work"].value` (or `addresses`, `phoneNumbers`, ...) when no
 * element matches creates `{ type: 'work', value }` (Entra ID). Only filters made of `eq` joined by
 * `and` can create. Off: 400 noTarget.
 */
export const createMissingValuePathElement = 'createMissingValuePathElement';
/**
 * A string given for a singular complex attribute that has a `value` sub-attribute is taken as
 * `{ value }`: Entra ID sends the enterprise `manager` as a plain id. Off: 400 invalidValue.
 */
export const managerAsString = 'managerAsString';
/**
 * A replace of `members` with `[]` or `null` (or a no-path replace with `"members": []`) means "no
 * members" (Okta, Entra ID), and likewise for any attribute. Off: a replace must carry a value;
 * an empty one is 400 invalidValue (use remove to clear).
 */
export const emptyMembersReplaceMeansNone = 'emptyMembersReplaceMeansNone';
/**
 * In a no-path add or replace, a readOnly or immutable attribute whose value equals the current one
 * is ignored: Okta sends the group's `id` along with a new `displayName`. Off: 400 mutability.
 */
export const unchangedReadOnlyInValue = 'unchangedReadOnlyInValue';
/**
 * A single object or value given for a multi-valued attribute is taken as a one-element array
 * (`{"op":"add","path":"emails","value":{"value":"a@b"}}`). Off: 400 invalidValue.
 */
export const singleValueForMultiValued = 'singleValueForMultiValued';
/**
 * A remove of `members[value eq "id"]` (or a `value` array) naming someone who is not a member is a
 * no-op, so repeated de-provisioning does not fail. Off: when the members are loaded, 400 noTarget.
 * (With `membersExternal` and no loaded members, the engine cannot tell, and the store ignores
 * absent ids either way.)
 */
export const removeAbsentMemberIsNoOp = 'removeAbsentMemberIsNoOp';

/** Every dialect rule, in the order of the documentation. */
export const DIALECT_NAMES = [
  caseInsensitiveOps,
  stringBooleans,
  stringNumbers,
  dottedKeysInNoPathValue,
  removeMembersByValueArray,
  createMissingValuePathElement,
  managerAsString,
  emptyMembersReplaceMeansNone,
  unchangedReadOnlyInValue,
  singleValueForMultiValued,
  removeAbsentMemberIsNoOp,
] as const;

/** The name of a dialect rule. */
export type DialectName = (typeof DIALECT_NAMES)[number];

/** The switches of every rule: each true unless `overrides` sets it false. */
export function resolveDialects(
  overrides?: Partial<Record<string, boolean>>,
): Readonly<Record<DialectName, boolean>> {
  const result = {} as Record<DialectName, boolean>;
  for (const name of Object.keys(overrides ?? {})) {
    if (!(DIALECT_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(`Unknown PATCH dialect rule "${name}"; known rules: ${DIALECT_NAMES.join(', ')}`);
    }
  }
  for (const name of DIALECT_NAMES) result[name] = overrides?.[name] !== false;
  return result;
}
