export { type GeneratedFilter, generateFilters } from './generate-filters.js';
export { generateResources } from './generate-resources.js';
export { type Prng, createPrng } from './prng.js';
