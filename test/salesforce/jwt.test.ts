import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwtAudience, loadPrivateKey, signJwt } from '../../src/salesforce/jwt.js';

describe('JWT bearer assertion', () => {
  it('uses login or test.salesforce.com as audience for My Domain login URLs', () => {
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
  });

  it('signs RS256 with iss, sub, aud and a 3-minute exp', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwt = signJwt(
      { clientId: 'CID', username: 'u@x.com', audience: 'https://login.salesforce.com' },
      loadPrivateKey(pem),
      1000,
    );
    const [header = '', payload = '', signature = ''] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({
      iss: 'CID',
      sub: 'u@x.com',
      aud: 'https://login.salesforce.com',
      exp: 1180,
    });
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });
});
