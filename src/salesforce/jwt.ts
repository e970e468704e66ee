/**
 * JWT bearer assertion (RS256). jsforce sends the grant but does not sign it, so this does,
 * with node:crypto only.
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';

/** Salesforce accepts an exp up to a few minutes ahead; 3 minutes is its documented example. */
const JWT_LIFETIME_SECONDS = 180;

export interface JwtClaims {
  clientId: string;
  username: string;
  /** The login URL (https://login.salesforce.com, https://test.salesforce.com or a My Domain). */
  audience: string;
}

/**
 * Salesforce accepts only https://login.salesforce.com, https://test.salesforce.com or an Experience
 * Cloud site URL as `aud` (JWT bearer flow doc), even when the token request goes to a My Domain.
 */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).host.toLowerCase();
  if (host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Parses the PEM once; throws node's error (which never echoes the key) when it is not a private key. */
export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function signJwt(
  claims: JwtClaims,
  key: KeyObject,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: claims.clientId,
      sub: claims.username,
      aud: claims.audience,
      exp: nowSeconds + JWT_LIFETIME_SECONDS,
    }),
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${base64url(signer.sign(key))}`;
}
