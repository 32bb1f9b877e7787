import type { SchemaRegistry, ScimResource } from '../schema/types.js';
import type { MemberRef } from '../store/types.js';
import type { DialectName } from './dialects.js';

/** What a PATCH changed. */
export interface PatchDelta {
  /**
   * The attribute paths whose values really changed (see `changedAttributes`), plus `members`
   * when a member operation was applied with `membersExternal`.
   */
  changedAttributes: string[];
  /**
   * Present when the request touched a group's `members` with `membersExternal: true`: what a store
   * applies without reading the members. With `replaced`, the member set becomes exactly `added`.
   */
  members?: { added: MemberRef[]; removed: string[]; replaced: boolean };
}

/** Options of `applyPatch`. */
export interface ApplyPatchOptions {
  /** The registry the paths and values are resolved against. @default defaultSchemaRegistry */
  registry?: SchemaRegistry;
  /** The resource type; derived from the resource's `schemas` when omitted. */
  resourceType?: string;
  /**
   * Switches IdP dialect rules on or off by name (`{ stringBooleans: false }`); the names are
   * `DIALECT_NAMES` (typed as `DialectName`). Every rule is on by default; an unknown name throws a
   * `TypeError`, so a typo in configuration does not pass silently. @default all true
   */
  dialects?: Partial<Record<DialectName | (string & {}), boolean>>;
  /**
   * When true, a group's `members` are not part of `resource` (they live apart in the store): member
   * operations only fill `delta.members`. @default false
   */
  membersExternal?: boolean;
  /** Reject values the schema does not declare instead of dropping them. @default false */
  strict?: boolean;
}

/** The result of `applyPatch`: a new resource (the input is never modified) and what changed. */
export interface PatchResult {
  resource: ScimResource;
  delta: PatchDelta;
}
