/**
 * Scenario: a territory table of 5,000 rows on a large lead export. The bench export has no postal
 * code, so the rows stand in for a postal-code table with prefixes of the NumberOfEmployees digits
 * (`123*`), one block per country: every record is tried against the rows its country and digits name,
 * not against all 5,000.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeUsers, writeLeads } from './data.js';
import { measure, type Row } from './measure.js';

const COUNTRIES = ['DE', 'AT', 'CH', 'FR', 'GB', 'US', 'NL', 'ES', 'IT', 'SE'];
const PREFIXES = 500;

export async function territoryScenario(rows: number, bin: string, out: string): Promise<Row> {
  const dir = join(out, 'data', `territory-${rows}`);
  mkdirSync(dir, { recursive: true });
  const users = makeUsers(400, 2);
  const active = users.filter((u) => u.isActive);
  writeFileSync(
    join(dir, 'users.csv'),
    `Id,Username,Email,Name,IsActive,ManagerId\n${users.map((u) => [u.id, u.username, u.email, u.name, u.isActive, u.managerId].join(',')).join('\n')}\n`,
  );
  const table: string[] = ['Country,NumberOfEmployees,Owner'];
  COUNTRIES.forEach((country, c) => {
    for (let p = 0; p < PREFIXES; p++)
      table.push(`${country},${100 + p}*,${active[(c * PREFIXES + p) % active.length]?.username}`);
  });
  writeFileSync(join(dir, 'territories.csv'), `${table.join('\n')}\n`);
  writeFileSync(
    join(dir, 'job.yml'),
    `object: Lead
from: csv:${await leadsFor(
      rows,
      out,
      users.map((u) => u.id),
    )}
users: users.csv
select:
  inactiveOwners: true
rules:
  - assign: { territory: territories.csv }
  - assign: { user: ${active[0]?.username} }
`,
  );
  const home = join(dir, 'home');
  rmSync(home, { recursive: true, force: true });
  const run = await measure(process.execPath, [bin, 'plan', '--job', 'job.yml', '--home', home, '--json'], {
    cwd: dir,
  });
  if (run.code !== 0) throw new Error(`territory plan failed: ${run.stderr}`);
  const changes = (JSON.parse(run.stdout) as { result: { counts: { changes: number } } }).result.counts
    .changes;
  const mb = run.rssBytes ? `${Math.round(run.rssBytes / 1048576)} MB` : 'n/a';
  return {
    scenario: `CSV ${rows.toLocaleString('en-US')} leads`,
    measure: `leadshift plan, territory table of ${(COUNTRIES.length * PREFIXES).toLocaleString('en-US')} rows (${changes.toLocaleString('en-US')} changes)`,
    value: `${run.seconds.toFixed(2)} s, ${mb} (1 run)`,
  };
}

/** The CSV scenario's export of that size when it was made, else one made the same way. */
async function leadsFor(rows: number, out: string, ownerIds: string[]): Promise<string> {
  const shared = join(out, 'data', String(rows), 'leads.csv');
  if (existsSync(shared)) return shared;
  const own = join(out, 'data', `territory-${rows}`, 'leads.csv');
  if (existsSync(own)) return own;
  process.stderr.write(`generating ${rows.toLocaleString('en-US')} leads in ${own}\n`);
  await writeLeads(`${own}.partial`, rows, ownerIds, 20261124, new Date('2026-11-24T06:00:00Z'));
  renameSync(`${own}.partial`, own);
  return own;
}
