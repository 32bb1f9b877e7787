export type * from './ast.js';
export { DEFAULT_FILTER_LIMITS, type FilterLimits } from './limits.js';
export { parseFilter, type ParseFilterOptions } from './parse-filter.js';
export {
  parseAttributePath,
  parsePatchPath,
  type ParseAttributePathOptions,
  type ParsePathOptions,
} from './parse-path.js';
export { formatFilter, formatPatchPath, formatPath, formatValue } from './format.js';
export { resolveFilter, resolvePath, type ResolveOptions } from './resolve.js';
export { evaluateFilter, compareCodePoints, type EvaluateFilterOptions } from './evaluate.js';
export { getValues, getElements, isPresent } from './values.js';
export { parseDateTime } from './date-time.js';
export type { PathErrorType } from './errors.js';
