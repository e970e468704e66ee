/**
 * End-to-end helpers: run the BUILT binary (bin/leadshift.js → dist/) in a temporary folder, the way a
 * user or a cron job does (no terminal on stdin, no colour, no proxy), and build small CSV exports.
 */

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeId } from '../../bench/data.js';
import { type CliResult, runCli } from '../support/cli.js';
import { parseCsv, tempDir } from '../support/files.js';

export { assertBuilt, DEMO, ROOT, show } from '../support/cli.js';
export { listTree, parseCsv, removeTempDirs, tempDir as makeTempDir } from '../support/files.js';

/** Runs `node bin/leadshift.js ...args` in `cwd`, stdin closed (not a terminal); never waits on input. */
export function leadshift(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(cwd, args, env);
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
    return new Workspace(await tempDir('leadshift-e2e-'));
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
