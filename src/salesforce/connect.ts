/**
 * Builds a logged-in jsforce Connection and wraps it in a SalesforceClient. jsforce's own renewal is
 * replaced: `conn.login()` installs a delegate that re-logs in on every 401 without limit,
 * so logins go through `conn.authorize()` and renewal through a capped `refreshFn`.
 */
import { Connection, type ConnectionConfig } from 'jsforce';
import { InputError } from '../errors.js';
import { type AuthPlan, chooseAuth } from './auth.js';
import { ApiCallCounter } from './calls.js';
import { SalesforceClient } from './client.js';
import { createRedactor } from './errors.js';
import { Channel, DEFAULT_TUNING, type Tuning } from './http.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';

export interface ConnectOptions {
  org?: string;
  env: Record<string, string | undefined>;
  /** Where the Salesforce CLI's project config (.sf/config.json) is looked for; default process.cwd(). */
  cwd?: string;
  /** Timings and thresholds; tests shrink them. */
  tuning?: Partial<Omit<Tuning, 'retry'>> & { retry?: Partial<RetryPolicy> };
}

const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
/** jsforce defaults to 50.0; Bulk 2.0 failedResults only carry sf__Id from 53.0. */
const DEFAULT_API_VERSION = '62.0';
const MIN_API_VERSION = 53;
/** Renewals per client. Enough for a token that lapses during a long run; never a loop. */
export const MAX_SESSION_REFRESHES = 3;

type RefreshFn = NonNullable<ConnectionConfig['refreshFn']>;

export async function connectSalesforce(options: ConnectOptions): Promise<SalesforceClient> {
  const version = readApiVersion(options.env);
  const plan = await chooseAuth(options.org, options.env, options.cwd ?? process.cwd());
  const loginUrl = plan.loginUrl ?? readLoginUrl(options.env);
  const calls = new ApiCallCounter();
  const secrets = new Set(plan.secrets);
  const redact = createRedactor(() => secrets);
  const conn = createConnection(plan, loginUrl, version, createRefreshFn(plan, calls));
  conn.on('refresh', (token: string) => secrets.add(token));
  // A stored session (sf CLI) is tried first; its grant only renews it when the org refuses it.
  if (plan.grant && !plan.accessToken) await logIn(conn, plan, loginUrl, calls, redact);
  if (conn.accessToken) secrets.add(conn.accessToken);
  const tuning = buildTuning(options.tuning);
  return new SalesforceClient(new Channel(conn, calls, tuning, redact, () => plan.reauthHint));
}

function readLoginUrl(env: ConnectOptions['env']): string {
  const raw = env.SF_LOGIN_URL?.trim() || DEFAULT_LOGIN_URL;
  if (!/^https?:\/\/[^\s/]+/.test(raw)) {
    throw new InputError({
      message: `SF_LOGIN_URL "${raw}" is not a URL`,
      hint: 'Use https://login.salesforce.com, https://test.salesforce.com or your My Domain URL',
    });
  }
  return raw.replace(/\/+$/, '');
}

function readApiVersion(env: ConnectOptions['env']): string {
  const raw = env.SF_API_VERSION?.trim().replace(/^v/i, '') || DEFAULT_API_VERSION;
  const match = /^(\d+)(?:\.0)?$/.exec(raw);
  const major = match ? Number(match[1]) : Number.NaN;
  if (!(major >= MIN_API_VERSION)) {
    throw new InputError({
      message: `SF_API_VERSION "${raw}" is not supported`,
      hint: `Use ${MIN_API_VERSION}.0 or later (Bulk API 2.0 failed results name the record from ${MIN_API_VERSION}.0), or leave it unset for ${DEFAULT_API_VERSION}`,
    });
  }
  return `${major}.0`;
}

function createConnection(
  plan: AuthPlan,
  loginUrl: string,
  version: string,
  refreshFn: RefreshFn,
): Connection {
  try {
    return new Connection({
      loginUrl,
      version,
      refreshFn,
      ...(plan.oauth2 ? { oauth2: { ...plan.oauth2, loginUrl } } : {}),
      ...(plan.instanceUrl ? { instanceUrl: plan.instanceUrl } : {}),
      ...(plan.accessToken ? { accessToken: plan.accessToken } : {}),
    });
  } catch (error) {
    // jsforce refuses *.lightning.force.com instance URLs in the constructor.
    throw new InputError({
      message: `Cannot use instance URL "${plan.instanceUrl ?? ''}" (${(error as Error).message})`,
      hint: 'Use the My Domain URL, e.g. https://acme.my.salesforce.com, not the Lightning URL',
    });
  }
}

async function logIn(
  conn: Connection,
  plan: AuthPlan,
  loginUrl: string,
  calls: ApiCallCounter,
  redact: (text: string) => string,
): Promise<void> {
  const grant = plan.grant?.();
  if (!grant) return;
  calls.add('auth');
  try {
    await conn.authorize(grant as { grant_type: string });
  } catch (error) {
    throw describeLoginFailure(error, plan, loginUrl, redact);
  }
  if (!conn.accessToken || !conn.instanceUrl) {
    throw new InputError({
      message: `The ${plan.label} login at ${loginUrl} returned no access token or instance URL`,
      hint: 'Check SF_LOGIN_URL points at a Salesforce login server',
    });
  }
}

function describeLoginFailure(
  error: unknown,
  plan: AuthPlan,
  loginUrl: string,
  redact: (text: string) => string,
): InputError {
  const err = error as { name?: string; code?: string; message?: string };
  if (err.name === 'FetchError' || (typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code))) {
    return new InputError({
      message: `Could not reach ${loginUrl} for the ${plan.label} login (${err.code ?? 'network error'})`,
      hint: 'Check SF_LOGIN_URL and the network or proxy settings',
    });
  }
  // jsforce turns the OAuth {error, error_description} body into name + message (oauth2.ts _postParams).
  const code =
    err.name && err.name !== 'Error' && err.name !== 'TypeError' ? err.name : 'unexpected response';
  const description = redact(err.message ?? String(error));
  return new InputError({
    message: `Salesforce refused the ${plan.label} login at ${loginUrl} (${code}: ${description})`,
    hint: plan.checkHint,
  });
}

/**
 * jsforce calls this on any 401 and re-sends the request after it succeeds. Modes that cannot log in
 * again fail at once; the others stop after MAX_SESSION_REFRESHES so a token the org keeps rejecting
 * cannot turn into thousands of token requests.
 */
function createRefreshFn(plan: AuthPlan, calls: ApiCallCounter): RefreshFn {
  let refreshes = 0;
  const renew = async (conn: Connection): Promise<string> => {
    const grant = plan.grant?.();
    if (!grant) throw new Error(`the ${plan.mode} session cannot be renewed`);
    if (refreshes >= MAX_SESSION_REFRESHES) throw new Error(`already renewed ${MAX_SESSION_REFRESHES} times`);
    refreshes++;
    calls.add('auth');
    const response = await conn.oauth2.requestToken(grant as { grant_type: string });
    return response.access_token;
  };
  return (conn, callback) => {
    renew(conn).then(
      (token) => callback(undefined, token),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  };
}

function buildTuning(overrides: ConnectOptions['tuning']): Tuning {
  const { retry, ...rest } = overrides ?? {};
  return { ...DEFAULT_TUNING, ...rest, retry: { ...DEFAULT_RETRY, ...retry } };
}
