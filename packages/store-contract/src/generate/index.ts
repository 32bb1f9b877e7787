export type GeneratedFilter = { resourceType: string; text: string };
export type GeneratedResources = unknown[];
export function generateResources(_seed: number, _n: number): GeneratedResources {
  return [];
}
export function generateFilters(_seed: number, _n: number): GeneratedFilter[] {
  return [];
}
