import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId } from '../../bench/data.js';
import { assertBuilt, ids, readCsvFile, removeTempDirs, show, Workspace } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

const JOB = `object: Lead
from: csv:leads.csv
users: users.csv
queues: queues.csv
opportunities: opportunities.csv
select:
  owners: [ana@acme.com]
rules:
  - assign: { territory: territories.csv }
  - name: inside sales
    assign:
      roundRobin: [ben@acme.com, carla@acme.com]
      balance: load
      load: { Lead: "IsConverted = false", Opportunity: "IsClosed = false" }
`;

async function territoryWorkspace(): Promise<Workspace> {
  const ws = await Workspace.create();
  const p = ws.people;
  await ws.standard([
    { ownerId: p.ana, country: 'DE', employees: 900 },
    { ownerId: p.ana, country: 'DE', employees: 20 },
    { ownerId: p.ana, country: 'FR', employees: 20 },
    { ownerId: p.ana, country: 'FR', employees: 30 },
    { ownerId: p.ana, country: 'FR', employees: 40 },
    { ownerId: p.ben, country: 'US', employees: 40 },
  ]);
  await ws.write(
    'territories.csv',
    'Country,NumberOfEmployees,Owner\nDE,500..,eve@acme.com\nDE|AT,,queue:Hopper\n',
  );
  // ben owns one open lead and three open opportunities; carla owns one open opportunity and a closed one.
  await ws.csv(
    'opportunities.csv',
    ['Id', 'OwnerId', 'IsClosed'],
    [
      [makeId('006', 1), p.ben, false],
      [makeId('006', 2), p.ben, false],
      [makeId('006', 3), p.ben, false],
      [makeId('006', 4), p.carla, false],
      [makeId('006', 5), p.carla, true],
    ],
  );
  await ws.write('job.yml', JOB);
  return ws;
}

describe.concurrent('territory tables and load over several objects', () => {
  it('gives each lead its territory, the rest by open leads plus open opportunities, and shows the loads', async () => {
    const ws = await territoryWorkspace();
    const result = await ws.run(['plan', '--job', 'job.yml', '--home', 'home']);
    expect(result.code, show(result)).toBe(0);
    const [run] = await ws.runDirs();
    const plan = (await readCsvFile(join(run as string, 'plan.csv'))).rows;
    const owners = Object.fromEntries(plan.map((row) => [row.Id, row.NewOwner]));
    expect(owners[ids.lead(1)]).toBe('eve@acme.com');
    expect(owners[ids.lead(2)]).toBe('queue:Hopper');
    // Loads before: ben 1 lead + 3 opportunities = 4, carla 0 + 1 = 1: carla gets the first three, then turns.
    expect([3, 4, 5].map((n) => owners[ids.lead(n)])).toEqual([
      'carla@acme.com',
      'carla@acme.com',
      'carla@acme.com',
    ]);
    expect(result.stdout).toMatch(
      /inside sales: load before, fewest first\n\s+ben@acme.com\s+load 4\s+\+0\n\s+carla@acme.com\s+load 1\s+\+3/,
    );
  });

  it('--explain names the matching row and why the earlier ones did not match', async () => {
    const ws = await territoryWorkspace();
    const result = await ws.run(['plan', '--job', 'job.yml', '--home', 'home', '--explain', ids.lead(2)]);
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toContain(
      `1. territory territories.csv: assigned (queue:Hopper: line 3 matches (queue:Hopper); line 2: NumberOfEmployees "20" is not 500..)`,
    );
    const other = await ws.run(['plan', '--job', 'job.yml', '--home', 'h2', '--explain', ids.lead(3)]);
    expect(other.stdout).toContain(
      'territory territories.csv: passed (no row of territories.csv matches: no row matches; line 2: Country "FR" is not DE; line 3: Country "FR" is not DE|AT)',
    );
  });
});
