import type Database from 'better-sqlite3';

/** Creates the raw baseline's tables: the same indexes the SCIM store uses for these queries. */
export function createRawSchema(database: Database.Database): void {
  database.exec(`
    CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, user_name_ci TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS members (group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
  `);
}
