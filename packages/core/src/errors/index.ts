export {
  ERROR_SCHEMA,
  ScimError,
  isScimError,
  type ScimErrorJson,
  type ScimErrorType,
} from './scim-error.js';
export { StoreError, isStoreError, type StoreErrorReason } from './store-error.js';
