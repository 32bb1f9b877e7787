/** A deep copy of JSON data, so callers can never mutate what the store holds. */
export function cloneJson<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value)) as T;
}
