/**
 * The Salesforce CLI encrypts the tokens in its auth files with AES-256-GCM under one key per user
 * (service "sfdx", account "local"), kept in the OS keychain or, with the generic keychain, in
 * ~/.sfdx/key.json. Layout of a value: hex IV, hex ciphertext, ":", hex auth tag (see DESIGN.md).
 * A 32-character key is the original format (key and IV used as UTF-8 text); a 64-character key is the
 * newer one (key and IV are hex bytes).
 */
import { execFile } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

const KEY_SERVICE = 'sfdx';
const KEY_ACCOUNT = 'local';

export interface SfKey {
  value: string;
  /** Where it came from, for messages (never the key itself). */
  from: string;
}

/** Thrown with a reason a person can act on; the caller turns it into an InputError naming the org. */
export class SfKeyError extends Error {}

function truthy(raw: string | undefined): boolean {
  return raw !== undefined && ['true', '1'].includes(raw.trim().toLowerCase());
}

export function usesGenericKeychain(env: Env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return true;
  return truthy(env.SF_USE_GENERIC_UNIX_KEYCHAIN) || truthy(env.USE_GENERIC_UNIX_KEYCHAIN);
}

/** Reads the key the way sf picks its keychain: generic file, macOS Keychain, or libsecret. */
export async function readSfKey(env: Env, sfdxDir: string): Promise<SfKey> {
  const platform = process.platform;
  if (!usesGenericKeychain(env, platform)) {
    if (platform === 'darwin') {
      const value = await readProgram('/usr/bin/security', [
        'find-generic-password',
        '-a',
        KEY_ACCOUNT,
        '-s',
        KEY_SERVICE,
        '-w',
      ]);
      return { value, from: 'the macOS Keychain (service "sfdx")' };
    }
    const secretTool = env.SFDX_SECRET_TOOL_PATH || '/usr/bin/secret-tool';
    // Without libsecret's tool sf falls back to the generic keychain file, and so does this.
    if (platform === 'linux' && existsSync(secretTool)) {
      const args = ['lookup', 'user', KEY_ACCOUNT, 'domain', KEY_SERVICE];
      return { value: await readProgram(secretTool, args), from: 'the libsecret keyring (domain "sfdx")' };
    }
  }
  return readKeyFile(join(sfdxDir, 'key.json'));
}

async function readKeyFile(path: string): Promise<SfKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new SfKeyError(`the Salesforce CLI key file ${path} cannot be read (${code})`);
  }
  let parsed: { service?: unknown; account?: unknown; key?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SfKeyError(`the Salesforce CLI key file ${path} is not JSON`);
  }
  if (parsed.service !== KEY_SERVICE || parsed.account !== KEY_ACCOUNT || typeof parsed.key !== 'string') {
    throw new SfKeyError(`the Salesforce CLI key file ${path} holds no "sfdx" key`);
  }
  return { value: parsed.key, from: path };
}

function readProgram(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: 30_000 }, (error, stdout) => {
      const value = String(stdout).trim();
      if (error || !value) {
        reject(new SfKeyError(`the Salesforce CLI key is not in ${program} (${error?.code ?? 'empty'})`));
      } else resolve(value);
    });
  });
}

export function looksEncrypted(text: string): boolean {
  const [body, tag, extra] = text.split(':');
  return extra === undefined && /^[a-f0-9]+$/.test(body ?? '') && /^[a-f0-9]{32}$/.test(tag ?? '');
}

/** Decrypts one stored value; a wrong key fails the GCM tag check and throws SfKeyError. */
export function decryptSfValue(text: string, key: SfKey): string {
  const [body = '', tag = ''] = text.split(':');
  if (!looksEncrypted(text)) {
    throw new SfKeyError('a stored token is not in the Salesforce CLI encrypted format');
  }
  const modern = key.value.length === 64;
  if (!modern && key.value.length !== 32) {
    throw new SfKeyError(`the key in ${key.from} has an unknown length`);
  }
  // The older format uses the 12 hex characters of its IV as 12 bytes of text, and the key likewise.
  const ivChars = modern ? 24 : 12;
  const iv = modern
    ? Buffer.from(body.slice(0, ivChars), 'hex')
    : Buffer.from(body.slice(0, ivChars), 'utf8');
  const secret = modern ? Buffer.from(key.value, 'hex') : Buffer.from(key.value, 'utf8');
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, iv);
    decipher.setAuthTag(Buffer.from(tag, 'hex'));
    return decipher.update(body.slice(ivChars), 'hex', 'utf8') + decipher.final('utf8');
  } catch {
    throw new SfKeyError(`a stored token does not decrypt with the key in ${key.from}`);
  }
}
