import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StatementCache } from './connection.js';

describe('StatementCache', () => {
  it('prepares each SQL once and evicts the least recently used past its size', () => {
    const db = new Database(':memory:');
    try {
      const cache = new StatementCache(db, 2);
      const a = cache.get('SELECT 1');
      const b = cache.get('SELECT 2');
      expect(cache.get('SELECT 1')).toBe(a); // a hit: the same prepared statement, now most recent
      cache.get('SELECT 3'); // past the size: SELECT 2 is the least recently used
      expect(cache.size).toBe(2);
      expect(cache.get('SELECT 1')).toBe(a);
      const again = cache.get('SELECT 2'); // prepared anew, and SELECT 3 goes this time
      expect(again).not.toBe(b);
      expect(again.pluck().get()).toBe(2);
      expect(cache.size).toBe(2);
      expect(cache.get('SELECT 1')).toBe(a);
    } finally {
      db.close();
    }
  });
});
