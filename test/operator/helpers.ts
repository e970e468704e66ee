/**
 * Operator-experience helpers: the CLI in-process (`main` with a scripted prompt and a capturing stdout),
 * the BUILT binary as a child (no terminal on stdin, as cron runs it), demo copies, and small test orgs.
 */

import { existsSync } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Prompt } from '../../src/ports.js';
import { TestOrg } from '../org/index.js';
import { DEMO } from '../support/cli.js';
import { removeTempDirs, tempDir } from '../support/files.js';

export {
  assertBuilt,
  BIN,
  type CliResult,
  childEnv,
  DEMO,
  runCli as cli,
  show,
  startCli,
} from '../support/cli.js';
export { readCsv, removeTempDirs, tempDir } from '../support/files.js';

/** A fresh copy of fixtures/demo (job.yml, leads.csv, users.csv, queues.csv, departed.csv). */
export async function demoCopy(): Promise<string> {
  const dir = await tempDir('leadshift-demo-');
  await cp(DEMO, dir, { recursive: true });
  return dir;
}

/** A stdout that keeps what was written. */
export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface InProcess {
  code: number;
  stdout: string;
}

/** `main(argv)` in this process, on a terminal (stdin a TTY) unless told otherwise. */
export async function inProcess(
  cwd: string,
  args: string[],
  options: {
    prompt?: Prompt;
    env?: Record<string, string>;
    stdinIsTty?: boolean;
    clock?: () => Date;
  } = {},
): Promise<InProcess> {
  const stdout = new Capture();
  const code = await main(args, {
    cwd,
    env: { NO_COLOR: '1', PATH: process.env.PATH ?? '', ...options.env },
    stdout,
    stdinIsTty: options.stdinIsTty ?? true,
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { code, stdout: stdout.text };
}

export async function readJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Run directories of a run home, oldest first. */
export async function runDirs(home: string): Promise<string[]> {
  const runs = join(home, 'runs');
  const names = await readdir(runs).catch(() => [] as string[]);
  return names
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((n) => join(runs, n));
}

/** Every file under `dir` with its text. */
export async function filesUnder(dir: string): Promise<Array<{ path: string; text: string }>> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Promise.all(
    files.map(async (path) => ({ path: relative(dir, path), text: await readFile(path, 'utf8') })),
  );
}

export interface SmallOrg {
  org: TestOrg;
  people: { ana: string; ben: string; carla: string; dan: string };
  leads: string[];
  owner(id: string): string;
  tokenEnv(): Record<string, string>;
}

/**
 * A test org with ana and dan inactive, ben and carla active, a Hopper queue, and `leads` leads owned by
 * ana (even) and dan (odd).
 */
const started: TestOrg[] = [];

/** Closes every org smallOrg started and removes the temporary folders: one afterAll for a test file. */
export async function cleanUp(): Promise<void> {
  await Promise.all(started.splice(0).map((org) => org.close()));
  await removeTempDirs();
}

export async function smallOrg(options: { leads?: number; isSandbox?: boolean } = {}): Promise<SmallOrg> {
  const org = await TestOrg.start({
    apiVersion: '62.0',
    bulkDelayMs: 10,
    ...(options.isSandbox !== undefined ? { isSandbox: options.isSandbox } : {}),
  });
  started.push(org);
  const [ben = '', carla = ''] = org.insert('User', [user('ben', true), user('carla', true)]);
  const [ana = '', dan = ''] = org.insert('User', [
    user('ana', false),
    { ...user('dan', false), ManagerId: ben },
  ]);
  const [queue = ''] = org.insert('Group', [{ Type: 'Queue', Name: 'Hopper', DeveloperName: 'Hopper' }]);
  org.insert('QueueSobject', [{ QueueId: queue, SobjectType: 'Lead' }]);
  const n = options.leads ?? 12;
  const rows = Array.from({ length: n }, (_, i) => ({
    FirstName: `Lead${i}`,
    LastName: `Person${i}`,
    Company: `Company ${i}`,
    Country: i % 3 === 0 ? 'DE' : 'US',
    Status: 'Open - Not Contacted',
    OwnerId: i % 2 === 0 ? ana : dan,
  }));
  const leads = n > 0 ? org.insert('Lead', rows) : [];
  return {
    org,
    people: { ana, ben, carla, dan },
    leads,
    owner: (id) => String(org.record('Lead', id)?.OwnerId ?? ''),
    tokenEnv: () => tokenEnv(org),
  };
}

export function tokenEnv(org: TestOrg): Record<string, string> {
  return { SF_INSTANCE_URL: org.url, SF_ACCESS_TOKEN: org.issueAccessToken(), SF_API_VERSION: '62.0' };
}

function user(alias: string, active: boolean): Record<string, unknown> {
  return {
    FirstName: alias[0]?.toUpperCase() + alias.slice(1),
    LastName: 'Test',
    Username: `${alias}@acme.com`,
    Email: `${alias}@acme.com`,
    Alias: alias,
    IsActive: active,
    UserType: 'Standard',
  };
}

/** Bearer tokens the CLI sent to the org (the sessions it was issued or given). */
export function bearerTokens(org: TestOrg): Set<string> {
  const tokens = new Set<string>();
  for (const r of org.requests) {
    const auth = r.headers.authorization ?? r.headers.Authorization ?? '';
    const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(auth);
    if (m?.[1]) tokens.add(m[1]);
  }
  return tokens;
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
