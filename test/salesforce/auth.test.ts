import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { connectSalesforce, MAX_SESSION_REFRESHES, SessionExpiredError } from '../../src/salesforce/index.js';
import { collect, connect, type Harness, passwordEnv, secretsOf, startOrg, tuning } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startOrg();
});
afterEach(async () => {
  await h.org.close();
});

const tokenRequests = () => h.org.requests.filter((r) => r.path === '/services/oauth2/token');

async function expectWorking(client: Awaited<ReturnType<typeof connect>>) {
  const org = await client.organization();
  expect(org.id).toMatch(/^00D\w{15}$/);
  expect(client.apiVersion).toBe('62.0');
  expect(client.instanceUrl).toBe(h.org.url);
}

describe('connection modes', () => {
  it('logs in with username-password, appending the security token', async () => {
    const client = await connect(h);
    await expectWorking(client);
    const [token] = tokenRequests();
    const form = new URLSearchParams(token?.body);
    expect(form.get('grant_type')).toBe('password');
    expect(form.get('password')).toBe(h.org.credentials.password + h.org.credentials.securityToken);
    expect(client.calls.count('auth')).toBe(1);
  });

  it('uses SF_ACCESS_TOKEN and SF_INSTANCE_URL without a login request', async () => {
    const env = { SF_ACCESS_TOKEN: h.org.issueAccessToken(), SF_INSTANCE_URL: h.org.url };
    const client = await connectSalesforce({ env, tuning: tuning(h) });
    await expectWorking(client);
    expect(tokenRequests()).toHaveLength(0);
  });

  it('signs a JWT bearer assertion with the key file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadshift-jwt-'));
    const keyFile = join(dir, 'server.key');
    await writeFile(keyFile, h.org.credentials.privateKeyPem);
    const c = h.org.credentials;
    const env = {
      SF_LOGIN_URL: h.org.url,
      SF_CLIENT_ID: c.clientId,
      SF_USERNAME: c.username,
      SF_JWT_KEY_FILE: keyFile,
    };
    const client = await connectSalesforce({ env, tuning: tuning(h) });
    await expectWorking(client);
    const form = new URLSearchParams(tokenRequests()[0]?.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = JSON.parse(
      Buffer.from(form.get('assertion')?.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims).toMatchObject({ iss: c.clientId, sub: c.username, aud: h.org.url });
    expect(claims.exp - Date.now() / 1000).toBeLessThanOrEqual(181);
  });

  it('uses client credentials when no password is given', async () => {
    const c = h.org.credentials;
    const env = { SF_LOGIN_URL: h.org.url, SF_CLIENT_ID: c.clientId, SF_CLIENT_SECRET: c.clientSecret };
    const client = await connectSalesforce({ env, tuning: tuning(h) });
    await expectWorking(client);
    expect(new URLSearchParams(tokenRequests()[0]?.body).get('grant_type')).toBe('client_credentials');
  });

  it('lists the options when no mode has all its variables', async () => {
    // An empty HOME and project folder: no Salesforce CLI default org to fall back to.
    const home = await mkdtemp(join(tmpdir(), 'leadshift-home-'));
    const error = await connectSalesforce({ env: { SF_CLIENT_ID: 'x', HOME: home }, cwd: home }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    for (const needle of [
      '--target-org ALIAS',
      'sf org login web --alias myorg --set-default',
      'SF_ACCESS_TOKEN',
      'SF_JWT_KEY_FILE',
      'SF_CLIENT_SECRET',
      'SF_PASSWORD',
      'Only SF_CLIENT_ID',
    ]) {
      expect(String(error)).toContain(needle);
    }
  });

  it('refuses an API version below 53.0 (jsforce defaults to 50.0)', async () => {
    const error = await connectSalesforce({ env: { ...passwordEnv(h.org), SF_API_VERSION: '50.0' } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
  });
});

describe('refused logins', () => {
  it('is an input error naming the mode and code, with no secret in it', async () => {
    h.org.faults.rejectLogins();
    const error = await connect(h).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
    expect(text).toContain('username-password');
    expect(text).toContain('invalid_grant');
    for (const secret of secretsOf(h.org)) expect(text).not.toContain(secret);
  });

  it('says what to check for a wrong client secret, without the secret', async () => {
    const env = { ...passwordEnv(h.org), SF_CLIENT_SECRET: 'wrong-secret-123' };
    const error = await connectSalesforce({ env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('consumer key and secret');
    expect(String(error)).not.toContain('wrong-secret-123');
  });

  it('explains an unreadable JWT key file', async () => {
    const c = h.org.credentials;
    const env = {
      SF_CLIENT_ID: c.clientId,
      SF_USERNAME: c.username,
      SF_JWT_KEY_FILE: '/nonexistent/key.pem',
    };
    await expect(connectSalesforce({ env })).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });
});

describe('expired sessions (jsforce refreshes forever on repeated 401)', () => {
  it('logs in again once when the session expires, then carries on', async () => {
    const client = await connect(h);
    await h.org.insert('Lead', [{ LastName: 'A', Company: 'C' }]);
    h.org.faults.expireSessions();
    const { rows } = await collect(client.query('SELECT Id FROM Lead'));
    expect(rows).toHaveLength(1);
    expect(client.calls.count('auth')).toBe(2);
    expect(tokenRequests()).toHaveLength(2);
  });

  it(`stops after ${MAX_SESSION_REFRESHES} renewals when every token is rejected`, async () => {
    const client = await connect(h);
    h.org.faults.failRequests({ pathIncludes: '/query' }, 401, 10_000);
    const error = await collect(client.query('SELECT Id FROM Lead')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(String(error)).toMatch(/logs in again by itself/);
    expect(tokenRequests()).toHaveLength(1 + MAX_SESSION_REFRESHES);
    const text = `${String(error)} ${(error as Error).stack}`;
    for (const secret of secretsOf(h.org)) expect(text).not.toContain(secret);
  });

  it('fails at once for a bare access token, with no token request', async () => {
    const token = h.org.issueAccessToken();
    const client = await connectSalesforce({
      env: { SF_ACCESS_TOKEN: token, SF_INSTANCE_URL: h.org.url },
      tuning: tuning(h),
    });
    h.org.faults.expireSessions();
    const error = await client.limits().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(String(error)).toContain('SF_ACCESS_TOKEN');
    expect(String(error)).not.toContain(token);
    expect(tokenRequests()).toHaveLength(0);
  });
});
