/**
 * npm run bench: what users pay, measured. Generates its data deterministically under bench/out/ (nothing
 * large is committed), prints a table, and writes the same figures to bench/out/results.json.
 *   LEADSHIFT_BENCH_ROWS (default 1,000,000) and LEADSHIFT_BENCH_SF_ROWS (default 100,000) shrink a run.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeUsers, writeLeads } from './data.js';
import { measure, medianOf, type Row } from './measure.js';
import { salesforceScenario } from './salesforce.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const DATA = join(OUT, 'data');
const BIN = join(ROOT, 'bin', 'leadshift.js');
const ROWS = Number(process.env.LEADSHIFT_BENCH_ROWS ?? 1_000_000);
const SF_ROWS = Number(process.env.LEADSHIFT_BENCH_SF_ROWS ?? 100_000);
const node = process.execPath;

const rows: Row[] = [];
const results: Record<string, unknown> = {
  rows: ROWS,
  sfRows: SF_ROWS,
  date: new Date().toISOString(),
  node: process.version,
};

async function csvScenario(): Promise<void> {
  const leads = await prepareCsvData();
  const home = join(OUT, 'home');
  const plan = await medianOf(3, async () => {
    spawnSync('rm', ['-rf', home]);
    return measure(node, [BIN, 'plan', '--job', join(DATA, 'job.yml'), '--home', home, '--json'], {
      cwd: DATA,
    });
  });
  if (plan.code !== 0) throw new Error(`leadshift plan failed:\n${plan.stderr}`);
  const changes = (JSON.parse(plan.stdout) as { counts: { changes: number } }).counts.changes;
  const pass = await medianOf(3, () =>
    measure(node, [join(ROOT, 'bench', 'csv-pass.mjs'), leads], { cwd: ROOT }),
  );
  const mlrPresent = spawnSync('mlr', ['--version']).status === 0;
  const mlr = mlrPresent
    ? await medianOf(3, () =>
        measure(
          'mlr',
          ['--icsv', '--ocsv', 'join', '-j', 'OwnerId', '-f', join(DATA, 'map-ids.csv'), leads],
          { cwd: DATA },
        ),
      )
    : undefined;
  const mb = (bytes?: number) => (bytes ? `${Math.round(bytes / 1048576)} MB` : 'n/a');
  results.csv = {
    planSeconds: plan.seconds,
    planRssBytes: plan.rssBytes,
    changes,
    passSeconds: pass.seconds,
    passRssBytes: pass.rssBytes,
    mlrSeconds: mlr?.seconds,
    mlrRssBytes: mlr?.rssBytes,
  };
  rows.push(
    {
      scenario: 'CSV plan',
      measure: `leadshift plan, ${ROWS.toLocaleString('en-US')} leads`,
      value: `${plan.seconds.toFixed(2)} s, ${Math.round(ROWS / plan.seconds).toLocaleString('en-US')} rows/s`,
    },
    {
      scenario: 'CSV plan',
      measure: 'leadshift plan peak RSS',
      value: mb(plan.rssBytes),
      target: '≤ 150 MB',
      met: (plan.rssBytes ?? Infinity) <= 150 * 1048576,
    },
    {
      scenario: 'CSV plan',
      measure: 'bare csv-parse → csv-stringify',
      value: `${pass.seconds.toFixed(2)} s, ${mb(pass.rssBytes)} (leadshift ${(plan.seconds / pass.seconds).toFixed(2)}×)`,
    },
  );
  if (mlr) {
    const ratio = plan.seconds / mlr.seconds;
    rows.push(
      {
        scenario: 'CSV plan',
        measure: 'mlr join (Miller)',
        value: `${mlr.seconds.toFixed(2)} s, ${mb(mlr.rssBytes)}`,
      },
      {
        scenario: 'CSV plan',
        measure: 'leadshift ÷ Miller',
        value: `${ratio.toFixed(2)}×`,
        target: '≤ 1.0×',
        met: ratio <= 1,
      },
    );
  } else {
    rows.push({
      scenario: 'CSV plan',
      measure: 'mlr join (Miller)',
      value: 'not installed (apt-get install miller)',
    });
  }
}

async function prepareCsvData(): Promise<string> {
  mkdirSync(DATA, { recursive: true });
  const leads = join(DATA, `leads-${ROWS}.csv`);
  const users = makeUsers(400, 2);
  const inactive = users.filter((u) => !u.isActive);
  const active = users.filter((u) => u.isActive);
  // 200 mapping rows: 150 departed reps with a successor, 50 rows for people still active (the mapping
  // file grows over the years); 50 departed reps are left to the job's other rules.
  const mapped = [...inactive.slice(0, 150), ...active.slice(150, 200)];
  const successor = (i: number) => active[i % 100] as (typeof active)[number];
  writeFileSync(
    join(DATA, 'users.csv'),
    `Id,Username,Email,Name,IsActive,ManagerId\n${users.map((u) => [u.id, u.username, u.email, u.name, u.isActive, u.managerId].join(',')).join('\n')}\n`,
  );
  writeFileSync(
    join(DATA, 'map.csv'),
    `from,to\n${mapped.map((u, i) => `${u.username},${successor(i).username}`).join('\n')}\n`,
  );
  writeFileSync(
    join(DATA, 'map-ids.csv'),
    `OwnerId,NewOwnerId\n${mapped.map((u, i) => `${u.id},${successor(i).id}`).join('\n')}\n`,
  );
  writeFileSync(
    join(DATA, 'job.yml'),
    `object: Lead
from: csv:leads-${ROWS}.csv
users: users.csv
select:
  inactiveOwners: true
  exclude: "Exclude_From_Reassignment__c = true"
rules:
  - assign: { map: map.csv }
  - name: DACH
    when: "Country IN ('DE','AT','CH')"
    assign: { roundRobin: [${active[100]?.username}, ${active[101]?.username}, ${active[102]?.username}], weights: [2, 1, 1] }
  - assign: { user: ${active[103]?.username} }
`,
  );
  if (!existsSync(leads)) {
    process.stderr.write(`generating ${ROWS.toLocaleString('en-US')} leads in ${leads}\n`);
    await writeLeads(
      leads,
      ROWS,
      users.map((u) => u.id),
      20261124,
      new Date('2026-11-24T06:00:00Z'),
    );
  }
  return leads;
}

async function startupScenario(): Promise<void> {
  const startup: Record<string, number> = {};
  results.startup = startup;
  for (const args of [['--help'], ['plan', '--help']]) {
    const run = await medianOf(11, () => measure(node, [BIN, ...args], { cwd: ROOT }));
    const ms = Math.round(run.seconds * 1000);
    startup[args.join(' ')] = ms;
    rows.push({
      scenario: 'Start-up',
      measure: `leadshift ${args.join(' ')}`,
      value: `${ms} ms`,
      target: '≤ 150 ms',
      met: ms <= 150,
    });
  }
}

function printTable(): void {
  const header = ['Scenario', 'Measure', 'Value', 'Target'];
  const body = rows.map((r) => [
    r.scenario,
    r.measure,
    r.value,
    r.target ? `${r.target} ${r.met ? 'met' : 'NOT met'}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('Build first: npm run build');
mkdirSync(OUT, { recursive: true });
await startupScenario();
await csvScenario();
const sf = await salesforceScenario(SF_ROWS, BIN);
rows.push(...sf.rows);
results.salesforce = sf.results;
results.table = rows;
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
printTable();
console.log(`\nFigures written to ${join(OUT, 'results.json')}`);
