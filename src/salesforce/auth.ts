/**
 * Picks the connection mode (SPEC "Where records come from"), first that applies: --org, access token,
 * JWT bearer, client credentials, username-password. A plan says how to get a token, whether the adapter
 * can get a new one by itself, which values are secret, and what to tell the user when it fails.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { jwtAudience, loadPrivateKey, signJwt } from './jwt.js';

export type AuthMode = 'sf-cli' | 'access-token' | 'jwt' | 'client-credentials' | 'password';
type Env = Record<string, string | undefined>;

export interface AuthPlan {
  mode: AuthMode;
  /** For messages: the mode and the variables it read (never their values). */
  label: string;
  /** A fresh token-request body per call (a JWT expires in minutes); absent when no login is possible. */
  grant?: () => Record<string, string>;
  oauth2?: { clientId: string; clientSecret?: string };
  accessToken?: string;
  instanceUrl?: string;
  secrets: string[];
  /** What to check when Salesforce refuses the login. */
  checkHint: string;
  /** How to get going again when the session dies mid-run. */
  reauthHint: string;
}

export type RunCommand = (cmd: string, args: string[]) => Promise<string>;

const RESUME = 'then run the command again (`leadshift apply <run-dir>` resumes a partly applied run)';
const SELF_RENEWING = `leadshift logs in again by itself, up to 3 times per run; Salesforce kept refusing. Check the connected app and the user, ${RESUME}`;

export const AUTH_OPTIONS = [
  '--org ALIAS (an org authorised in the Salesforce CLI: `sf org login web --alias ALIAS`)',
  'SF_ACCESS_TOKEN with SF_INSTANCE_URL',
  'JWT bearer: SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE',
  'client credentials: SF_CLIENT_ID, SF_CLIENT_SECRET',
  'username-password: SF_USERNAME, SF_PASSWORD (optional SF_SECURITY_TOKEN), SF_CLIENT_ID, SF_CLIENT_SECRET',
];

const ENV_NAMES = [
  'SF_ACCESS_TOKEN',
  'SF_INSTANCE_URL',
  'SF_CLIENT_ID',
  'SF_CLIENT_SECRET',
  'SF_USERNAME',
  'SF_PASSWORD',
  'SF_SECURITY_TOKEN',
  'SF_JWT_KEY_FILE',
];

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

export async function chooseAuth(org: string | undefined, env: Env, run?: RunCommand): Promise<AuthPlan> {
  if (org) return planSfCli(org, run ?? execCommand);
  const get = (name: string) => value(env, name);
  const [token, instance, clientId, secret, user, password] = [
    get('SF_ACCESS_TOKEN'),
    get('SF_INSTANCE_URL'),
    get('SF_CLIENT_ID'),
    get('SF_CLIENT_SECRET'),
    get('SF_USERNAME'),
    get('SF_PASSWORD'),
  ];
  if (token && instance) return planAccessToken(token, instance);
  const keyFile = get('SF_JWT_KEY_FILE');
  if (clientId && user && keyFile) return planJwt(clientId, user, keyFile, env);
  // Username-password also needs the client id and secret, so an explicit SF_PASSWORD picks it over
  // client credentials; otherwise the SPEC order would make it unreachable.
  if (clientId && secret && !password) return planClientCredentials(clientId, secret);
  if (clientId && secret && user && password) {
    return planPassword(clientId, secret, user, password, get('SF_SECURITY_TOKEN'));
  }
  throw missingCredentials(env);
}

function missingCredentials(env: Env): InputError {
  const present = ENV_NAMES.filter((name) => value(env, name));
  const seen = present.length
    ? `Only ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set`
    : 'None is set';
  return new InputError({
    message: `No complete set of Salesforce credentials was given. ${seen}`,
    hint: `Use one of: ${AUTH_OPTIONS.join('; ')}. SF_LOGIN_URL (default https://login.salesforce.com) and SF_API_VERSION are optional`,
  });
}

function planAccessToken(token: string, instanceUrl: string): AuthPlan {
  return {
    mode: 'access-token',
    label: 'access token (SF_ACCESS_TOKEN, SF_INSTANCE_URL)',
    accessToken: token,
    instanceUrl: instanceUrl.replace(/\/+$/, ''),
    secrets: [token],
    checkHint: 'Check that SF_INSTANCE_URL is the org My Domain URL and SF_ACCESS_TOKEN is current',
    reauthHint: `SF_ACCESS_TOKEN was rejected and a bare token cannot be renewed. Set a fresh one, ${RESUME}`,
  };
}

async function planJwt(clientId: string, username: string, keyFile: string, env: Env): Promise<AuthPlan> {
  let pem: string;
  try {
    pem = await readFile(keyFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new InputError({
      message: `SF_JWT_KEY_FILE "${keyFile}" cannot be read (${code})`,
      hint: 'Point SF_JWT_KEY_FILE at the PEM private key whose certificate is on the connected app',
    });
  }
  let key: ReturnType<typeof loadPrivateKey>;
  try {
    key = loadPrivateKey(pem);
  } catch {
    throw new InputError({
      message: `SF_JWT_KEY_FILE "${keyFile}" is not a PEM private key`,
      hint: 'Use the private key (-----BEGIN PRIVATE KEY-----), not the certificate',
    });
  }
  const audience = jwtAudience(
    (value(env, 'SF_LOGIN_URL') ?? 'https://login.salesforce.com').replace(/\/+$/, ''),
  );
  return {
    mode: 'jwt',
    label: 'JWT bearer (SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE)',
    grant: () => ({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: signJwt({ clientId, username, audience }, key),
    }),
    oauth2: { clientId },
    secrets: [pem],
    checkHint:
      'Check SF_CLIENT_ID is the connected app consumer key, the certificate on the app matches SF_JWT_KEY_FILE, the user is pre-authorised for the app, and SF_LOGIN_URL is login or test.salesforce.com (or your My Domain)',
    reauthHint: SELF_RENEWING,
  };
}

function planClientCredentials(clientId: string, clientSecret: string): AuthPlan {
  return {
    mode: 'client-credentials',
    label: 'client credentials (SF_CLIENT_ID, SF_CLIENT_SECRET)',
    grant: () => ({ grant_type: 'client_credentials' }),
    oauth2: { clientId, clientSecret },
    secrets: [clientSecret],
    checkHint:
      'Check the connected app enables the client credentials flow with a run-as user, and that SF_LOGIN_URL is your My Domain URL (client credentials does not work against login.salesforce.com)',
    reauthHint: SELF_RENEWING,
  };
}

function planPassword(
  clientId: string,
  clientSecret: string,
  username: string,
  password: string,
  securityToken: string | undefined,
): AuthPlan {
  // Salesforce expects the security token appended to the password (username-password flow doc).
  const fullPassword = password + (securityToken ?? '');
  return {
    mode: 'password',
    label: 'username-password (SF_USERNAME, SF_PASSWORD, SF_CLIENT_ID, SF_CLIENT_SECRET)',
    grant: () => ({ grant_type: 'password', username, password: fullPassword }),
    oauth2: { clientId, clientSecret },
    secrets: [password, fullPassword, clientSecret, ...(securityToken ? [securityToken] : [])],
    checkHint:
      "Check SF_USERNAME and SF_PASSWORD, SF_SECURITY_TOKEN (needed from outside trusted IP ranges; reset it in the user's personal settings), the connected app consumer key and secret, and SF_LOGIN_URL (https://test.salesforce.com for sandboxes)",
    reauthHint: SELF_RENEWING,
  };
}

async function planSfCli(alias: string, run: RunCommand): Promise<AuthPlan> {
  const result = await readSfOrg(alias, run);
  return {
    mode: 'sf-cli',
    label: `Salesforce CLI org "${alias}" (sf org display)`,
    accessToken: result.accessToken,
    instanceUrl: result.instanceUrl.replace(/\/+$/, ''),
    secrets: [result.accessToken],
    checkHint: `Check \`sf org display --target-org ${alias}\` shows the org as Connected`,
    reauthHint: `Log in again with \`sf org login web --alias ${alias}\`, ${RESUME}`,
  };
}

async function readSfOrg(
  alias: string,
  run: RunCommand,
): Promise<{ accessToken: string; instanceUrl: string }> {
  const hint = `Authorise it with \`sf org login web --alias ${alias}\`, or use the SF_* variables`;
  let stdout: string;
  try {
    stdout = await run('sf', ['org', 'display', '--target-org', alias, '--json']);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'the Salesforce CLI (`sf`) is not installed or not on PATH'
        : `it failed (${code ?? 'no output'})`;
    throw new InputError({ message: `Cannot read org "${alias}" with \`sf org display\`: ${what}`, hint });
  }
  let parsed: {
    result?: { accessToken?: unknown; instanceUrl?: unknown };
    name?: unknown;
    message?: unknown;
  };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    // The output may hold a token, so it is never echoed.
    throw new InputError({
      message: `\`sf org display --target-org ${alias} --json\` did not print JSON`,
      hint,
    });
  }
  const { accessToken, instanceUrl } = parsed.result ?? {};
  if (typeof accessToken === 'string' && typeof instanceUrl === 'string' && accessToken && instanceUrl) {
    return { accessToken, instanceUrl };
  }
  const reason =
    typeof parsed.message === 'string' ? `: ${String(parsed.name ?? 'error')}: ${parsed.message}` : '';
  throw new InputError({
    message: `The Salesforce CLI has no usable session for org "${alias}"${reason}`,
    hint,
  });
}

/** Resolves with stdout even on a non-zero exit: `sf --json` reports its errors as JSON on stdout. */
function execCommand(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error && !stdout) reject(error);
      else resolve(String(stdout));
    });
  });
}
