/**
 * End-to-end helpers: run the BUILT binary (bin/leadshift.js → dist/) in a temporary folder, the way a
 * user or a cron job does (no terminal on stdin, no colour, no proxy), and build small CSV exports.
 */

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeId } from '../../bench/data.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/leadshift.js');
export const DEMO = join(ROOT, 'fixtures/demo');

/** The e2e tier tests the build, not the source: `npm test` builds first. */
export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
    throw new Error(
      'dist/cli/main.js is missing: the e2e tests run the built binary. Run `npm run build` first (npm test does).',
    );
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DROPPED_ENV = /^(https?_proxy|all_proxy|no_proxy|LEADSHIFT_|SF_|FORCE_COLOR)/i;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!DROPPED_ENV.test(key)) env[key] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs `node bin/leadshift.js ...args` in `cwd`, stdin closed (not a terminal); never waits on input. */
export function leadshift(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A describe-friendly summary for failed expectations. */
export function show(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

const made: string[] = [];

export async function makeTempDir(prefix = 'leadshift-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Every file and folder under `dir`, relative, sorted: to prove a command wrote nothing. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

/** Parses a CSV written by leadshift (csv-stringify: quotes only when needed) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A CSV file of a run directory as objects keyed by its header. */
export async function readCsvFile(
  path: string,
): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const [header = [], ...body] = parseCsv(await readFile(path, 'utf8'));
  return {
    header,
    rows: body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))),
  };
}

export async function readJsonFile<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Valid 18-character Ids by key prefix. */
export const ids = {
  user: (n: number) => makeId('005', n),
  queue: (n: number) => makeId('00G', n),
  lead: (n: number) => makeId('00Q', n),
  contact: (n: number) => makeId('003', n),
  account: (n: number) => makeId('001', n),
};

export interface UserRow {
  id: string;
  username: string;
  name?: string;
  isActive: boolean | string;
  managerId?: string;
}

/** Quotes a cell when CSV needs it. */
export function cell(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(header: string[], rows: Array<Array<string | number | boolean>>, eol = '\n'): string {
  return [header.join(','), ...rows.map((row) => row.map(cell).join(','))].join(eol) + eol;
}

/**
 * A small org as CSV exports in a temporary folder. People: ana (inactive), ben, carla, dan (inactive,
 * manager ben), eve (active, manager frank inactive), frank (inactive). Queues: Hopper (Lead), CaseQ (Case).
 */
export class Workspace {
  static async create(): Promise<Workspace> {
    return new Workspace(await makeTempDir());
  }

  readonly people = {
    ana: ids.user(1),
    ben: ids.user(2),
    carla: ids.user(3),
    dan: ids.user(4),
    eve: ids.user(5),
    frank: ids.user(6),
  };
  readonly queues = { hopper: ids.queue(1), caseq: ids.queue(2) };

  private constructor(readonly dir: string) {}

  path(name: string): string {
    return join(this.dir, name);
  }

  async write(name: string, contents: string | Buffer): Promise<string> {
    const path = this.path(name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, contents);
    return path;
  }

  async csv(name: string, header: string[], rows: Array<Array<string | number | boolean>>): Promise<string> {
    return this.write(name, csvText(header, rows));
  }

  userRows(): UserRow[] {
    const p = this.people;
    return [
      { id: p.ana, username: 'ana@acme.com', name: 'Ana Schmidt', isActive: false },
      { id: p.ben, username: 'ben@acme.com', name: 'Ben Okafor', isActive: true },
      { id: p.carla, username: 'carla@acme.com', name: 'Carla Rossi', isActive: true },
      { id: p.dan, username: 'dan@acme.com', name: 'Dan Novak', isActive: false, managerId: p.ben },
      { id: p.eve, username: 'eve@acme.com', name: 'Eve Silva', isActive: true, managerId: p.frank },
      { id: p.frank, username: 'frank@acme.com', name: 'Frank Berg', isActive: false },
    ];
  }

  async users(rows: UserRow[] = this.userRows(), name = 'users.csv'): Promise<string> {
    return this.csv(
      name,
      ['Id', 'Username', 'Email', 'Name', 'IsActive', 'ManagerId'],
      rows.map((u) => [
        u.id,
        u.username,
        u.username,
        u.name ?? u.username,
        String(u.isActive),
        u.managerId ?? '',
      ]),
    );
  }

  async queueFile(name = 'queues.csv'): Promise<string> {
    return this.csv(
      name,
      ['Id', 'Name', 'DeveloperName', 'SobjectType'],
      [
        [this.queues.hopper, 'Hopper', 'Hopper', 'Lead'],
        [this.queues.caseq, 'Case Queue', 'CaseQ', 'Case'],
      ],
    );
  }

  async mapping(rows: Array<[string, string]>, name = 'map.csv'): Promise<string> {
    return this.csv(name, ['from', 'to'], rows);
  }

  /** Leads from partial rows; missing fields get defaults. */
  async leads(rows: LeadRow[], name = 'leads.csv'): Promise<string> {
    return this.csv(
      name,
      LEAD_HEADER,
      rows.map((r, i) => [
        r.id ?? ids.lead(i + 1),
        r.ownerId,
        r.company ?? `Company ${i + 1}`,
        r.country ?? 'US',
        r.employees ?? 10,
        String(r.converted ?? false),
        String(r.excluded ?? false),
        r.modified ?? new Date().toISOString(),
        r.email ?? `lead${i + 1}@example.com`,
      ]),
    );
  }

  /** users.csv, queues.csv and a leads export: the usual three files of a CSV job. */
  async standard(leads: LeadRow[]): Promise<void> {
    await Promise.all([this.users(), this.queueFile(), this.leads(leads)]);
  }

  run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return leadshift(this.dir, args, env);
  }

  async runDirs(home = 'home'): Promise<string[]> {
    const runs = join(this.dir, home, 'runs');
    const names = await readdir(runs).catch(() => [] as string[]);
    return names
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => join(runs, n));
  }
}

export const LEAD_HEADER = [
  'Id',
  'OwnerId',
  'Company',
  'Country',
  'NumberOfEmployees',
  'IsConverted',
  'Exclude_From_Reassignment__c',
  'LastModifiedDate',
  'Email',
];

export interface LeadRow {
  id?: string;
  ownerId: string;
  company?: string;
  country?: string;
  employees?: number;
  converted?: boolean;
  excluded?: boolean;
  modified?: string;
  email?: string;
}

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

/** Arguments of a CSV job on the standard workspace, with an explicit run home. */
export function csvArgs(extra: string[] = []): string[] {
  return [
    '--from',
    'csv:leads.csv',
    '--users',
    'users.csv',
    '--queues',
    'queues.csv',
    '--home',
    'home',
    ...extra,
  ];
}
