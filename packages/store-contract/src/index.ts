export { describeStoreContract } from './describe-store-contract.js';
export type { ContractGroup, StoreContractContext, StoreContractOptions } from './contract-options.js';
export { CONTRACT_EXTENSION_URN, contractExtensionSchema, contractRegistry } from './contract-registry.js';
export { type GeneratedFilter, generateFilters, generateResources } from './generate/index.js';
export { toFilterView } from './filter-view.js';
