/**
 * Salesforce flow helpers: a TestOrg running in THIS process, seeded with people, a Lead queue and leads,
 * and the BUILT binary (bin/leadshift.js) run against it as a child process. The child is spawned
 * asynchronously so that the org keeps serving while the CLI talks to it.
 */

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { type RecordedRequest, TestOrg } from '../org/index.js';

import { type CliResult, type Running, startCli } from '../support/cli.js';
import { readCsv } from '../support/files.js';

export { assertBuilt, show } from '../support/cli.js';
export { readCsv } from '../support/files.js';

export type AuthMode = 'token' | 'password';

export interface People {
  ana: string; // inactive
  ben: string; // active
  carla: string; // active
  dan: string; // inactive, manager ben
  eve: string; // active, manager carla
}

export interface RunOptions {
  auth?: AuthMode;
  env?: Record<string, string>;
  /** The child is killed after this long (default 120 s). */
  timeoutMs?: number;
}

export interface WorldOptions {
  /** Number of leads (default 20). */
  leads?: number;
  /** Owner of lead i (default: ana, dan, ben, eve in turn). */
  ownerOf?: (i: number, people: People) => string;
  dailyApiLimit?: number;
}

/** One test's org, working folder and run home. */
export class World {
  static async create(options: WorldOptions = {}): Promise<World> {
    const org = await TestOrg.start({
      apiVersion: '62.0',
      bulkDelayMs: 10,
      ...(options.dailyApiLimit ? { dailyApiLimit: options.dailyApiLimit } : {}),
    });
    const dir = await mkdtemp(join(tmpdir(), 'leadshift-sf-'));
    return new World(org, dir, options);
  }

  readonly people: People;
  readonly queue: string;
  readonly leads: string[];
  readonly home: string;

  private constructor(
    readonly org: TestOrg,
    readonly dir: string,
    options: WorldOptions,
  ) {
    this.home = join(dir, 'home');
    const [ben = '', carla = ''] = org.insert('User', [
      user('ben', 'Ben', 'Okafor', true),
      user('carla', 'Carla', 'Rossi', true),
    ]);
    const [ana = '', dan = '', eve = ''] = org.insert('User', [
      user('ana', 'Ana', 'Schmidt', false),
      { ...user('dan', 'Dan', 'Novak', false), ManagerId: ben },
      { ...user('eve', 'Eve', 'Silva', true), ManagerId: carla },
    ]);
    this.people = { ana, ben, carla, dan, eve };
    const [queue = ''] = org.insert('Group', [{ Type: 'Queue', Name: 'Hopper', DeveloperName: 'Hopper' }]);
    org.insert('QueueSobject', [{ QueueId: queue, SobjectType: 'Lead' }]);
    this.queue = queue;
    const cycle = [ana, dan, ben, eve];
    const ownerOf = options.ownerOf ?? ((i: number) => cycle[i % cycle.length] ?? ana);
    const n = options.leads ?? 20;
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      rows.push({
        FirstName: `Lead${i}`,
        LastName: i === 0 ? "O'Brien" : `Person${i}`,
        Company: `Company ${i}`,
        Country: i % 3 === 0 ? 'DE' : 'US',
        Status: 'Open - Not Contacted',
        OwnerId: ownerOf(i, this.people),
      });
    }
    this.leads = n > 0 ? org.insert('Lead', rows) : [];
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, text: string): Promise<void> {
    return writeFile(this.path(name), text);
  }

  /** Connection variables for the child; a fresh access token each time. */
  env(auth: AuthMode = 'token'): Record<string, string> {
    const c = this.org.credentials;
    if (auth === 'token')
      return {
        SF_INSTANCE_URL: this.org.url,
        SF_ACCESS_TOKEN: this.org.issueAccessToken(),
        SF_API_VERSION: '62.0',
      };
    return {
      SF_LOGIN_URL: this.org.url,
      SF_USERNAME: c.username,
      SF_PASSWORD: c.password,
      SF_SECURITY_TOKEN: c.securityToken,
      SF_CLIENT_ID: c.clientId,
      SF_CLIENT_SECRET: c.clientSecret,
      SF_API_VERSION: '62.0',
    };
  }

  /** Runs the binary with `--home home` and waits for it. */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return this.start(args, options).result;
  }

  start(args: string[], options: RunOptions = {}): Running {
    return startCli(
      this.dir,
      ['--home', 'home', ...args],
      { ...this.env(options.auth), ...options.env },
      options.timeoutMs,
    );
  }

  /** Counted API calls by kind (the org's own view), from request index `from` on. */
  callsByKind(from = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests(from)) if (r.counted) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    return counts;
  }

  owner(id: string): string {
    return String(this.org.record('Lead', id)?.OwnerId ?? '');
  }

  owners(): Map<string, string> {
    return new Map(this.org.records('Lead').map((r) => [String(r.Id), String(r.OwnerId)]));
  }

  /** Requests recorded from index `from` on. */
  requests(from = 0): RecordedRequest[] {
    return this.org.requests.slice(from);
  }

  plan(runDir: string): Promise<Record<string, string>[]> {
    return readCsv(join(runDir, 'plan.csv'));
  }

  results(runDir: string): Promise<Record<string, string>[]> {
    return readCsv(join(runDir, 'results.csv'));
  }

  async runDirs(): Promise<string[]> {
    const runs = join(this.home, 'runs');
    const names = await readdir(runs).catch(() => [] as string[]);
    return names
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => join(runs, n));
  }

  /** Every file under the working folder (run home included), as text. */
  async allFiles(): Promise<{ path: string; text: string }[]> {
    const entries = await readdir(this.dir, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    return Promise.all(
      files.map(async (path) => ({ path: relative(this.dir, path), text: await readFile(path, 'utf8') })),
    );
  }

  async close(): Promise<void> {
    await this.org.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function user(alias: string, first: string, last: string, active: boolean): Record<string, unknown> {
  return {
    FirstName: first,
    LastName: last,
    Username: `${alias}@acme.com`,
    Email: `${alias}@acme.com`,
    Alias: alias,
    IsActive: active,
    UserType: 'Standard',
  };
}

/** Decoded SOQL of every REST query and Bulk 2.0 query job in `requests`. */
export function soqlOf(requests: RecordedRequest[]): string[] {
  const out: string[] = [];
  for (const r of requests) {
    if (r.kind === 'query' && r.query.q) out.push(r.query.q);
    if (r.kind === 'bulkQuery' && r.method === 'POST' && r.body) {
      try {
        const body = JSON.parse(r.body) as { query?: string };
        if (body.query) out.push(body.query);
      } catch {
        // not a job create
      }
    }
  }
  return out;
}

export function collectionPatches(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'));
}

/** Records sent in the collection PATCHes. */
export function rowsSent(requests: RecordedRequest[]): { id: string; OwnerId?: string }[] {
  return collectionPatches(requests).flatMap(
    (r) => (JSON.parse(r.body) as { records: { id: string; OwnerId?: string }[] }).records,
  );
}

/** Opens test orgs for one test file and closes them all after its tests: `const world = worldsOfThisFile();` */
export function worldsOfThisFile(): (options?: WorldOptions) => Promise<World> {
  const worlds: World[] = [];
  afterAll(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });
  return async (options = {}) => {
    const w = await World.create(options);
    worlds.push(w);
    return w;
  };
}
