/**
 * The CSV pipeline end to end, through the built binary: plan → run directory → apply → undo → runs, with
 * exit codes, --json documents and the files users hand to Data Loader.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toId18 } from '../../src/ids.js';
import { failureOf, resultOf } from '../support/envelope.js';
import {
  assertBuilt,
  csvArgs,
  csvText,
  DEMO,
  daysAgo,
  ids,
  type LeadRow,
  leadshift,
  makeTempDir,
  parseCsv,
  ROOT,
  readCsvFile,
  readJsonFile,
  removeTempDirs,
  show,
  Workspace,
} from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

const PLAN_HEADER = ['Id', 'OldOwnerId', 'NewOwnerId', 'Rule', 'OldOwner', 'NewOwner'];
const RESULTS_HEADER = ['Id', 'OldOwnerId', 'NewOwnerId', 'Status', 'Error'];
const version = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

interface PlanDoc {
  command: string;
  runId: string;
  runDir: string;
  status: string;
  object: string;
  source: string;
  counts: Record<string, number>;
  changes: Array<{ oldOwner: string; newOwner: string; rule: string; count: number }>;
  unassigned: Array<{ reason: string; count: number }>;
  explanation?: {
    id: string;
    found: boolean;
    owner?: string;
    trace: Array<{ rule: string; result: string }>;
  };
}

function parseJson<T = PlanDoc>(stdout: string, status = 0): T {
  return resultOf<T>(stdout, status);
}

async function planRows(runDir: string, file = 'plan.csv') {
  return readCsvFile(join(runDir, file));
}

/** Five leads of inactive owners (ana ×3, dan ×2), one of an active owner, one converted lead of ana. */
function fiveLeads(ws: Workspace): LeadRow[] {
  const { ana, dan, ben } = ws.people;
  const rows: LeadRow[] = [
    { ownerId: ana, country: 'DE', company: 'Acme GmbH' },
    { ownerId: ana, country: 'US', company: 'Acme Inc' },
    { ownerId: ana, country: 'AT', company: 'Globex' },
    { ownerId: dan, country: 'FR', company: 'Initech' },
    { ownerId: dan, country: 'DE', company: 'Umbrella' },
    { ownerId: ben, country: 'DE', company: 'Ben Co' },
    { ownerId: ana, country: 'DE', company: 'Converted Co', converted: true },
  ];
  return rows.map((row, i) => ({ ...row, id: ids.lead(i + 1) }));
}

async function fiveLeadWorkspace(): Promise<Workspace> {
  const ws = await Workspace.create();
  await ws.standard(fiveLeads(ws));
  return ws;
}

describe.concurrent('plan on the demo job', () => {
  it('writes plan.csv, unassigned.csv and run.json; --json prints one document, progress goes to stderr', async () => {
    const dir = await makeTempDir();
    await cp(DEMO, join(dir, 'demo'), { recursive: true });
    const result = await leadshift(dir, ['plan', '--job', 'demo/job.yml', '--home', 'home', '--json']);
    expect(result.code, show(result)).toBe(0);
    const doc = parseJson(result.stdout);
    expect(doc.status).toBe('planned');
    expect(doc.object).toBe('Lead');
    expect(doc.counts.changes).toBeGreaterThan(0);
    // --json turns progress off; without it, progress goes to stderr and never to stdout.
    expect(result.stderr).toBe('');

    expect((await readdir(doc.runDir)).sort()).toEqual([
      'plan.csv',
      'plan.html',
      'run.json',
      'turns.json',
      'unassigned.csv',
    ]);
    expect(doc.runDir.startsWith(join(dir, 'home', 'runs'))).toBe(true);
    const plan = await planRows(doc.runDir);
    expect(plan.header).toEqual([...PLAN_HEADER, 'Reassignment_Reason__c']);
    expect(plan.rows).toHaveLength(doc.counts.changes ?? 0);
    for (const row of plan.rows) {
      expect(row.Id).toMatch(/^00Q[a-zA-Z0-9]{15}$/);
      expect(row.Reassignment_Reason__c).toBe(row.Rule);
      expect(row.NewOwnerId).not.toBe(row.OldOwnerId);
    }
    const unassigned = await planRows(doc.runDir, 'unassigned.csv');
    expect(unassigned.header).toEqual(['Id', 'OwnerId', 'Reason']);

    const record = await readJsonFile<Record<string, unknown>>(join(doc.runDir, 'run.json'));
    expect(record).toMatchObject({
      runId: doc.runId,
      status: 'planned',
      object: 'Lead',
      source: 'csv:demo/leads.csv',
      tool: { name: 'leadshift', version },
      counts: { selected: doc.counts.selected, changes: doc.counts.changes, unassigned: 0 },
      job: { object: 'Lead', select: { inactiveOwners: true } },
    });
    expect(Date.parse(record.startedAt as string)).not.toBeNaN();
    expect(JSON.stringify(record)).not.toMatch(/password|token|secret/i);
  });

  it('the human diff goes to stdout and names every group and the run directory', async () => {
    const dir = await makeTempDir();
    await cp(DEMO, join(dir, 'demo'), { recursive: true });
    const result = await leadshift(dir, ['plan', '--job', 'demo/job.yml', '--home', 'home']);
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toMatch(/737 selected, 737 to change/);
    expect(result.stdout).toMatch(/dan@acme\.com\s+→\s+ben@acme\.com\s+134\s+departed reps/);
    expect(result.stdout).toContain('Receiving owners');
    expect(result.stdout).toContain('leadshift apply ');
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stderr).toMatch(/^Planning: 737 records/m);
    expect(result.stdout).not.toMatch(/Planning:/);
  });
});

describe.concurrent('run, apply, undo, runs', () => {
  it('run --dry-run writes the plan and no results', async () => {
    const ws = await fiveLeadWorkspace();
    const result = await ws.run([
      'run',
      ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com']),
      '--dry-run',
      '--json',
    ]);
    expect(result.code, show(result)).toBe(0);
    const doc = parseJson(result.stdout);
    expect(doc.status).toBe('planned');
    expect(doc.counts).toMatchObject({ selected: 5, changes: 5 });
    const files = await readdir(doc.runDir);
    expect(files).toContain('plan.csv');
    for (const file of ['results.csv', 'update.csv', 'undo.csv', 'digest.csv'])
      expect(files).not.toContain(file);
  });

  it('run --yes applies: results, update, undo, digest; apply again is a no-op; undo restores; runs lists newest first', async () => {
    const ws = await fiveLeadWorkspace();
    const { ana, dan, ben } = ws.people;
    const run = await ws.run([
      'run',
      ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com']),
      '--yes',
      '--json',
    ]);
    expect(run.code, show(run)).toBe(0);
    const applied = parseJson(run.stdout);
    expect(applied.status).toBe('applied');
    expect(applied.counts).toMatchObject({ changes: 5, updated: 5, failed: 0, skipped: 0 });
    const dir = applied.runDir;
    expect((await readdir(dir)).sort()).toEqual(
      [
        'digest.csv',
        'plan.csv',
        'plan.html',
        'results.csv',
        'run.json',
        'turns.json',
        'unassigned.csv',
        'undo.csv',
        'update.csv',
      ].sort(),
    );
    const results = await planRows(dir, 'results.csv');
    expect(results.header).toEqual(RESULTS_HEADER);
    expect(results.rows.map((r) => r.Status)).toEqual(Array(5).fill('updated'));
    const update = await planRows(dir, 'update.csv');
    expect(update.header).toEqual(['Id', 'OwnerId']);
    expect(update.rows.map((r) => r.OwnerId)).toEqual(Array(5).fill(ben));
    const undoPlan = await planRows(dir, 'undo.csv');
    expect(undoPlan.header).toEqual(PLAN_HEADER);
    expect(new Set(undoPlan.rows.map((r) => r.NewOwnerId))).toEqual(new Set([ana, dan]));
    const digest = await planRows(dir, 'digest.csv');
    expect(digest.rows).toEqual([
      expect.objectContaining({ NewOwnerId: ben, NewOwner: 'ben@acme.com', Object: 'Lead', Records: '5' }),
    ]);
    expect(await readJsonFile(join(dir, 'run.json'))).toMatchObject({
      status: 'applied',
      endedAt: expect.any(String),
    });

    // apply on an applied plan: nothing new written, exit 0.
    const updateBefore = await readFile(join(dir, 'update.csv'), 'utf8');
    const again = await ws.run(['apply', dir, '--home', 'home', '--json']);
    expect(again.code, show(again)).toBe(0);
    expect(parseJson(again.stdout).counts).toMatchObject({ updated: 5 });
    expect(await readFile(join(dir, 'update.csv'), 'utf8')).toBe(updateBefore);
    expect((await planRows(dir, 'results.csv')).rows).toHaveLength(5);

    // undo: the old owners (ana, dan) are inactive in the run's User export, so nothing is sent: every
    // record is skipped with that reason, and no upload file is written.
    const undo = await ws.run(['undo', dir, '--yes', '--home', 'home', '--json']);
    expect(undo.code, show(undo)).toBe(0);
    const undone = parseJson(undo.stdout);
    expect(undone.runDir).not.toBe(dir);
    expect(undone.status).toBe('applied');
    expect(undone.counts).toMatchObject({ changes: 0, updated: 0, skipped: 5 });
    expect(JSON.stringify(undone.unassigned)).toMatch(/ana@acme\.com is an inactive user.*undo --to/);
    expect(existsSync(join(undone.runDir, 'update.csv'))).toBe(false);
    const skipped = await planRows(undone.runDir, 'results.csv');
    expect(skipped.rows.map((r) => r.Status)).toEqual(Array(5).fill('skipped'));
    expect(await readJsonFile(join(undone.runDir, 'run.json'))).toMatchObject({ kind: 'undo' });

    // undo --to: those records go to carla instead; an inactive --to is bad input.
    const inactiveTo = await ws.run(['undo', dir, '--yes', '--home', 'home', '--to', 'frank@acme.com']);
    expect(inactiveTo.code, show(inactiveTo)).toBe(2);
    expect(inactiveTo.stderr).toMatch(/--to.*frank@acme\.com.*inactive/);
    const to = await ws.run(['undo', dir, '--yes', '--home', 'home', '--to', 'carla@acme.com', '--json']);
    expect(to.code, show(to)).toBe(0);
    const redirected = parseJson(to.stdout);
    const restore = await planRows(redirected.runDir, 'update.csv');
    const planned = await planRows(dir);
    expect(Object.fromEntries(restore.rows.map((r) => [r.Id, r.OwnerId]))).toEqual(
      Object.fromEntries(planned.rows.map((r) => [r.Id, ws.people.carla])),
    );

    // undo a third time: everything was put back already; nothing is written.
    const third = await ws.run(['undo', dir, '--yes', '--home', 'home', '--to', 'carla@acme.com', '--json']);
    expect(third.code, show(third)).toBe(0);
    const nothing = parseJson(third.stdout);
    expect(nothing.counts).toMatchObject({ changes: 0, updated: 0, skipped: 5 });
    expect(existsSync(join(nothing.runDir, 'update.csv'))).toBe(false);
    expect(JSON.stringify(nothing.unassigned)).toContain(`already put back by undo ${redirected.runId}`);

    const runs = await ws.run(['--json', 'runs', '--home', 'home']);
    expect(runs.code, show(runs)).toBe(0);
    // --json: one document on stdout (each parsed whole above); stderr carries no progress, only warnings.
    for (const output of [run, again, undo, to, third, runs]) {
      const lines = output.stderr.split('\n').filter(Boolean);
      for (const line of lines) expect(line, show(output)).toMatch(/^warning: /);
    }
    const list = parseJson<{ runs: Array<{ runId: string; runDir: string; kind: string; status: string }> }>(
      runs.stdout,
    ).runs;
    expect(list.map((r) => r.runDir)).toEqual([nothing.runDir, redirected.runDir, undone.runDir, dir]);
    expect(list.map((r) => r.kind)).toEqual(['undo', 'undo', 'undo', 'plan']);
    const human = await ws.run(['runs', '--home', 'home']);
    expect(human.stdout).toContain(dir);
    // Eleven runs of the binary: more than the default allowance on a loaded machine.
  }, 120_000);

  it('apply --from a newer export skips records whose owner changed, and keeps them out of update.csv', async () => {
    const ws = await fiveLeadWorkspace();
    const plan = await ws.run([
      'plan',
      ...csvArgs(['--inactive-owners', '--to', 'carla@acme.com']),
      '--out',
      'review',
      '--json',
    ]);
    expect(plan.code, show(plan)).toBe(0);
    expect(parseJson(plan.stdout).runDir).toBe(ws.path('review'));
    const rows = fiveLeads(ws);
    rows[0] = { ...rows[0]!, ownerId: ws.people.eve }; // someone took lead 1
    rows[3] = { ...rows[3]!, ownerId: ws.people.carla }; // someone else already gave lead 4 to the planned owner
    rows.splice(2, 1); // lead 3 was deleted
    await ws.leads(rows, 'leads-today.csv');

    const apply = await ws.run([
      'apply',
      'review',
      '--from',
      'csv:leads-today.csv',
      '--home',
      'home',
      '--json',
    ]);
    expect(apply.code, show(apply)).toBe(0);
    expect(parseJson(apply.stdout).counts).toMatchObject({ updated: 2, skipped: 3 });
    const results = Object.fromEntries(
      (await planRows(ws.path('review'), 'results.csv')).rows.map((r) => [r.Id, r]),
    );
    expect(results[ids.lead(1)]).toMatchObject({
      Status: 'skipped',
      Error: expect.stringContaining(ws.people.eve),
    });
    expect(results[ids.lead(3)]).toMatchObject({
      Status: 'skipped',
      Error: expect.stringMatching(/not in the current export/),
    });
    // Not this run's doing: skipped, so that undo does not revert that person's change.
    expect(results[ids.lead(4)]).toMatchObject({
      Status: 'skipped',
      Error: expect.stringMatching(/already/),
    });
    const updated = (await planRows(ws.path('review'), 'update.csv')).rows.map((r) => r.Id);
    expect(updated).not.toContain(ids.lead(1));
    expect(updated).not.toContain(ids.lead(3));
    expect(updated).toHaveLength(2);
    const undo = (await planRows(ws.path('review'), 'undo.csv')).rows.map((r) => r.Id);
    expect(undo).not.toContain(ids.lead(1));
    expect(undo).not.toContain(ids.lead(4));
  });
  it("apply --from an export in the plan's order or in another gives the same verdicts", async () => {
    const ws = await fiveLeadWorkspace();
    const plan = await ws.run([
      'plan',
      ...csvArgs(['--inactive-owners', '--to', 'carla@acme.com']),
      '--out',
      'p',
    ]);
    expect(plan.code, show(plan)).toBe(0);
    const rows = fiveLeads(ws).map((row, i) => ({ ...row, id: ids.lead(i + 1) }));
    rows[1] = { ...rows[1]!, ownerId: ws.people.eve }; // someone took lead 2
    // Read side by side with the plan, and, reversed, through the table of planned Ids.
    for (const [name, order] of [
      ['same-order.csv', rows],
      ['reversed.csv', [...rows].reverse()],
    ] as const) {
      await ws.leads(order, name);
      const dir = `run-${name}`;
      await cp(ws.path('p'), ws.path(dir), { recursive: true });
      const apply = await ws.run(['apply', dir, '--from', `csv:${name}`, '--home', 'home', '--json']);
      expect(apply.code, show(apply)).toBe(0);
      expect(parseJson(apply.stdout).counts, name).toMatchObject({ updated: 4, skipped: 1 });
      const results = (await planRows(ws.path(dir), 'results.csv')).rows;
      expect(
        results.find((r) => r.Id === ids.lead(2)),
        name,
      ).toMatchObject({
        Status: 'skipped',
        Error: expect.stringContaining(ws.people.eve),
      });
    }
  });

  it('runs started in the same second are listed by start time, newest first', async () => {
    const ws = await fiveLeadWorkspace();
    const plan = await ws.run(['plan', ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com']), '--json']);
    expect(plan.code, show(plan)).toBe(0);
    const doc = parseJson(plan.stdout);
    const record = await readJsonFile<{ runId: string; startedAt: string }>(join(doc.runDir, 'run.json'));
    const second = doc.runId.split('-')[0];
    // Two more runs of that second, whose random suffixes sort before and after the real one.
    for (const [suffix, later] of [
      ['000000', 300],
      ['ffffff', 100],
    ] as const) {
      const runId = `${second}-${suffix}`;
      const runDir = ws.path(`home/runs/${runId}`);
      await cp(doc.runDir, runDir, { recursive: true });
      const startedAt = new Date(Date.parse(record.startedAt) + later).toISOString();
      await ws.write(`home/runs/${runId}/run.json`, JSON.stringify({ ...record, runId, startedAt }));
    }
    const [all, one] = await Promise.all([
      ws.run(['runs', '--home', 'home', '--json']),
      ws.run(['runs', '--home', 'home', '--json', '--limit', '1']),
    ]);
    const idsOf = (stdout: string) =>
      parseJson<{ runs: Array<{ runId: string }> }>(stdout).runs.map((r) => r.runId);
    expect(idsOf(all.stdout)).toEqual([`${second}-000000`, `${second}-ffffff`, doc.runId]);
    expect(idsOf(one.stdout)).toEqual([`${second}-000000`]);
  });
});

describe.concurrent('refusals exit 4', () => {
  it('run without a terminal and without --yes: refused, the plan is kept as declined', async () => {
    const ws = await fiveLeadWorkspace();
    const result = await ws.run(['run', ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com'])]);
    expect(result.code, show(result)).toBe(4);
    expect(result.stderr).toMatch(/no terminal.*--yes/);
    const [dir] = await ws.runDirs();
    expect(dir).toBeDefined();
    expect(result.stderr).toContain(`leadshift apply ${dir}`);
    const files = await readdir(dir as string);
    expect(files).not.toContain('update.csv');
    expect(files).not.toContain('results.csv');
    expect(await readJsonFile(join(dir as string, 'run.json'))).toMatchObject({ status: 'declined' });
  });

  it('limits.maxChanges exceeded: refused, saying by how much', async () => {
    const ws = await fiveLeadWorkspace();
    await ws.write(
      'job.yml',
      `from: csv:leads.csv\nusers: users.csv\nselect:\n  inactiveOwners: true\nrules:\n  - assign: { user: ben@acme.com }\nlimits:\n  maxChanges: 2\n`,
    );
    const result = await ws.run(['run', '--job', 'job.yml', '--home', 'home', '--yes']);
    expect(result.code, show(result)).toBe(4);
    expect(result.stderr).toMatch(/5 changes, 3 more than limits\.maxChanges \(2\)/);
    const [dir] = await ws.runDirs();
    expect(await readdir(dir as string)).not.toContain('update.csv');
    const apply = await ws.run(['apply', dir as string, '--home', 'home']);
    expect(apply.code, show(apply)).toBe(4);
    expect(apply.stderr).toContain('3 more than limits.maxChanges');
  });

  it('a declined plan can be applied later, exactly as planned', async () => {
    const ws = await fiveLeadWorkspace();
    const refused = await ws.run([
      'run',
      ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com']),
      '--json',
    ]);
    expect(refused.code, show(refused)).toBe(4);
    expect(failureOf(refused.stdout)).toMatchObject({ status: 4, exitCode: 4 });
    const [dir] = await ws.runDirs();
    const apply = await ws.run(['apply', dir as string, '--home', 'home', '--json']);
    expect(apply.code, show(apply)).toBe(0);
    expect(parseJson(apply.stdout)).toMatchObject({ status: 'applied', counts: { updated: 5 } });
  });

  it('another process holds the lock: refused at once, naming the holder; a dead holder is recovered', async () => {
    const ws = await fiveLeadWorkspace();
    const home = ws.path('home');
    const lockModule = join(ROOT, 'dist/journal/lock.js');
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { acquireRunLock } = await import(${JSON.stringify(lockModule)});
         await acquireRunLock(${JSON.stringify(home)}, 'e2e-holder');
         process.stdout.write('locked\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
      });
      const started = Date.now();
      const result = await ws.run([
        'run',
        ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com']),
        '--yes',
      ]);
      expect(result.code, show(result)).toBe(4);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.stderr).toMatch(/another run holds the lock/);
      expect(result.stderr).toContain(`pid ${holder.pid}`);
      expect(result.stderr).toContain('e2e-holder');
      expect(await ws.runDirs()).toEqual([]);
      const runs = await ws.run(['runs', '--home', 'home', '--json']);
      expect(runs.code, 'runs only reads: it needs no lock').toBe(0);
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
    }
    const after = await ws.run(['run', ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com']), '--yes']);
    expect(after.code, show(after)).toBe(0);
  });
});

describe.concurrent('input formats', () => {
  it('15-character Ids in the exports are written as 18', async () => {
    const ws = await Workspace.create();
    const { ana, ben } = ws.people;
    const short = (id: string) => id.slice(0, 15);
    const users = ws
      .userRows()
      .map((u) => ({ ...u, id: short(u.id), managerId: u.managerId && short(u.managerId) }));
    await ws.users(users);
    await ws.queueFile();
    await ws.leads([
      { id: short(ids.lead(1)), ownerId: short(ana) },
      { id: short(ids.lead(2)), ownerId: ana },
    ]);
    await ws.mapping([[short(ana), short(ben)]]);
    const result = await ws.run([
      'run',
      ...csvArgs(['--owner', short(ana), '--map', 'map.csv']),
      '--yes',
      '--json',
    ]);
    expect(result.code, show(result)).toBe(0);
    const dir = parseJson(result.stdout).runDir;
    const plan = await planRows(dir);
    expect(plan.rows.map((r) => [r.Id, r.OldOwnerId, r.NewOwnerId])).toEqual([
      [ids.lead(1), ana, ben],
      [ids.lead(2), ana, ben],
    ]);
    const update = await planRows(dir, 'update.csv');
    expect(update.rows.map((r) => r.Id)).toEqual([ids.lead(1), ids.lead(2)]);
    for (const row of [...plan.rows, ...update.rows])
      for (const value of Object.values(row)) {
        if (/^00[5QG]/.test(value)) expect(value).toHaveLength(18);
      }
    expect(toId18(short(ana))).toBe(ana);
  });

  it('a UTF-8 BOM, CRLF line ends, quoted commas and newlines, and any header case are read', async () => {
    const ws = await Workspace.create();
    const { ana, ben } = ws.people;
    await Promise.all([ws.users(), ws.queueFile()]);
    const header = ['ID', 'ownerid', 'Company', 'COUNTRY', 'isconverted'];
    const body = csvText(
      header,
      [
        [ids.lead(1), ana, 'Acme, Inc.', 'DE', 'false'],
        [ids.lead(2), ana, 'Two\r\nLines "Quoted" Ltd', 'DE', 'false'],
        [ids.lead(3), ana, 'Plain', 'US', 'false'],
        [ids.lead(4), ben, 'Other', 'DE', 'false'],
      ],
      '\r\n',
    );
    await ws.write('leads.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    const users = await readFile(ws.path('users.csv'), 'utf8');
    await ws.write('users.csv', `\uFEFF${users.replace(/\n/g, '\r\n').replace('IsActive', 'isactive')}`);
    const result = await ws.run([
      'plan',
      ...csvArgs(['--inactive-owners', '--to', 'carla@acme.com', '--where', "Country = 'DE'", '--verbose']),
    ]);
    expect(result.code, show(result)).toBe(0);
    const [dir] = await ws.runDirs();
    const plan = await planRows(dir as string);
    expect(plan.rows.map((r) => r.Id)).toEqual([ids.lead(1), ids.lead(2)]);
  });

  it('a bad row after a quoted multi-line cell is reported with its real line number', async () => {
    const ws = await Workspace.create();
    await Promise.all([ws.users(), ws.queueFile()]);
    await ws.write(
      'leads.csv',
      `Id,OwnerId,Company,IsConverted\n${ids.lead(1)},${ws.people.ana},"two\nlines",false\nBROKEN,${ws.people.ana},x,false\n`,
    );
    const result = await ws.run(['plan', ...csvArgs(['--inactive-owners', '--to', 'ben@acme.com'])]);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain('leads.csv, line 4');
    expect(result.stderr).toContain('BROKEN');
  });

  it('cells of the files people open never start with = + - @; the upload file carries values exactly', async () => {
    const ws = await Workspace.create();
    const rows = ws.userRows();
    rows.push({ id: ids.user(7), username: '=evil@acme.com', isActive: true, name: '=cmd|calc' });
    await Promise.all([ws.users(rows), ws.queueFile()]);
    await ws.leads([
      { ownerId: ws.people.ana, company: '=HYPERLINK("http://x")' },
      { ownerId: ws.people.dan },
    ]);
    await ws.write(
      'job.yml',
      [
        'from: csv:leads.csv',
        'users: users.csv',
        'select: { inactiveOwners: true }',
        'rules:',
        `  - name: "=HYPERLINK(\\"http://evil\\")"`,
        `    when: "Country = 'US'"`,
        `    assign: { user: "=evil@acme.com" }`,
        'write:',
        `  stamp: { Reason__c: "{rule}", Note__c: "+{oldOwner}", At__c: "@{date}", Minus__c: "-1" }`,
        '',
      ].join('\n'),
    );
    const result = await ws.run(['run', '--job', 'job.yml', '--home', 'home', '--yes', '--json']);
    expect(result.code, show(result)).toBe(0);
    const dir = parseJson(result.stdout).runDir;
    const files = (await readdir(dir)).filter((f) => f.endsWith('.csv'));
    expect(files).toEqual(expect.arrayContaining(['plan.csv', 'update.csv', 'digest.csv', 'undo.csv']));
    let cells = 0;
    for (const file of files.filter((name) => name !== 'update.csv')) {
      for (const row of parseCsv(await readFile(join(dir, file), 'utf8'))) {
        for (const value of row) {
          cells++;
          expect(value, `${file}: ${value}`).not.toMatch(/^[=+\-@]/);
        }
      }
    }
    expect(cells).toBeGreaterThan(20);
    const plan = await planRows(dir);
    expect(plan.header).toEqual([...PLAN_HEADER, 'Reason__c', 'Note__c', 'At__c', 'Minus__c']);
    expect(plan.rows[0]?.Rule).toContain('HYPERLINK');
    // Salesforce would store a formula escape as part of the value: the upload file has none.
    const update = await planRows(dir, 'update.csv');
    expect(update.rows[0]).toMatchObject({ Minus__c: '-1', At__c: expect.stringMatching(/^@\d/) });
    expect(update.rows[0]?.Reason__c).toMatch(/^=HYPERLINK/);
  });
});

describe.concurrent('selection and rules', () => {
  it('converted leads are never selected, even with --explain', async () => {
    const ws = await fiveLeadWorkspace();
    const converted = ids.lead(7);
    const result = await ws.run([
      'plan',
      ...csvArgs(['--owner', 'ana@acme.com', '--to', 'ben@acme.com', '--explain', converted]),
      '--json',
    ]);
    expect(result.code, show(result)).toBe(0);
    const doc = parseJson(result.stdout);
    expect(doc.counts).toMatchObject({ selected: 3, changes: 3 });
    expect(doc.explanation).toMatchObject({ id: converted, found: false });
    const plan = await planRows(doc.runDir);
    expect(plan.rows.map((r) => r.Id)).not.toContain(converted);
  });

  it('--explain shows each rule tried for one record', async () => {
    const ws = await fiveLeadWorkspace();
    await ws.mapping([['ana@acme.com', 'carla@acme.com']]);
    const args = csvArgs(['--inactive-owners', '--map', 'map.csv', '--to-manager']);
    const [dan, ana, json] = await Promise.all([
      ws.run(['plan', ...args, '--home', 'h1', '--explain', ids.lead(4)]),
      ws.run(['plan', ...args, '--home', 'h2', '--explain', ids.lead(1)]),
      ws.run(['plan', ...args, '--home', 'h3', '--explain', ids.lead(4), '--json']),
    ]);
    expect(dan.code, show(dan)).toBe(0);
    expect(dan.stdout).toContain(
      `Record ${ids.lead(4)}, owned by dan@acme.com\n  1. map map.csv: passed (owner not in the mapping)\n  2. manager: assigned (ben@acme.com)\n`,
    );
    expect(ana.stdout).toContain(
      `Record ${ids.lead(1)}, owned by ana@acme.com\n  1. map map.csv: assigned (carla@acme.com)\n`,
    );
    expect(parseJson(json.stdout).explanation).toMatchObject({
      id: ids.lead(4),
      found: true,
      owner: 'dan@acme.com',
      trace: [{ rule: 'map map.csv' }, { rule: 'manager' }],
    });
    const missing = await ws.run(['plan', ...args, '--explain', ids.lead(9)]);
    expect(missing.stdout).toContain(`Record ${ids.lead(9)} was not selected`);
  });

  it('--verbose lists every record of the plan and every unassigned one', async () => {
    const ws = await fiveLeadWorkspace();
    await ws.mapping([['dan@acme.com', 'carla@acme.com']]);
    const result = await ws.run(['plan', ...csvArgs(['--inactive-owners', '--map', 'map.csv', '--verbose'])]);
    expect(result.code, show(result)).toBe(0);
    for (const n of [4, 5])
      expect(result.stdout).toMatch(new RegExp(`${ids.lead(n)}\\s+dan@acme\\.com → carla@acme\\.com`));
    expect(result.stdout).toContain('Every unassigned record');
    for (const n of [1, 2, 3]) expect(result.stdout).toContain(ids.lead(n));
    expect(result.stdout).not.toContain(ids.lead(6));
  });

  it('--where and --exclude: LAST_N_DAYS, IN, LIKE', async () => {
    const ws = await Workspace.create();
    const { ana } = ws.people;
    await ws.standard([
      { ownerId: ana, modified: daysAgo(2), country: 'DE', company: 'Acme One' },
      { ownerId: ana, modified: daysAgo(45), country: 'AT', company: 'Acme Two' },
      { ownerId: ana, modified: daysAgo(90), country: 'US', company: 'Globex' },
      { ownerId: ana, modified: daysAgo(60), country: 'CH', company: 'acme three', excluded: true },
      { ownerId: ana, modified: daysAgo(1), country: 'FR', company: 'Initech' },
    ]);
    const select = async (...conditions: string[]) => {
      const result = await ws.run([
        'plan',
        '--from',
        'csv:leads.csv',
        '--users',
        'users.csv',
        '--home',
        `home-${conditions.join(' ').replace(/\W+/g, '-')}`,
        '--owner',
        'ana@acme.com',
        '--to',
        'ben@acme.com',
        ...conditions,
        '--json',
      ]);
      expect(result.code, show(result)).toBe(0);
      const plan = await planRows(parseJson(result.stdout).runDir);
      return plan.rows.map((r) => Number(LEAD_NUMBERS.get(r.Id ?? '')));
    };
    const LEAD_NUMBERS = new Map([1, 2, 3, 4, 5].map((n) => [ids.lead(n), n]));
    const cases: Array<[string[], number[]]> = [
      [
        ['--where', 'LastModifiedDate < LAST_N_DAYS:30'],
        [2, 3, 4],
      ],
      [
        ['--where', 'LastModifiedDate = LAST_N_DAYS:7'],
        [1, 5],
      ],
      [
        ['--where', "Country IN ('DE','AT','CH')"],
        [1, 2, 4],
      ],
      [
        ['--where', "Country NOT IN ('DE','AT','CH')"],
        [3, 5],
      ],
      [
        ['--where', "Company LIKE 'acme%'"],
        [1, 2, 4],
      ],
      [
        ['--where', "Company LIKE 'Acme%'", '--exclude', 'Exclude_From_Reassignment__c = true'],
        [1, 2],
      ],
      [
        [
          '--where',
          "(Country IN ('DE','AT','CH') OR Company LIKE '%Globex%') AND LastModifiedDate < LAST_N_DAYS:30",
        ],
        [2, 3, 4],
      ],
      [['--exclude', 'NumberOfEmployees >= 10'], []],
    ];
    const got = await Promise.all(cases.map(([conditions]) => select(...conditions)));
    expect(got).toEqual(cases.map(([, want]) => want));
  });

  it('--owner by username, email, 18- or 15-character Id selects the same records', async () => {
    const ws = await fiveLeadWorkspace();
    const { dan } = ws.people;
    const references = ['dan@acme.com', 'DAN@acme.com', dan, dan.slice(0, 15)];
    const results = await Promise.all(
      // One run home each: runs in one home would wait for each other's lock (and be refused).
      references.map((owner, i) =>
        ws.run([
          'plan',
          ...csvArgs(['--owner', owner, '--to', 'ben@acme.com']),
          '--home',
          `home${i}`,
          '--json',
        ]),
      ),
    );
    for (const result of results) {
      expect(result.code, show(result)).toBe(0);
      const doc = parseJson(result.stdout);
      expect(doc.counts.changes).toBe(2);
      expect(doc.changes).toEqual([
        expect.objectContaining({ oldOwner: 'dan@acme.com', newOwner: 'ben@acme.com' }),
      ]);
    }
    const two = await ws.run([
      'plan',
      ...csvArgs(['--owner', 'dan@acme.com', '--owner', 'ben@acme.com', '--to', 'carla@acme.com']),
      '--json',
    ]);
    expect(parseJson(two.stdout).counts.changes).toBe(3);
  });

  it('--to queue:NAME gives the records to the queue', async () => {
    const ws = await fiveLeadWorkspace();
    const result = await ws.run([
      'run',
      ...csvArgs(['--inactive-owners', '--to', 'queue:Hopper']),
      '--yes',
      '--json',
    ]);
    expect(result.code, show(result)).toBe(0);
    const dir = parseJson(result.stdout).runDir;
    const plan = await planRows(dir);
    expect(new Set(plan.rows.map((r) => `${r.NewOwnerId} ${r.NewOwner}`))).toEqual(
      new Set([`${ws.queues.hopper} queue:Hopper`]),
    );
    expect((await planRows(dir, 'update.csv')).rows.every((r) => r.OwnerId === ws.queues.hopper)).toBe(true);
  });

  it('mapping chains are followed, rows without a rule are unassigned with the reason', async () => {
    const ws = await fiveLeadWorkspace();
    // ana → dan (left too) → carla; frank → eve (no leads).
    await ws.mapping([
      ['ana@acme.com', 'dan@acme.com'],
      ['dan@acme.com', 'carla@acme.com'],
      ['frank@acme.com', 'eve@acme.com'],
    ]);
    const result = await ws.run(['plan', ...csvArgs(['--inactive-owners', '--map', 'map.csv']), '--json']);
    expect(result.code, show(result)).toBe(0);
    const doc = parseJson(result.stdout);
    const plan = await planRows(doc.runDir);
    expect(plan.rows).toHaveLength(5);
    expect(new Set(plan.rows.map((r) => r.NewOwner))).toEqual(new Set(['carla@acme.com']));

    // The Data Loader style header, with 15-character Ids, means the same.
    await ws.csv(
      'partial.csv',
      ['OldOwnerId', 'NewOwnerId'],
      [[ws.people.dan.slice(0, 15), ws.people.carla]],
    );
    const partial = await ws.run([
      'plan',
      ...csvArgs(['--inactive-owners', '--map', 'partial.csv']),
      '--json',
    ]);
    const partialDoc = parseJson(partial.stdout);
    expect(partialDoc.counts).toMatchObject({ selected: 5, changes: 2, unassigned: 3 });
    const unassigned = await planRows(partialDoc.runDir, 'unassigned.csv');
    expect(unassigned.rows.map((r) => r.Id)).toEqual([ids.lead(1), ids.lead(2), ids.lead(3)]);
    for (const row of unassigned.rows) {
      expect(row.OwnerId).toBe(ws.people.ana);
      expect(row.Reason).not.toBe('');
    }
  });

  it('--to-manager gives records to the active manager, and leaves the others unassigned', async () => {
    const ws = await fiveLeadWorkspace();
    const result = await ws.run(['plan', ...csvArgs(['--inactive-owners', '--to-manager']), '--json']);
    expect(result.code, show(result)).toBe(0);
    const doc = parseJson(result.stdout);
    // dan's manager is ben; ana has none.
    expect(doc.counts).toMatchObject({ changes: 2, unassigned: 3 });
    expect(doc.changes).toEqual([
      expect.objectContaining({ oldOwner: 'dan@acme.com', newOwner: 'ben@acme.com' }),
    ]);
  });
});
