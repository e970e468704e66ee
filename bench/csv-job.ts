/**
 * Scenario 1: the CSV job a user runs, at several export sizes: plan, apply, run --yes and undo, beside
 * DuckDB doing the same join and write over the same files, and Miller joining the mapping.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoUser, makeUsers, writeLeads } from './data.js';
import { type Measurement, measure, medianOf } from './measure.js';

const ROOT = join(import.meta.dirname, '..');
/** LEADSHIFT_BENCH_BIN measures another build (an older checkout's bin/leadshift.js) on the same files. */
const BIN = process.env.LEADSHIFT_BENCH_BIN ?? join(ROOT, 'bin', 'leadshift.js');
const DUCKDB = join(import.meta.dirname, 'duckdb-join.mjs');
const node = process.execPath;

/** One step at one size: wall time (median of `runs`) and the peak RSS of that run. */
export interface Step {
  seconds: number;
  rssBytes?: number;
  runs: number;
}

export interface SizeResult {
  rows: number;
  changes: number;
  plan: Step;
  apply: Step;
  run: Step;
  undo: Step;
  duckdb?: Step;
  mlr?: Step;
}

interface Files {
  dir: string;
  leads: string;
  dach: string[];
  fallback: string;
}

/** Measures every step at `rows` leads, `runs` times each. */
export async function csvJobAt(rows: number, runs: number, out: string): Promise<SizeResult> {
  const files = await prepareFiles(rows, join(out, 'data'));
  const work = join(out, `work-${rows}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const home = join(work, 'home');
  const pristine = join(work, 'planned');
  let changes = 0;
  const plan = await step(runs, async () => {
    rmSync(home, { recursive: true, force: true });
    const result = await leadshift(['plan', '--job', 'job.yml', '--home', home, '--json'], files.dir);
    const report = (JSON.parse(result.stdout) as { result: { runDir: string; counts: { changes: number } } })
      .result;
    changes = report.counts.changes;
    rmSync(pristine, { recursive: true, force: true });
    cpSync(report.runDir, pristine, { recursive: true });
    return result;
  });
  const applied = join(home, 'runs', 'applied');
  const apply = await step(runs, async () => {
    rmSync(applied, { recursive: true, force: true });
    cpSync(pristine, applied, { recursive: true });
    return leadshift(['apply', applied, '--home', home, '--json'], files.dir);
  });
  const ran = join(work, 'ran');
  const run = await step(runs, async () => {
    rmSync(home, { recursive: true, force: true });
    const result = await leadshift(['run', '--job', 'job.yml', '--yes', '--home', home, '--json'], files.dir);
    rmSync(ran, { recursive: true, force: true });
    cpSync((JSON.parse(result.stdout) as { result: { runDir: string } }).result.runDir, ran, {
      recursive: true,
    });
    return result;
  });
  // Every repetition undoes a fresh copy of the applied run, as the first undo of a run would.
  const undone = join(home, 'runs', 'to-undo');
  const undo = await step(runs, async () => {
    rmSync(undone, { recursive: true, force: true });
    cpSync(ran, undone, { recursive: true });
    const result = await leadshift(['undo', undone, '--yes', '--home', home, '--json'], files.dir);
    // Each undo is a run directory of its own; only the next repetition's disk is wanted.
    rmSync((JSON.parse(result.stdout) as { result: { runDir: string } }).result.runDir, {
      recursive: true,
      force: true,
    });
    return result;
  });
  rmSync(work, { recursive: true, force: true });
  return { rows, changes, plan, apply, run, undo, ...(await references(files, runs, out)) };
}

async function references(
  files: Files,
  runs: number,
  out: string,
): Promise<Pick<SizeResult, 'duckdb' | 'mlr'>> {
  const written = join(out, 'reference-out.csv');
  const duckdb = duckdbInstalled()
    ? await step(runs, () =>
        checked(
          'DuckDB',
          measure(
            node,
            [DUCKDB, files.leads, 'users.csv', 'map-ids.csv', written, files.dach.join(','), files.fallback],
            { cwd: files.dir },
          ),
        ),
      )
    : undefined;
  const mlr =
    spawnSync('mlr', ['--version']).status === 0
      ? await step(runs, () =>
          checked(
            'Miller',
            measure(
              'sh',
              ['-c', `mlr --icsv --ocsv join -j OwnerId -f map-ids.csv "$0" > "$1"`, files.leads, written],
              {
                cwd: files.dir,
              },
            ),
          ),
        )
      : undefined;
  rmSync(written, { force: true });
  return { duckdb, mlr };
}

function duckdbInstalled(): boolean {
  return existsSync(join(ROOT, 'node_modules', '@duckdb', 'node-api'));
}

async function step(runs: number, run: () => Promise<Measurement>): Promise<Step> {
  const median = await medianOf(runs, run);
  return { seconds: median.seconds, rssBytes: median.rssBytes, runs };
}

async function leadshift(args: string[], cwd: string): Promise<Measurement> {
  return checked(`leadshift ${args[0]}`, measure(node, [BIN, ...args], { cwd }));
}

async function checked(what: string, pending: Promise<Measurement>): Promise<Measurement> {
  const result = await pending;
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stderr}`);
  return result;
}

/** The export, users, mapping (by username for leadshift, by Id for the references) and the job. */
async function prepareFiles(rows: number, data: string): Promise<Files> {
  const dir = join(data, String(rows));
  mkdirSync(dir, { recursive: true });
  const users = makeUsers(400, 2);
  const inactive = users.filter((u) => !u.isActive);
  const active = users.filter((u) => u.isActive);
  // 200 mapping rows: 150 departed reps with a successor, 50 rows for people still active (the mapping
  // file grows over the years); 50 departed reps are left to the job's other rules.
  const mapped = [...inactive.slice(0, 150), ...active.slice(150, 200)];
  const successor = (i: number) => active[i % 100] as DemoUser;
  const dach = active.slice(100, 103);
  const fallback = active[103] as DemoUser;
  writeFileSync(
    join(dir, 'users.csv'),
    `Id,Username,Email,Name,IsActive,ManagerId\n${users.map((u) => [u.id, u.username, u.email, u.name, u.isActive, u.managerId].join(',')).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'map.csv'),
    `from,to\n${mapped.map((u, i) => `${u.username},${successor(i).username}`).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'map-ids.csv'),
    `OwnerId,NewOwnerId\n${mapped.map((u, i) => `${u.id},${successor(i).id}`).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'job.yml'),
    `object: Lead
from: csv:leads.csv
users: users.csv
select:
  inactiveOwners: true
  exclude: "Exclude_From_Reassignment__c = true"
rules:
  - assign: { map: map.csv }
  - name: DACH
    when: "Country IN ('DE','AT','CH')"
    assign: { roundRobin: [${dach.map((u) => u.username).join(', ')}], weights: [2, 1, 1] }
  - assign: { user: ${fallback.username} }
`,
  );
  const leads = join(dir, 'leads.csv');
  if (!existsSync(leads)) {
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} leads in ${leads}\n`);
    const partial = `${leads}.partial`;
    await writeLeads(
      partial,
      rows,
      users.map((u) => u.id),
      20261124,
      new Date('2026-11-24T06:00:00Z'),
    );
    renameSync(partial, leads);
  }
  return { dir, leads, dach: dach.map((u) => u.id), fallback: fallback.id };
}
