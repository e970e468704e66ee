/**
 * --target-org and sf's default org, against a HOME laid out as the Salesforce CLI writes it: the stored
 * access token is used as it is, an expired one is renewed at the org's token endpoint from the stored
 * refresh token (or JWT key), and a wrong alias or a missing login says which `sf org login` to run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { connectSalesforce, MAX_SESSION_REFRESHES, SessionExpiredError } from '../../src/salesforce/index.js';
import { removeTempDirs, tempDir } from '../support/files.js';
import { type KeyFormat, makeSfHome, type SfHome } from '../support/sf-home.js';
import { type Harness, startOrg, tuning } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startOrg();
});
afterEach(async () => {
  await h.org.close();
});
afterAll(removeTempDirs);

const tokenForms = () =>
  h.org.requests.filter((r) => r.path === '/services/oauth2/token').map((r) => new URLSearchParams(r.body));

/** A token of the org's shape that it never issued: what a lapsed sf session looks like to it. */
const lapsedToken = () => `${h.org.orgId.slice(0, 15)}!ARlapsed${'x'.repeat(60)}`;

async function sfWith(
  login: {
    accessToken?: string;
    refreshToken?: string;
    alias?: string;
    privateKey?: string;
    clientId?: string;
  },
  format: KeyFormat = 'v2',
): Promise<SfHome> {
  const sf = await makeSfHome(format);
  await sf.addLogin({
    username: h.org.credentials.username,
    instanceUrl: h.org.url,
    orgId: h.org.orgId,
    ...login,
  });
  return sf;
}

async function connectVia(sf: SfHome, org?: string, cwd?: string) {
  return connectSalesforce({
    ...(org ? { org } : {}),
    env: sf.env,
    cwd: cwd ?? (await tempDir('leadshift-project-')),
    tuning: tuning(h),
  });
}

async function expectWorking(client: Awaited<ReturnType<typeof connectVia>>) {
  const org = await client.organization();
  expect(org.id).toBe(h.org.orgId);
  expect(client.instanceUrl).toBe(h.org.url);
}

describe('--target-org from the Salesforce CLI files', () => {
  it('uses the access token of `sf org login access-token` (alias, newer key format) as it is', async () => {
    const sf = await sfWith({ accessToken: h.org.issueAccessToken(), alias: 'emu' });
    await expectWorking(await connectVia(sf, 'emu'));
    expect(tokenForms()).toHaveLength(0);
  });

  it('accepts a username instead of an alias, with the original 32-character key', async () => {
    const sf = await sfWith({ accessToken: h.org.issueAccessToken() }, 'v1');
    await expectWorking(await connectVia(sf, h.org.credentials.username));
  });

  it('renews an expired web login from the refresh token, with the PlatformCLI client id', async () => {
    const sf = await sfWith({
      accessToken: lapsedToken(),
      refreshToken: h.org.issueRefreshToken(),
      alias: 'web',
    });
    const client = await connectVia(sf, 'web');
    await expectWorking(client);
    const [form, ...more] = tokenForms();
    expect(more).toHaveLength(0);
    expect(form?.get('grant_type')).toBe('refresh_token');
    expect(form?.get('client_id')).toBe('PlatformCLI');
    expect(form?.get('client_secret')).toBeNull();
    expect(client.calls.count('auth')).toBe(1);
  });

  it(`gives up after ${MAX_SESSION_REFRESHES} renewals and says to log in with sf again`, async () => {
    const sf = await sfWith({
      accessToken: lapsedToken(),
      refreshToken: h.org.issueRefreshToken(),
      alias: 'web',
    });
    const client = await connectVia(sf, 'web');
    h.org.faults.failRequests({ pathIncludes: '/limits' }, 401, 10_000);
    const error = await client.limits().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(String(error)).toContain('sf org login web --alias web');
    expect(tokenForms()).toHaveLength(MAX_SESSION_REFRESHES);
  });

  it('renews a JWT login by signing a new assertion with its key file', async () => {
    const keyDir = await tempDir('leadshift-key-');
    const keyFile = join(keyDir, 'server.key');
    await writeFile(keyFile, h.org.credentials.privateKeyPem);
    const sf = await sfWith({
      accessToken: lapsedToken(),
      privateKey: keyFile,
      clientId: h.org.credentials.clientId,
      alias: 'ci',
    });
    await expectWorking(await connectVia(sf, 'ci'));
    expect(tokenForms().map((f) => f.get('grant_type'))).toEqual([
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]);
  });

  it('says an access-token login cannot be renewed, and which login can', async () => {
    const sf = await sfWith({ accessToken: lapsedToken(), alias: 'emu' });
    const error = await (await connectVia(sf, 'emu')).limits().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(String(error)).toContain('sf org login web --alias emu');
    expect(tokenForms()).toHaveLength(0);
  });
});

describe("sf's default target-org", () => {
  it('is used when no other credentials are given: project .sf/config.json', async () => {
    const sf = await sfWith({ accessToken: h.org.issueAccessToken(), alias: 'emu' });
    const project = await tempDir('leadshift-project-');
    await sf.setTargetOrg('emu', { project });
    const below = join(project, 'jobs');
    await mkdir(below);
    await expectWorking(await connectVia(sf, undefined, below));
  });

  it('falls back to the global ~/.sf/config.json, then to the legacy defaultusername', async () => {
    const sf = await sfWith({ accessToken: h.org.issueAccessToken(), alias: 'emu' });
    await sf.setTargetOrg('emu', 'global');
    await expectWorking(await connectVia(sf));
    const legacy = await sfWith({ accessToken: h.org.issueAccessToken() });
    const project = await tempDir('leadshift-project-');
    await legacy.setTargetOrg(h.org.credentials.username, { legacyProject: project });
    await expectWorking(await connectVia(legacy, undefined, project));
  });

  it('comes after SF_* credentials', async () => {
    const sf = await sfWith({ accessToken: 'not-a-token', alias: 'emu' });
    await sf.setTargetOrg('emu', 'global');
    const env = { ...sf.env, SF_ACCESS_TOKEN: h.org.issueAccessToken(), SF_INSTANCE_URL: h.org.url };
    const client = await connectSalesforce({ env, cwd: sf.home, tuning: tuning(h) });
    await expectWorking(client);
  });
});

describe('what goes wrong, and what to run', () => {
  it('a wrong alias names the sf login command, without any token', async () => {
    const token = h.org.issueAccessToken();
    const sf = await sfWith({ accessToken: token, alias: 'emu' });
    const error = await connectVia(sf, 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('No org "nope" is authorised in the Salesforce CLI');
    expect(String(error)).toContain('sf org login web --alias nope');
    expect(String(error)).not.toContain(token);
  });

  it('no credentials and no sf default org names the login that sets one', async () => {
    const sf = await makeSfHome();
    const error = await connectVia(sf).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('sf org login web --alias myorg --set-default');
  });

  it('a key that does not match the auth file is an input error that shows neither', async () => {
    const token = h.org.issueAccessToken();
    const sf = await sfWith({ accessToken: token, alias: 'emu' });
    const other = await makeSfHome();
    await writeFile(
      join(sf.home, '.sfdx', 'key.json'),
      JSON.stringify({ service: 'sfdx', account: 'local', key: other.key }),
    );
    const error = await connectVia(sf, 'emu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('does not decrypt');
    for (const secret of [token, other.key, sf.key]) expect(String(error)).not.toContain(secret);
  });

  it('a missing key file says where it looked', async () => {
    const sf = await sfWith({ accessToken: h.org.issueAccessToken(), alias: 'emu' });
    await writeFile(join(sf.home, '.sfdx', 'key.json'), '{}');
    await expect(connectVia(sf, 'emu')).rejects.toThrow(/key\.json holds no "sfdx" key/);
  });
});
