import type { Harness } from '../harness.js';

/** Filters, startIndex paging and counts. */
export function queryTests(_h: Harness): void {}
