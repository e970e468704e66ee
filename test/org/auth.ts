// OAuth 2.0 token endpoint, userinfo/identity, SOAP login, and session checks.

import { createHmac, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { SfError } from './errors.js';
import { type Ctx, header, json, type Reply } from './http.js';
import type { OrgState } from './state.js';
import type { Rec } from './store.js';

let keyPair: { privateKeyPem: string; publicKeyPem: string } | undefined;

/** One RSA key pair per process (generation is the slow part of starting an org). */
export function orgKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  if (!keyPair) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyPair = {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return keyPair;
}

export function newAccessToken(state: OrgState, userId: string): string {
  const token = `${state.orgId.slice(0, 15)}!AR${randomBytes(48).toString('base64url')}`;
  state.sessions.set(token, { userId, valid: true });
  return token;
}

export function newRefreshToken(state: OrgState, userId: string): string {
  const token = `5Aep${randomBytes(40).toString('base64url')}`;
  state.refreshTokens.set(token, userId);
  return token;
}

const SF_CLI_CLIENT_ID = 'PlatformCLI';

const oauthError = (error: string, description: string): Reply =>
  json(400, { error, error_description: description });

function tokenResponse(state: OrgState, userId: string, extra: Record<string, string> = {}): Reply {
  const id = `${state.url}/id/${state.orgId}/${userId}`;
  const issuedAt = String(Date.now());
  const signature = createHmac('sha256', state.credentials.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  return json(200, {
    access_token: newAccessToken(state, userId),
    ...extra,
    instance_url: state.url,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature,
  });
}

function findUser(state: OrgState, username: string | null): Rec | undefined {
  if (!username) return undefined;
  return state.store.all('User').find((u) => String(u.Username).toLowerCase() === username.toLowerCase());
}

function verifyJwt(state: OrgState, assertion: string): Reply | Rec {
  const parts = assertion.split('.');
  if (parts.length !== 3) return oauthError('invalid_grant', 'invalid assertion');
  const [h = '', p = '', s = ''] = parts;
  let head: Rec;
  let claims: Rec;
  try {
    head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return oauthError('invalid_grant', 'invalid assertion');
  }
  if (head.alg !== 'RS256') return oauthError('invalid_grant', 'invalid assertion');
  const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), state.publicKeyPem, Buffer.from(s, 'base64url'));
  if (!ok) return oauthError('invalid_grant', 'invalid assertion');
  if (claims.iss !== state.credentials.clientId)
    return oauthError('invalid_client_id', 'client identifier invalid');
  const audiences = [
    state.url,
    state.config.isSandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com',
  ];
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => audiences.includes(String(a).replace(/\/$/, ''))))
    return oauthError('invalid_grant', 'audience is invalid');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now())
    return oauthError('invalid_grant', 'expired authorization code');
  const user = findUser(state, typeof claims.sub === 'string' ? claims.sub : null);
  if (user?.IsActive !== true) return oauthError('invalid_grant', "user hasn't approved this consumer");
  return user;
}

export function handleToken(ctx: Ctx): Reply {
  const { state } = ctx;
  if (ctx.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
  const type = header(ctx, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError('invalid_request', 'unsupported content type');
  }
  const form = new URLSearchParams(ctx.body);
  const grant = form.get('grant_type');
  if (state.rejectLogins) return oauthError('invalid_grant', 'authentication failure');
  const creds = state.credentials;
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  const checkClient = (secretRequired: boolean): Reply | undefined => {
    if (clientId !== creds.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
    if ((secretRequired || clientSecret !== null) && clientSecret !== creds.clientSecret) {
      return oauthError('invalid_client', 'invalid client credentials');
    }
    return undefined;
  };
  switch (grant) {
    case 'password': {
      const bad = checkClient(true);
      if (bad) return bad;
      const user = findUser(state, form.get('username'));
      const expected = creds.password + creds.securityToken;
      const isRunning = user && String(user.Username).toLowerCase() === creds.username.toLowerCase();
      if (!user || !isRunning || user.IsActive !== true || form.get('password') !== expected) {
        return oauthError('invalid_grant', 'authentication failure');
      }
      return tokenResponse(state, String(user.Id));
    }
    case 'refresh_token': {
      // PlatformCLI is the Salesforce CLI's own public client (no secret), present in every org.
      const sfCli = clientId === SF_CLI_CLIENT_ID && clientSecret === null;
      const bad = sfCli ? undefined : checkClient(false);
      if (bad) return bad;
      const userId = state.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!userId) return oauthError('invalid_grant', 'expired access/refresh token');
      return tokenResponse(state, userId, { scope: 'api refresh_token' });
    }
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
      if (clientId !== null && clientId !== creds.clientId)
        return oauthError('invalid_client_id', 'client identifier invalid');
      const result = verifyJwt(state, form.get('assertion') ?? '');
      if ('status' in result && typeof result.status === 'number') return result as Reply;
      return tokenResponse(state, String((result as Rec).Id), { scope: 'api' });
    }
    case 'client_credentials': {
      const bad = checkClient(true);
      if (bad) return bad;
      return tokenResponse(state, state.store.runningUserId, { scope: 'api' });
    }
    default:
      return oauthError('unsupported_grant_type', 'grant type not supported');
  }
}

/** The session of a request (Authorization: Bearer, or oauth_token for the identity URL). */
export function sessionUser(ctx: Ctx, allowQueryToken = false): string {
  const auth = header(ctx, 'authorization') ?? '';
  const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(auth);
  const token = m?.[1] ?? (allowQueryToken ? ctx.query.get('oauth_token') : null);
  const session = token ? ctx.state.sessions.get(token) : undefined;
  if (!session?.valid) throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  return session.userId;
}

function userDoc(state: OrgState, userId: string): Rec {
  const u = state.store.get('User', userId) ?? {};
  return {
    id: `${state.url}/id/${state.orgId}/${userId}`,
    user_id: userId,
    organization_id: state.orgId,
    username: u.Username ?? null,
    display_name: u.Name ?? null,
    email: u.Email ?? null,
    first_name: u.FirstName ?? null,
    last_name: u.LastName ?? null,
    active: u.IsActive === true,
    user_type: 'STANDARD',
    urls: {
      rest: `${state.url}/services/data/v{version}/`,
      sobjects: `${state.url}/services/data/v{version}/sobjects/`,
      query: `${state.url}/services/data/v{version}/query/`,
    },
  };
}

export function handleIdentity(ctx: Ctx, userId: string): Reply {
  const session = sessionUser(ctx, true);
  if (session !== userId || !ctx.path.includes(ctx.state.orgId)) throw new SfError(403, 'Bad_Id', 'Bad_Id');
  return json(200, userDoc(ctx.state, userId));
}

export function handleUserInfo(ctx: Ctx): Reply {
  const userId = sessionUser(ctx);
  const doc = userDoc(ctx.state, userId);
  return json(200, {
    sub: doc.id,
    user_id: userId,
    organization_id: ctx.state.orgId,
    preferred_username: doc.username,
    name: doc.display_name,
    email: doc.email,
    active: doc.active,
  });
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlText = (body: string, tag: string) => {
  const m = new RegExp(`<(?:\\w+:)?${tag}>([\\s\\S]*?)</(?:\\w+:)?${tag}>`).exec(body);
  return m?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
};

/** SOAP partner login (`POST /services/Soap/u/XX.X`), enough for jsforce's regex-based parser. */
export function handleSoapLogin(ctx: Ctx): Reply {
  const { state } = ctx;
  const creds = state.credentials;
  const username = xmlText(ctx.body, 'username') ?? '';
  const password = xmlText(ctx.body, 'password') ?? '';
  const user = findUser(state, username);
  const ok =
    !state.rejectLogins &&
    user?.IsActive === true &&
    username.toLowerCase() === creds.username.toLowerCase() &&
    password === creds.password + creds.securityToken;
  const env = (inner: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
  if (!ok || !user) {
    return {
      status: 500,
      headers: { 'Content-Type': 'text/xml;charset=UTF-8' },
      body: env(
        '<soapenv:Fault><faultcode>INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring></soapenv:Fault>',
      ),
    };
  }
  const userId = String(user.Id);
  const version = ctx.path.split('/').pop() ?? '50.0';
  const token = newAccessToken(state, userId);
  return {
    status: 200,
    headers: { 'Content-Type': 'text/xml;charset=UTF-8' },
    body: env(
      `<loginResponse><result><metadataServerUrl>${state.url}/services/Soap/m/${version}/${state.orgId}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>${state.config.isSandbox}</sandbox><serverUrl>${state.url}/services/Soap/u/${version}/${state.orgId}</serverUrl><sessionId>${xmlEscape(token)}</sessionId><userId>${userId}</userId><userInfo><organizationId>${state.orgId}</organizationId><userEmail>${xmlEscape(String(user.Email ?? ''))}</userEmail><userFullName>${xmlEscape(String(user.Name ?? ''))}</userFullName><userId>${userId}</userId><userName>${xmlEscape(String(user.Username))}</userName></userInfo></result></loginResponse>`,
    ),
  };
}
