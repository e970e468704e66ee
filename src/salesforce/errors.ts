/**
 * The adapter's own errors, and the one function that turns whatever jsforce throws into them.
 * Nothing thrown out of src/salesforce is a jsforce error: their `data`, `message` and URLs can carry
 * tokens (the identity URL has `oauth_token=`), so every message passes through a redactor first.
 */
import { InputError, StoppedError } from '../errors.js';
import type { CallKind } from './calls.js';

/**
 * A Salesforce call failed in a way that is not the user's input, a limit, or an expired session. Once
 * the retries are spent it stops the work (exit 4): an outage, a dropped network, or a request refused as
 * a whole, never one record's failure (those are outcomes, in results.csv).
 */
export class SalesforceError extends StoppedError {
  readonly code: string;
  readonly kind: CallKind;
  readonly status: number | undefined;
  /** 5xx, 429, timeouts and dropped connections: worth another attempt (jsforce retries none on POST/PATCH). */
  readonly transient: boolean;
  constructor(code: string, message: string, kind: CallKind, status?: number, transient = false) {
    super(`Salesforce ${kind} call failed (${code}${status ? `, HTTP ${status}` : ''}): ${message}`, {
      hint: hintFor(status, transient),
    });
    this.name = 'SalesforceError';
    this.code = code;
    this.kind = kind;
    this.status = status;
    this.transient = transient;
  }
}

/** REQUEST_LIMIT_EXCEEDED (HTTP 403): the org's daily API allowance is used up. Never retried. */
export class ApiLimitError extends StoppedError {
  readonly code = 'REQUEST_LIMIT_EXCEEDED';
  constructor(detail: string) {
    super(
      `Salesforce refused the request: the org's API request limit is exhausted (${detail}). ` +
        'Nothing more was sent. Wait for the 24-hour window to free up requests (Setup > Company ' +
        'Information shows API usage), then resume the same run with `leadshift apply <run-dir>`.',
    );
    this.name = 'ApiLimitError';
  }
}

/** The session was rejected and could not be renewed (or renewal was capped, see auth.ts). */
export class SessionExpiredError extends Error {
  constructor(hint: string) {
    super(`The Salesforce session expired or was revoked and could not be renewed. ${hint}`);
    this.name = 'SessionExpiredError';
  }
}

/** What to do about a stop, by what Salesforce said. */
function hintFor(status: number | undefined, transient: boolean): string {
  if (transient)
    return 'Salesforce or the network to it is unavailable (it was retried with backoff); try again once it answers';
  if (status === 400 || status === 404)
    return 'Salesforce refused the request as a whole, not one record: check what it names (a field, the object, a permission), then try again';
  return 'Check what Salesforce names, then try again';
}

export interface ErrorContext {
  kind: CallKind;
  soql?: string;
  object?: string;
  status?: number;
  redact: (text: string) => string;
  /** How to re-authenticate in the active auth mode, for SessionExpiredError. */
  sessionHint: string;
}

const QUERY_INPUT_CODES = new Set(['INVALID_FIELD', 'MALFORMED_QUERY', 'INVALID_TYPE']);
const QUERY_KINDS = new Set<CallKind>(['query', 'queryMore', 'bulkQuery']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
const MAX_SOQL_IN_MESSAGE = 300;

function readCode(err: Record<string, unknown>): string {
  for (const key of ['errorCode', 'code', 'name']) {
    const value = err[key];
    if (typeof value === 'string' && value && value !== 'Error' && value !== 'FetchError') return value;
  }
  return 'UNKNOWN_ERROR';
}

/**
 * When jsforce could not parse the error body (text responses such as Bulk CSV results), it reports
 * ERROR_HTTP_<status> with the raw body; the Salesforce code is still inside it.
 */
function unwrapBody(code: string, message: string): { code: string; message: string } {
  if (!code.startsWith('ERROR_HTTP_') || !message.trim().startsWith('[')) return { code, message };
  try {
    const [first] = JSON.parse(message) as Array<{ errorCode?: unknown; message?: unknown }>;
    if (typeof first?.errorCode === 'string')
      return { code: first.errorCode, message: String(first.message ?? '') };
  } catch {
    // not JSON after all: keep jsforce's reading
  }
  return { code, message };
}

function shortSoql(soql: string): string {
  return soql.length > MAX_SOQL_IN_MESSAGE ? `${soql.slice(0, MAX_SOQL_IN_MESSAGE)}…` : soql;
}

function isTransient(code: string, status: number | undefined, message: string): boolean {
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (NETWORK_CODES.has(code) || code === 'AbortError' || /^ERROR_HTTP_5\d\d$/.test(code)) return true;
  // jsforce's own per-request timeout surfaces as a plain Error (request-helper.ts executeWithTimeout).
  return message === 'Request Timeout';
}

/** Maps anything thrown while talking to Salesforce into the tool's errors. Idempotent. */
export function mapSalesforceError(error: unknown, ctx: ErrorContext): Error {
  if (
    error instanceof SalesforceError ||
    error instanceof ApiLimitError ||
    error instanceof SessionExpiredError ||
    error instanceof InputError
  ) {
    return error;
  }
  const raw = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Record<
    string,
    unknown
  >;
  const { code, message: rawMessage } = unwrapBody(
    readCode(raw),
    typeof raw.message === 'string' ? raw.message : String(error),
  );
  const message = ctx.redact(rawMessage);
  // jsforce's SessionRefreshDelegate wraps a refusing refreshFn as "Unable to refresh session due to: …".
  if (code === 'INVALID_SESSION_ID' || message.startsWith('Unable to refresh session')) {
    return new SessionExpiredError(ctx.sessionHint);
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') return new ApiLimitError(message);
  if (ctx.soql !== undefined && QUERY_KINDS.has(ctx.kind) && QUERY_INPUT_CODES.has(code)) {
    return new InputError({
      message: `Salesforce rejected the query "${shortSoql(ctx.redact(ctx.soql))}" (${code}): ${message}`,
      hint: 'Check the object and field API names in --object, --where, --exclude and rule conditions',
    });
  }
  if (ctx.kind === 'describe' && code === 'NOT_FOUND' && ctx.object) {
    return new InputError({
      message: `Salesforce has no object named "${ctx.object}"`,
      hint: 'Use the API name (for example Lead, Contact or My_Object__c) and check the user can see it',
    });
  }
  return new SalesforceError(code, message, ctx.kind, ctx.status, isTransient(code, ctx.status, message));
}

/** Builds a redactor for the known secret values plus the token shapes Salesforce uses. */
export function createRedactor(secrets: () => Iterable<string | undefined>): (text: string) => string {
  return (text: string) => {
    let out = text;
    for (const secret of secrets()) {
      if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
    }
    return out
      .replace(
        /(oauth_token|access_token|refresh_token|client_secret|password|assertion)=[^&\s"']+/gi,
        '$1=[redacted]',
      )
      .replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]')
      .replace(/00D[a-zA-Z0-9]{12,15}![\w.]+/g, '[redacted]');
  };
}
