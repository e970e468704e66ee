/**
 * No secret leaks: the built binary runs plan, apply, undo, run, runs and owners against the test org with
 * each way of connecting, plus a refused login and a session that expires mid-write. Not one known secret
 * (password, security token, client secret, private key, any access token the org issued or was given)
 * may appear on stdout, on stderr, or in any file under the working folder (run home and --out dirs).
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf } from '../support/envelope.js';
import { makeSfHome } from '../support/sf-home.js';
import {
  assertBuilt,
  bearerTokens,
  type CliResult,
  cleanUp,
  cli,
  filesUnder,
  type SmallOrg,
  show,
  smallOrg,
  tempDir,
} from './helpers.js';

beforeAll(assertBuilt);
afterAll(cleanUp);

type Mode =
  | 'access-token'
  | 'username-password'
  | 'jwt'
  | 'client-credentials'
  | 'sf --target-org'
  | 'sf default target-org';

interface Setup {
  env: Record<string, string>;
  /** Connection flags for commands that select records. */
  args: string[];
  /** Secrets only this mode holds. */
  secrets: string[];
}

/** An sf CLI login with an encrypted access and refresh token in a temporary HOME. */
async function sfSetup(
  o: SmallOrg,
  accessToken: string,
): Promise<{ env: Record<string, string>; secrets: string[] }> {
  const sf = await makeSfHome();
  const refreshToken = o.org.issueRefreshToken();
  await sf.addLogin({
    alias: 'emu',
    username: o.org.credentials.username,
    instanceUrl: o.org.url,
    orgId: o.org.orgId,
    accessToken,
    refreshToken,
  });
  return { env: sf.env, secrets: [sf.key, refreshToken, accessToken] };
}

async function setUp(mode: Mode, o: SmallOrg, keyDir: string, dir: string): Promise<Setup> {
  const base = { SF_API_VERSION: '62.0' };
  if (mode === 'sf --target-org') {
    // A lapsed stored session: the first request renews it from the refresh token.
    const sf = await sfSetup(o, `${o.org.orgId.slice(0, 15)}!ARlapsed${'z'.repeat(60)}`);
    return { env: { ...base, ...sf.env }, args: ['-o', 'emu'], secrets: sf.secrets };
  }
  if (mode === 'sf default target-org') {
    const sf = await sfSetup(o, o.org.issueAccessToken());
    await mkdir(join(dir, '.sf'));
    await writeFile(join(dir, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'emu' }));
    return { env: { ...base, ...sf.env }, args: [], secrets: sf.secrets };
  }
  return { env: await envFor(mode, o, keyDir), args: [], secrets: [] };
}

async function envFor(
  mode: 'access-token' | 'username-password' | 'jwt' | 'client-credentials',
  o: SmallOrg,
  keyDir: string,
): Promise<Record<string, string>> {
  const c = o.org.credentials;
  const base = { SF_API_VERSION: '62.0', SF_LOGIN_URL: o.org.url };
  switch (mode) {
    case 'access-token':
      return { ...base, SF_INSTANCE_URL: o.org.url, SF_ACCESS_TOKEN: o.org.issueAccessToken() };
    case 'username-password':
      return {
        ...base,
        SF_USERNAME: c.username,
        SF_PASSWORD: c.password,
        SF_SECURITY_TOKEN: c.securityToken,
        SF_CLIENT_ID: c.clientId,
        SF_CLIENT_SECRET: c.clientSecret,
      };
    case 'jwt': {
      // The key lives outside the working folder, which is scanned.
      const keyFile = join(keyDir, 'server.key');
      await writeFile(keyFile, c.privateKeyPem, { mode: 0o600 });
      return { ...base, SF_CLIENT_ID: c.clientId, SF_USERNAME: c.username, SF_JWT_KEY_FILE: keyFile };
    }
    case 'client-credentials':
      return { ...base, SF_CLIENT_ID: c.clientId, SF_CLIENT_SECRET: c.clientSecret };
  }
}

function knownSecrets(o: SmallOrg, env: Record<string, string>): string[] {
  const c = o.org.credentials;
  const keyLines = c.privateKeyPem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 40 && !line.startsWith('-----'));
  return [
    c.password,
    c.securityToken,
    c.password + c.securityToken,
    c.clientSecret,
    c.privateKeyPem.trim(),
    ...keyLines,
    ...(env.SF_ACCESS_TOKEN ? [env.SF_ACCESS_TOKEN] : []),
    // Every session the CLI used: issued by a login, or given.
    ...bearerTokens(o.org),
  ];
}

describe.concurrent('no secret in output, logs or run directories', () => {
  const modes: Mode[] = [
    'access-token',
    'username-password',
    'jwt',
    'client-credentials',
    'sf --target-org',
    'sf default target-org',
  ];
  for (const mode of modes) {
    it(`${mode}: plan, apply, undo, run, runs, owners, a refused login, an expired session`, {
      // Six modes run side by side, each starting a dozen CLI processes.
      timeout: 150_000,
    }, async () => {
      const o = await smallOrg({ leads: 12, isSandbox: true });
      const dir = await tempDir();
      const keyDir = await tempDir('leadshift-key-');
      const { env, args, secrets: modeSecrets } = await setUp(mode, o, keyDir, dir);
      const SELECT = ['--from', 'salesforce', '--api', 'rest', ...args];
      const outputs: Array<{ step: string; result: CliResult }> = [];
      const step = async (name: string, args: string[], expected: number[], extraEnv = {}) => {
        const result = await cli(dir, ['--home', 'h', ...args], { ...env, ...extraEnv });
        outputs.push({ step: name, result });
        expect(expected, `${mode} ${name}: ${show(result)}`).toContain(result.code);
        return result;
      };

      await step(
        'plan',
        ['plan', ...SELECT, '--owner', 'ana@acme.com', '--to', 'ben@acme.com', '--out', 'p'],
        [0],
      );
      await step('apply', ['apply', 'p'], [0]);
      // Back to ana, who is inactive: the org may refuse some rows (exit 3); secrets are what matter here.
      await step('undo', ['undo', 'p', '--yes'], [0, 3]);
      await step('runs --json', ['runs', '--json'], [0]);
      await step('owners', ['owners', ...SELECT, '--no-pick'], [0]);

      // A session that dies mid-apply, right after the owner read, so the call carrying the write is
      // refused: login modes log in again; a given token cannot, and says so (exit 4).
      let expired = false;
      o.org.onRequest((r) => {
        if (!expired && r.kind === 'composite:query') {
          expired = true;
          o.org.faults.expireSessions();
        }
      });
      await step(
        'run with an expiring session',
        ['run', ...SELECT, '--owner', 'dan@acme.com', '--to', 'carla@acme.com', '--yes', '--out', 'r'],
        mode === 'access-token' ? [0, 4] : [0],
      );

      // A refused login (or, with a given token, a session that is no longer valid).
      if (mode !== 'username-password' && mode !== 'jwt' && mode !== 'client-credentials')
        o.org.faults.expireSessions();
      if (mode !== 'access-token') o.org.faults.rejectLogins(true);
      const refused = await step(
        'refused login',
        ['run', ...SELECT, '--inactive-owners', '--to', 'ben@acme.com', '--yes', '--json'],
        [2],
      );
      expect(refused.stderr).toMatch(/leadshift: /);
      expect(failureOf(refused.stdout)).toMatchObject({ status: 2, exitCode: 2 });
      o.org.faults.rejectLogins(false);

      const secrets = [...knownSecrets(o, env), ...modeSecrets];
      expect(secrets.length).toBeGreaterThan(4);
      if (mode !== 'access-token') expect(bearerTokens(o.org).size).toBeGreaterThan(1);
      for (const { step: name, result } of outputs) {
        for (const secret of secrets) {
          expect(result.stdout.includes(secret), `${mode} ${name}: stdout holds a secret`).toBe(false);
          expect(result.stderr.includes(secret), `${mode} ${name}: stderr holds a secret`).toBe(false);
        }
      }
      const files = await filesUnder(dir);
      expect(files.some((f) => f.path.startsWith('p/'))).toBe(true);
      expect(files.some((f) => f.path.startsWith('h/runs/'))).toBe(true);
      for (const file of files)
        for (const secret of secrets)
          expect(file.text.includes(secret), `${mode}: ${file.path} holds a secret`).toBe(false);
    });
  }
});
