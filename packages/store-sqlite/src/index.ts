export { createSqliteStore, explainQuery, type SqliteStoreOptions } from './create-sqlite-store.js';
export { classifySqliteError } from './classify-sqlite-error.js';
export { compileFilter, escapeLike, type FilterCompileContext } from './compile-filter.js';
export { MIGRATIONS, applyMigrations, type Migration } from './migrations.js';
export { SqlParams } from './sql-params.js';
