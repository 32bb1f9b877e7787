/**
 * Named parameters of one SQL statement. Every value a client sent reaches SQLite only through
 * here (as `@pN`), never as SQL text.
 */
export class SqlParams {
  readonly values: Record<string, string | number | bigint | null> = {};
  #next = 0;

  /** Binds a value and returns its placeholder. Booleans become 1/0 (SQLite has no boolean). */
  add(value: string | number | boolean | bigint | null): string {
    const name = `p${++this.#next}`;
    this.values[name] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    return `@${name}`;
  }
}
