import type { Harness } from '../harness.js';

/** sortBy and sortOrder. */
export function sortingTests(_h: Harness): void {}
