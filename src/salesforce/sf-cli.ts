/**
 * Connects through an org authorised in the Salesforce CLI, from sf's own files (see DESIGN.md for why
 * not @salesforce/core). The stored access token is tried first; when the org refuses it, a web or device
 * login renews it with the stored refresh token and a JWT login signs a new assertion, as sf does. The
 * renewed token stays in memory: sf's files are left as sf wrote them.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { AuthPlan } from './auth.js';
import { jwtAudience, loadPrivateKey, signJwt } from './jwt.js';
import { decryptSfValue, readSfKey, SfKeyError } from './sf-cli-crypto.js';
import {
  type DefaultOrg,
  findDefaultOrg,
  loginCommand,
  readAuthFile,
  type SfAuthFile,
  sfPaths,
} from './sf-cli-files.js';

type Env = Record<string, string | undefined>;

const RESUME = 'then run the command again (`leadshift apply <run-dir>` resumes a partly applied run)';

export async function findSfDefaultOrg(env: Env, cwd: string): Promise<DefaultOrg | undefined> {
  return findDefaultOrg(env, cwd, sfPaths(env));
}

export async function planSfCliOrg(name: string, env: Env): Promise<AuthPlan> {
  const paths = sfPaths(env);
  const file = await readAuthFile(name, paths);
  const tokens = await decryptTokens(name, file, env, paths.sfdxDir);
  const renewal = await planRenewal(name, file, tokens);
  const secrets = [tokens.accessToken, tokens.refreshToken, tokens.clientSecret, ...renewal.secrets];
  return {
    mode: 'sf-cli',
    label: `Salesforce CLI org "${name}" (${file.username})`,
    ...(tokens.accessToken ? { accessToken: tokens.accessToken } : {}),
    instanceUrl: file.instanceUrl,
    loginUrl: file.loginUrl,
    ...renewal.plan,
    secrets: secrets.filter((secret): secret is string => Boolean(secret)),
    checkHint: `Check \`sf org display --target-org ${name}\` shows the org as Connected, or log in again with \`${loginCommand(name)}\``,
    reauthHint: renewal.plan.grant
      ? `leadshift renewed the session of org "${name}" from the Salesforce CLI login, up to 3 times per run; Salesforce kept refusing. Log in again with \`${loginCommand(name)}\`, ${RESUME}`
      : `The Salesforce CLI holds only an access token for org "${name}", and it was rejected. Log in again with \`${loginCommand(name)}\` (a web login can be renewed), ${RESUME}`,
  };
}

interface Tokens {
  accessToken?: string;
  refreshToken?: string;
  clientSecret?: string;
}

async function decryptTokens(name: string, file: SfAuthFile, env: Env, sfdxDir: string): Promise<Tokens> {
  if (!file.accessToken && !file.refreshToken) {
    throw new InputError({
      message: `${file.path} (org "${name}") holds no access or refresh token`,
      hint: `Log in again with \`${loginCommand(name)}\``,
    });
  }
  try {
    const key = await readSfKey(env, sfdxDir);
    const open = (value: string | undefined) => (value ? decryptSfValue(value, key) : undefined);
    return {
      accessToken: open(file.accessToken),
      refreshToken: open(file.refreshToken),
      clientSecret: open(file.clientSecret),
    };
  } catch (error) {
    if (!(error instanceof SfKeyError)) throw error;
    throw new InputError({
      message: `Cannot read the login of org "${name}" from the Salesforce CLI: ${error.message}`,
      hint: `If sf itself works (\`sf org display --target-org ${name}\`), set SF_USE_GENERIC_UNIX_KEYCHAIN the same way sf runs; otherwise log in again with \`${loginCommand(name)}\``,
    });
  }
}

interface Renewal {
  plan: Pick<AuthPlan, 'grant' | 'oauth2'>;
  secrets: string[];
}

async function planRenewal(name: string, file: SfAuthFile, tokens: Tokens): Promise<Renewal> {
  const oauth2 = {
    clientId: file.clientId,
    ...(tokens.clientSecret ? { clientSecret: tokens.clientSecret } : {}),
  };
  const { refreshToken } = tokens;
  if (refreshToken) {
    return {
      plan: { grant: () => ({ grant_type: 'refresh_token', refresh_token: refreshToken }), oauth2 },
      secrets: [],
    };
  }
  if (!file.privateKey) return { plan: {}, secrets: [] };
  const pem = await readJwtKey(name, file.privateKey);
  const key = loadPrivateKey(pem);
  const claims = { clientId: file.clientId, username: file.username, audience: jwtAudience(file.loginUrl) };
  return {
    plan: {
      grant: () => ({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signJwt(claims, key),
      }),
      oauth2: { clientId: file.clientId },
    },
    secrets: [pem],
  };
}

async function readJwtKey(name: string, path: string): Promise<string> {
  try {
    const pem = await readFile(path, 'utf8');
    loadPrivateKey(pem);
    return pem;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'not a PEM private key';
    throw new InputError({
      message: `The JWT key file ${path} of org "${name}" cannot be used (${code})`,
      hint: `Log in again with \`sf org login jwt --alias ${name} --jwt-key-file <key> --client-id <id> --username <user>\``,
    });
  }
}
