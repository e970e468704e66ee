/**
 * Picks the connection mode, first that applies: --target-org, access token, JWT bearer, client
 * credentials, username-password, and last the Salesforce CLI's default org (README "Connecting"). A plan says how to get a token, whether the adapter
 * can get a new one by itself, which values are secret, and what to tell the user when it fails.
 */
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
  /** The token endpoint's host when it is not SF_LOGIN_URL (an sf CLI login remembers its own). */
  loginUrl?: string;
  secrets: string[];
  /** What to check when Salesforce refuses the login. */
  checkHint: string;
  /** How to get going again when the session dies mid-run. */
  reauthHint: string;
}

const RESUME = 'then run the command again (`leadshift apply <run-dir>` resumes a partly applied run)';
const SELF_RENEWING = `leadshift logs in again by itself, up to 3 times per run; Salesforce kept refusing. Check the connected app and the user, ${RESUME}`;

export const AUTH_OPTIONS = [
  '--target-org ALIAS (an org authorised in the Salesforce CLI: `sf org login web --alias ALIAS`, or its default org: `sf org login web --alias ALIAS --set-default`)',
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

/** The sf CLI reader is imported only when used: CSV runs and --help never load it. */
async function planSfCli(name: string, env: Env): Promise<AuthPlan> {
  return (await import('./sf-cli.js')).planSfCliOrg(name, env);
}

export async function chooseAuth(org: string | undefined, env: Env, cwd: string): Promise<AuthPlan> {
  if (org) return planSfCli(org, env);
  const fromEnv = await chooseEnvAuth(env);
  if (fromEnv) return fromEnv;
  const fallback = await (await import('./sf-cli.js')).findSfDefaultOrg(env, cwd);
  if (fallback) return planSfCli(fallback.name, env);
  throw missingCredentials(env);
}

async function chooseEnvAuth(env: Env): Promise<AuthPlan | undefined> {
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
  // client credentials; in the documented order it would otherwise be unreachable.
  if (clientId && secret && !password) return planClientCredentials(clientId, secret);
  if (clientId && secret && user && password) {
    return planPassword(clientId, secret, user, password, get('SF_SECURITY_TOKEN'));
  }
  return undefined;
}

function missingCredentials(env: Env): InputError {
  const present = ENV_NAMES.filter((name) => value(env, name));
  const seen = present.length
    ? `Only ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set`
    : 'None is set';
  return new InputError({
    message: `No complete set of Salesforce credentials was given, and the Salesforce CLI has no default org (no target-org in .sf/config.json here or in ~/.sf/config.json). ${seen}`,
    hint: `Log in with \`sf org login web --alias myorg --set-default\` and run the command again, or use one of: ${AUTH_OPTIONS.join('; ')}. SF_LOGIN_URL (default https://login.salesforce.com) and SF_API_VERSION are optional`,
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
