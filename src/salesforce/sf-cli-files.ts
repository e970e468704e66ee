/**
 * Where the Salesforce CLI keeps what it knows, read the way sf reads it: aliases in ~/.sfdx/alias.json,
 * one auth file per username in ~/.sfdx/<username>.json, and the default org in `target-org` of
 * .sf/config.json (the project's, then ~/.sf/config.json), or the older `defaultusername` of
 * .sfdx/sfdx-config.json. Loaded only when a Salesforce connection uses the sf CLI.
 */

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';

type Env = Record<string, string | undefined>;

export interface SfPaths {
  home: string;
  sfdxDir: string;
}

export function sfPaths(env: Env): SfPaths {
  const home = env.HOME?.trim() || env.USERPROFILE?.trim() || homedir();
  return { home, sfdxDir: join(home, '.sfdx') };
}

/** The fields leadshift uses from an auth file; tokens are still encrypted here. */
export interface SfAuthFile {
  path: string;
  username: string;
  instanceUrl: string;
  loginUrl: string;
  clientId: string;
  accessToken?: string;
  refreshToken?: string;
  clientSecret?: string;
  /** Path of the JWT key file for `sf org login jwt`. */
  privateKey?: string;
}

/** The client id sf uses for its own logins (web, device) when none is given. */
const SF_DEFAULT_CLIENT_ID = 'PlatformCLI';

export function loginCommand(alias: string): string {
  return `sf org login web --alias ${alias}`;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError({
      message: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'read error'})`,
      hint: 'Check the permissions of the Salesforce CLI files',
    });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    // The file may hold tokens, so none of it is echoed.
    throw new InputError({
      message: `${path} is not valid JSON`,
      hint: 'Repair it, or remove it and log in again with the Salesforce CLI',
    });
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;

/** An alias, or a username as sf accepts both; the auth file must exist. */
export async function readAuthFile(nameOrAlias: string, paths: SfPaths): Promise<SfAuthFile> {
  const aliases = await readJson(join(paths.sfdxDir, 'alias.json'));
  const orgs = (aliases?.orgs ?? {}) as Record<string, unknown>;
  const username = text(orgs[nameOrAlias]) ?? nameOrAlias;
  const path = join(paths.sfdxDir, `${username}.json`);
  const raw = await readJson(path);
  if (!raw) {
    const aliasNote = username === nameOrAlias ? `no alias "${nameOrAlias}" in` : `alias "${nameOrAlias}" in`;
    throw new InputError({
      message: `No org "${nameOrAlias}" is authorised in the Salesforce CLI (${aliasNote} ${join(paths.sfdxDir, 'alias.json')}, no ${path})`,
      hint: `Log in with \`${loginCommand(nameOrAlias)}\` (or \`sf org login access-token --alias ${nameOrAlias}\`), then run the command again; \`sf org list\` shows the orgs sf knows`,
    });
  }
  const instanceUrl = text(raw.instanceUrl);
  if (!instanceUrl) {
    throw new InputError({
      message: `${path} (org "${nameOrAlias}") has no instanceUrl`,
      hint: `Log in again with \`${loginCommand(nameOrAlias)}\``,
    });
  }
  return {
    path,
    username: text(raw.username) ?? username,
    instanceUrl: instanceUrl.replace(/\/+$/, ''),
    loginUrl: (text(raw.loginUrl) ?? instanceUrl).replace(/\/+$/, ''),
    clientId: text(raw.clientId) ?? SF_DEFAULT_CLIENT_ID,
    ...optional('accessToken', raw.accessToken),
    ...optional('refreshToken', raw.refreshToken),
    ...optional('clientSecret', raw.clientSecret),
    ...optional('privateKey', raw.privateKey),
  };
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  const found = text(value);
  return found ? ({ [key]: found } as Record<K, string>) : {};
}

export interface DefaultOrg {
  name: string;
  /** The config file or variable that named it. */
  from: string;
}

/** sf's own order: SF_TARGET_ORG, the project's config (nearest folder up), then the global one. */
export async function findDefaultOrg(env: Env, cwd: string, paths: SfPaths): Promise<DefaultOrg | undefined> {
  const fromEnv = text(env.SF_TARGET_ORG);
  if (fromEnv) return { name: fromEnv, from: 'SF_TARGET_ORG' };
  for (const dir of [...ancestors(cwd), paths.home]) {
    const found = await readDefaultIn(dir);
    if (found) return found;
  }
  return undefined;
}

function ancestors(start: string): string[] {
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dirname(dir) === dir) return dirs;
  }
}

async function readDefaultIn(dir: string): Promise<DefaultOrg | undefined> {
  const sfConfig = join(dir, '.sf', 'config.json');
  const name = text((await readJson(sfConfig))?.['target-org']);
  if (name) return { name, from: sfConfig };
  const legacy = join(dir, '.sfdx', 'sfdx-config.json');
  const legacyName = text((await readJson(legacy))?.defaultusername);
  return legacyName ? { name: legacyName, from: legacy } : undefined;
}
