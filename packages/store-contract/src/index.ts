export { describeStoreContract } from './describe-store-contract.js';
export type { ContractGroup, StoreContractContext, StoreContractOptions } from './contract-options.js';
export { CONTRACT_EXTENSION_URN, contractExtensionSchema, contractRegistry } from './contract-registry.js';
export {
  type GeneratedFilter,
  type GeneratedResources,
  generateFilters,
  generateResources,
} from './generate/index.js';
