/**
 * npm run bench: what users pay, measured. Generates its data deterministically under bench/out/ (nothing
 * large is committed), prints a table, and writes the same figures to bench/out/results.json.
 *   LEADSHIFT_BENCH_SIZES (default 100000,1000000,3000000): export sizes for the CSV job; each step runs
 *   LEADSHIFT_BENCH_REPS times (default 3; sizes above 1M run once; 0 skips the CSV job).
 *   LEADSHIFT_BENCH_SF_RUNS (default rest:2000,rest:20000,bulk:100000,bulk:1000000; empty skips) lists
 *   the Salesforce runs on the test org, by write API and leads. LEADSHIFT_BENCH_SF_ROWS (default
 *   100,000; 0 skips) sizes the naive jsforce comparison. LEADSHIFT_BENCH_TERRITORY_ROWS (default
 *   1,000,000; 0 skips) sizes the territory-table plan. LEADSHIFT_BENCH_OFFBOARD (default 100,000; 0
 *   skips) sizes an offboarding across seven objects. LEADSHIFT_BENCH_BIN measures another build.
 */

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvJobAt, type SizeResult, type Step } from './csv-job.js';
import { measure, medianOf, type Row } from './measure.js';
import { naiveScenario, offboardScenario, parseSalesforceRuns, salesforceScenario } from './salesforce.js';
import { territoryScenario } from './territory.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'bin', 'leadshift.js');
const SIZES = (process.env.LEADSHIFT_BENCH_SIZES ?? '100000,1000000,3000000').split(',').map(Number);
const REPS = Number(process.env.LEADSHIFT_BENCH_REPS ?? 3);
const SF_ROWS = Number(process.env.LEADSHIFT_BENCH_SF_ROWS ?? 100_000);
const SF_RUNS = parseSalesforceRuns(
  process.env.LEADSHIFT_BENCH_SF_RUNS ?? 'rest:2000,rest:20000,bulk:100000,bulk:1000000',
);
const TERRITORY_ROWS = Number(process.env.LEADSHIFT_BENCH_TERRITORY_ROWS ?? 1_000_000);
const OFFBOARD_ROWS = Number(process.env.LEADSHIFT_BENCH_OFFBOARD ?? 100_000);
const node = process.execPath;

const rows: Row[] = [];
const results: Record<string, unknown> = {
  sizes: SIZES,
  sfRows: SF_ROWS,
  date: new Date().toISOString(),
  node: process.version,
};

/** The CSV job at every size: one row per step, and the goals as ratios within the same run. */
async function csvScenario(): Promise<void> {
  const sizes: SizeResult[] = [];
  results.csv = sizes;
  if (REPS <= 0) return;
  for (const size of SIZES.filter((n) => n > 0)) {
    const runs = size > 1_000_000 ? Math.min(REPS, 1) : REPS;
    process.stderr.write(`CSV job at ${size.toLocaleString('en-US')} leads, ${runs} run(s) a step\n`);
    const result = await csvJobAt(size, runs, OUT);
    sizes.push(result);
    rows.push(...sizeRows(result));
  }
}

const mb = (bytes?: number) => (bytes ? `${Math.round(bytes / 1048576)} MB` : 'n/a');
const RSS_LIMIT = 150 * 1048576;

function sizeRows(size: SizeResult): Row[] {
  const scenario = `CSV ${size.rows.toLocaleString('en-US')} leads`;
  const judged = size.rows >= 1_000_000;
  const cell = (step: Step) =>
    `${step.seconds.toFixed(2)} s, ${mb(step.rssBytes)}${step.runs > 1 ? '' : ' (1 run)'}`;
  const rssTarget = (step: Step) =>
    judged ? { target: 'RSS ≤ 150 MB', met: (step.rssBytes ?? Infinity) <= RSS_LIMIT } : {};
  const out: Row[] = [
    {
      scenario,
      measure: `leadshift plan (${size.changes.toLocaleString('en-US')} changes)`,
      value: cell(size.plan),
      ...rssTarget(size.plan),
    },
    { scenario, measure: 'leadshift apply', value: cell(size.apply), ...rssTarget(size.apply) },
    { scenario, measure: 'leadshift run --yes', value: cell(size.run), ...rssTarget(size.run) },
    { scenario, measure: 'leadshift undo --yes', value: cell(size.undo), ...rssTarget(size.undo) },
    ratio(scenario, 'apply ÷ plan', size.apply, size.plan, 1),
    ratio(scenario, 'undo ÷ plan', size.undo, size.plan, 1),
  ];
  if (size.duckdb) {
    out.push(
      { scenario, measure: 'DuckDB join and write', value: cell(size.duckdb) },
      ratio(scenario, 'run --yes ÷ DuckDB', size.run, size.duckdb, 2),
      ratio(scenario, 'plan ÷ DuckDB', size.plan, size.duckdb, 1.5),
    );
  } else out.push({ scenario, measure: 'DuckDB join and write', value: 'not installed (npm ci)' });
  out.push(
    size.mlr
      ? { scenario, measure: 'mlr join of the mapping (Miller)', value: cell(size.mlr) }
      : {
          scenario,
          measure: 'mlr join of the mapping (Miller)',
          value: 'not installed (apt-get install miller)',
        },
  );
  return out;
}

function ratio(scenario: string, measure: string, a: Step, b: Step, limit: number): Row {
  const value = a.seconds / b.seconds;
  return {
    scenario,
    measure,
    value: `${value.toFixed(2)}×`,
    target: `≤ ${limit.toFixed(1)}×`,
    met: value <= limit,
  };
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
if (TERRITORY_ROWS > 0) rows.push(await territoryScenario(TERRITORY_ROWS, BIN, OUT));
const sf = await salesforceScenario(SF_RUNS, BIN);
rows.push(...sf.rows);
results.salesforce = sf.results;
if (OFFBOARD_ROWS > 0) {
  const offboard = await offboardScenario(OFFBOARD_ROWS, BIN);
  rows.push(...offboard.rows);
  results.offboard = offboard.results;
}
if (SF_ROWS > 0) {
  const naive = await naiveScenario(SF_ROWS);
  rows.push(...naive.rows);
  results.naive = naive.results;
}
results.table = rows;
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
printTable();
console.log(`\nFigures written to ${join(OUT, 'results.json')}`);
