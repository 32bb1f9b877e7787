import type { Harness } from '../harness.js';

/** RFC 9865 cursors. */
export function cursorPagingTests(_h: Harness): void {}
