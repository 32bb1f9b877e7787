export { applyPatch } from './apply-patch.js';
export { changedAttributes, deepEqual } from './changed-attributes.js';
export {
  DIALECT_NAMES,
  caseInsensitiveOps,
  createMissingValuePathElement,
  dottedKeysInNoPathValue,
  emptyMembersReplaceMeansNone,
  managerAsString,
  removeAbsentMemberIsNoOp,
  removeMembersByValueArray,
  resolveDialects,
  singleValueForMultiValued,
  stringBooleans,
  stringNumbers,
  unchangedReadOnlyInValue,
  type DialectName,
} from './dialects.js';
export type { ApplyPatchOptions, PatchDelta, PatchResult } from './types.js';
