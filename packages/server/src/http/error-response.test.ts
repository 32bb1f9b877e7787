import { ScimError, StoreError } from '@scim/core';
import { describe, expect, it } from 'vitest';
import { errorToResponse } from './error-response.js';

const body = (response: { body?: string }) => JSON.parse(response.body!);

describe('errorToResponse', () => {
  it('maps ScimError to its status and headers', () => {
    const response = errorToResponse(new ScimError(405, undefined, 'nope', { headers: { allow: 'GET' } }));
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET');
    expect(body(response)).toMatchObject({ status: '405', detail: 'nope' });
  });

  it('maps StoreError reasons', () => {
    const conflict = errorToResponse(new StoreError('conflict', { attribute: 'userName' }));
    expect(conflict.status).toBe(409);
    expect(body(conflict)).toMatchObject({ scimType: 'uniqueness' });
    expect(body(conflict).detail).toContain('userName');
    expect(errorToResponse(new StoreError('not_found')).status).toBe(404);
    expect(errorToResponse(new StoreError('precondition_failed')).status).toBe(412);
    const unavailable = errorToResponse(new StoreError('unavailable'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('5');
  });

  it('hides anything else behind a generic 500', () => {
    const response = errorToResponse(new TypeError('secret internals'));
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('secret internals');
  });
});
