import type { Store } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from './authenticate.js';
import { issueToken } from './tokens.js';

let store: Store;
beforeEach(async () => {
  store = createMemoryStore();
  await store.createTenant({ id: 'contoso', name: 'Contoso', createdAt: new Date().toISOString() });
});

async function keySet() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  return { jwks: { keys: [jwk] }, privateKey };
}

const sign = (
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'],
  claims: Record<string, unknown>,
  issuer = 'https://sts.example.com/',
  audience = 'scim',
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('entra-app')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);

describe('JWT bearer against a JWKS', () => {
  it('accepts a valid token for a known tenant and refuses wrong issuer, audience, key or tenant', async () => {
    const { jwks, privateKey } = await keySet();
    const other = await keySet();
    const authenticate = createAuthenticator(
      store,
      { jwt: { jwks, issuer: 'https://sts.example.com/', audience: 'scim' } },
      () => new Date(),
    );
    const ok = await authenticate(`Bearer ${await sign(privateKey, { tid: 'contoso' })}`);
    expect(ok).toEqual({ tenantId: 'contoso', credentialId: 'jwt:entra-app', kind: 'jwt' });

    await expect(
      authenticate(`Bearer ${await sign(privateKey, { tid: 'contoso' }, 'https://evil/')}`),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      authenticate(`Bearer ${await sign(privateKey, { tid: 'contoso' }, undefined, 'other')}`),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      authenticate(`Bearer ${await sign(other.privateKey, { tid: 'contoso' })}`),
    ).rejects.toMatchObject({ status: 401 });
    await expect(authenticate(`Bearer ${await sign(privateKey, { tid: 'unknown' })}`)).rejects.toMatchObject({
      status: 401,
    });
    await expect(authenticate(`Bearer ${await sign(privateKey, {})}`)).rejects.toMatchObject({ status: 401 });
  });

  it('maps claims to a tenant with resolveTenant and keeps stored bearer tokens working', async () => {
    const { jwks, privateKey } = await keySet();
    const authenticate = createAuthenticator(
      store,
      {
        jwt: {
          jwks,
          issuer: 'https://sts.example.com/',
          audience: 'scim',
          resolveTenant: (claims) => (claims.tid === 'entra-tid' ? 'contoso' : undefined),
        },
      },
      () => new Date(),
    );
    expect((await authenticate(`Bearer ${await sign(privateKey, { tid: 'entra-tid' })}`)).tenantId).toBe(
      'contoso',
    );
    const { secret, credential } = await issueToken(store, { tenantId: 'contoso', name: 'static' });
    expect(await authenticate(`Bearer ${secret}`)).toEqual({
      tenantId: 'contoso',
      credentialId: credential.id,
      kind: 'bearer',
    });
  });

  it('refuses unsupported schemes with a challenge', async () => {
    const authenticate = createAuthenticator(store, {}, () => new Date());
    await expect(authenticate('Digest abc')).rejects.toMatchObject({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="SCIM"' },
    });
    await expect(authenticate('Basic dXNlcjpwYXNz')).rejects.toMatchObject({ status: 401 });
  });
});
