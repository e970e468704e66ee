/**
 * A HOME laid out as the Salesforce CLI (sf 2.x) writes it: ~/.sfdx/key.json for the generic keychain,
 * ~/.sfdx/<username>.json per login with AES-256-GCM encrypted tokens, ~/.sfdx/alias.json, and
 * target-org in .sf/config.json. Tokens are encrypted here the way sf does, with its key formats.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './files.js';

export type KeyFormat = 'v1' | 'v2';

export interface SfLogin {
  username: string;
  instanceUrl: string;
  loginUrl?: string;
  orgId: string;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  /** `sf org login jwt` keeps the path of the key file. */
  privateKey?: string;
  alias?: string;
}

export interface SfHome {
  home: string;
  /** The keychain key, a secret like the tokens. */
  key: string;
  /** What a child process needs to find this sf state. */
  env: Record<string, string>;
  addLogin(login: SfLogin): Promise<void>;
  setTargetOrg(
    name: string,
    where: { project: string } | 'global' | { legacyProject: string },
  ): Promise<void>;
}

export function encryptLikeSf(text: string, key: string): string {
  const modern = key.length === 64;
  const iv = modern ? randomBytes(12) : Buffer.from(randomBytes(6).toString('hex'), 'utf8');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, modern ? 'hex' : 'utf8'), iv);
  const body = cipher.update(text, 'utf8', 'hex') + cipher.final('hex');
  const ivText = modern ? iv.toString('hex') : iv.toString('utf8');
  return `${ivText}${body}:${cipher.getAuthTag().toString('hex')}`;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function makeSfHome(format: KeyFormat = 'v2'): Promise<SfHome> {
  const home = await tempDir('leadshift-sfhome-');
  const sfdx = join(home, '.sfdx');
  await mkdir(sfdx, { recursive: true });
  const key = randomBytes(format === 'v2' ? 32 : 16).toString('hex');
  await writeFile(
    join(sfdx, 'key.json'),
    JSON.stringify({ service: 'sfdx', account: 'local', key }, null, 4),
    { mode: 0o600 },
  );
  const aliases: Record<string, string> = {};
  return {
    home,
    key,
    env: { HOME: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' },
    async addLogin(login) {
      const file = {
        ...(login.accessToken ? { accessToken: encryptLikeSf(login.accessToken, key) } : {}),
        instanceUrl: login.instanceUrl,
        loginUrl: login.loginUrl ?? login.instanceUrl,
        orgId: login.orgId,
        username: login.username,
        ...(login.refreshToken
          ? {
              refreshToken: encryptLikeSf(login.refreshToken, key),
              clientId: login.clientId ?? 'PlatformCLI',
            }
          : {}),
        ...(login.privateKey ? { privateKey: login.privateKey, clientId: login.clientId } : {}),
        isDevHub: false,
        instanceApiVersion: '62.0',
        instanceApiVersionLastRetrieved: '12/3/2026, 9:00:00 AM',
        created: String(Date.now()),
        isScratch: false,
        isSandbox: false,
        tracksSource: false,
        namespacePrefix: null,
      };
      await writeFile(join(sfdx, `${login.username}.json`), json(file), { mode: 0o600 });
      if (login.alias) {
        aliases[login.alias] = login.username;
        await writeFile(join(sfdx, 'alias.json'), json({ orgs: aliases }));
      }
    },
    async setTargetOrg(name, where) {
      if (where !== 'global' && 'legacyProject' in where) {
        await mkdir(join(where.legacyProject, '.sfdx'), { recursive: true });
        await writeFile(
          join(where.legacyProject, '.sfdx', 'sfdx-config.json'),
          json({ defaultusername: name }),
        );
        return;
      }
      const dir = where === 'global' ? home : where.project;
      await mkdir(join(dir, '.sf'), { recursive: true });
      await writeFile(join(dir, '.sf', 'config.json'), json({ 'target-org': name }));
    },
  };
}
