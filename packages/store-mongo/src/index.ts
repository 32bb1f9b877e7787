export { classifyMongoError } from './classify-mongo-error.js';
export {
  compileFilter,
  escapeRegex,
  type FilterCompileOptions,
  type RelationResolver,
} from './compile-filter.js';
export { createMongoStore, type MongoStore, type MongoStoreOptions } from './create-mongo-store.js';
export { decodeFieldKey, encodeFieldKey } from './field-key.js';
