import { ApiError } from './api-error.ts';

type Body = Record<string, unknown>;

/** A required, non-empty string field, trimmed; 400 naming the field otherwise. */
export function requiredString(body: Body, name: string, hint = ''): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ApiError(
      400,
      'invalid_body',
      `'${name}' is required and must be a non-empty string${hint ? ` (${hint})` : ''}.`,
    );
  }
  return value.trim();
}

/** An optional string field (absent, null or empty give `undefined`). */
export function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ApiError(400, 'invalid_body', `'${name}' must be a string.`);
  return value.trim() || undefined;
}

/** An optional boolean field. */
export function optionalBoolean(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ApiError(400, 'invalid_body', `'${name}' must be true or false.`);
  return value;
}

/** A required whole number field within bounds. */
export function requiredInteger(body: Body, name: string, min: number, max: number): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ApiError(400, 'invalid_body', `'${name}' must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** A required array of strings. */
export function requiredStringArray(body: Body, name: string): string[] {
  const value = body[name];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ApiError(400, 'invalid_body', `'${name}' must be an array of strings.`);
  }
  return value as string[];
}

/** One of a fixed set of strings (or the fallback when absent). */
export function oneOf<T extends string>(body: Body, name: string, allowed: readonly T[], fallback: T): T {
  const value = body[name];
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ApiError(400, 'invalid_body', `'${name}' must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** An optional ISO 8601 time in a query string or body; 400 with an example otherwise. */
export function optionalTime(value: string | null | undefined, name: string): string | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  if (Number.isNaN(Date.parse(value))) {
    throw new ApiError(
      400,
      'invalid_query',
      `'${name}' must be an ISO 8601 time such as 2025-01-31T09:00:00Z (got '${value}').`,
    );
  }
  return new Date(value).toISOString();
}

/** An optional positive whole number in a query string. */
export function optionalPositiveInt(value: string | null, name: string, max: number): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new ApiError(
      400,
      'invalid_query',
      `'${name}' must be a whole number from 1 to ${max} (got '${value}').`,
    );
  }
  return Number(value);
}
