import { describe, expect, it } from 'vitest';
import { ERROR_SCHEMA, ScimError, StoreError, isScimError, isStoreError } from './index.js';

describe('ScimError', () => {
  it('serialises to the RFC 7644 3.12 JSON form with status as a string', () => {
    const error = new ScimError(400, 'invalidFilter', 'Unexpected end of filter at position 12');
    expect(error.toJSON()).toEqual({
      schemas: [ERROR_SCHEMA],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'Unexpected end of filter at position 12',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });

  it('omits scimType when there is none', () => {
    expect(new ScimError(404, undefined, 'Resource 42 not found').toJSON()).toEqual({
      schemas: [ERROR_SCHEMA],
      status: '404',
      detail: 'Resource 42 not found',
    });
  });

  it('is recognised by name, also for structural copies', () => {
    expect(isScimError(new ScimError(409, 'uniqueness', 'taken'))).toBe(true);
    expect(isScimError({ name: 'ScimError' })).toBe(true);
    expect(isScimError(new Error('x'))).toBe(false);
    expect(isScimError(null)).toBe(false);
  });
});

describe('StoreError', () => {
  it('marks only unavailable as retryable by default', () => {
    expect(new StoreError('unavailable').retryable).toBe(true);
    expect(new StoreError('conflict').retryable).toBe(false);
    expect(new StoreError('precondition_failed', { retryable: true }).retryable).toBe(true);
  });

  it('keeps the cause and the conflicting attribute', () => {
    const cause = new Error('UNIQUE constraint failed');
    const error = new StoreError('conflict', { cause, attribute: 'userName', detail: 'userName taken' });
    expect(error.cause).toBe(cause);
    expect(error.attribute).toBe('userName');
    expect(error.message).toBe('userName taken');
    expect(isStoreError(error)).toBe(true);
    expect(isStoreError(new ScimError(400, undefined, 'x'))).toBe(false);
  });
});
