import type { StoreContractOptions } from './contract-options.js';

/** The seed of the generated tests: the option, else `SCIM_CONTRACT_SEED`, else a random one (printed). */
export function chooseSeed(options: StoreContractOptions): number {
  if (options.differential?.seed !== undefined) return options.differential.seed;
  const fromEnv = process.env.SCIM_CONTRACT_SEED;
  if (fromEnv !== undefined && fromEnv !== '' && Number.isInteger(Number(fromEnv))) return Number(fromEnv);
  return Math.floor(Math.random() * 2 ** 31);
}
