import type { Store } from '@scim/core';
import { hashSecret, issueToken } from '@scim/server';

/** What happened on start: whether the default tenant was created, and the secret to print once. */
export interface BootstrapResult {
  createdTenant: boolean;
  /** A token to show once: a fresh one on first start (never when SCIM_BOOTSTRAP_TOKEN was given). */
  printToken?: string;
  /** True when SCIM_BOOTSTRAP_TOKEN was added as a credential by this start. */
  bootstrapTokenAdded: boolean;
}

/**
 * Makes sure the default tenant exists. On first start it also issues its first token: the value of
 * `bootstrapToken` when given (so scripts and CI can run unattended), else a random one returned for
 * printing once. A `bootstrapToken` that is not yet a credential (a store created before it was set)
 * is added on any start. Only hashes are stored.
 *
 * @example
 * const { printToken } = await bootstrapDefaultTenant(store, { tenantId: 'default' });
 */
export async function bootstrapDefaultTenant(
  store: Store,
  options: { tenantId: string; bootstrapToken?: string; now?: Date },
): Promise<BootstrapResult> {
  const now = options.now ?? new Date();
  let createdTenant = false;
  if (!(await store.getTenant(options.tenantId))) {
    try {
      await store.createTenant({
        id: options.tenantId,
        name: 'Default tenant',
        createdAt: now.toISOString(),
      });
      createdTenant = true;
    } catch (error) {
      // Another process created it at the same moment: theirs is as good as ours.
      if ((error as { reason?: string }).reason !== 'conflict') throw error;
    }
  }
  if (options.bootstrapToken !== undefined) {
    const existing = await store.findCredentialByHash(hashSecret(options.bootstrapToken));
    if (existing) return { createdTenant, bootstrapTokenAdded: false };
    await issueToken(store, {
      tenantId: options.tenantId,
      name: 'bootstrap',
      secret: options.bootstrapToken,
      now,
    });
    return { createdTenant, bootstrapTokenAdded: true };
  }
  if (!createdTenant) return { createdTenant, bootstrapTokenAdded: false };
  const { secret } = await issueToken(store, { tenantId: options.tenantId, name: 'initial', now });
  return { createdTenant, printToken: secret, bootstrapTokenAdded: false };
}
