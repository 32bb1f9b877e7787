import type { Harness } from '../harness.js';

/** Generated resources and filters, compared with evaluateFilter. */
export function differentialFilterTests(_h: Harness): void {}
