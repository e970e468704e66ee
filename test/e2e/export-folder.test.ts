import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId } from '../../bench/data.js';
import { assertBuilt, ids, readCsvFile, removeTempDirs, show, Workspace } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

/**
 * A workspace's exports laid out as Salesforce's Data Export writes them: Lead.csv, User.csv, Group.csv
 * (queues beside a role and a public group) and Opportunity.csv in one folder.
 */
async function exportFolder(): Promise<Workspace> {
  const ws = await Workspace.create();
  const p = ws.people;
  await ws.standard([
    { ownerId: p.ana, country: 'DE' },
    { ownerId: p.ana, country: 'FR' },
    { ownerId: p.ana, country: 'FR' },
    { ownerId: p.ben, country: 'US' },
  ]);
  await ws.write('export/Lead.csv', await readFile(ws.path('leads.csv'), 'utf8'));
  await ws.write('export/User.csv', await readFile(ws.path('users.csv'), 'utf8'));
  const [header, ...queues] = (await readFile(ws.path('queues.csv'), 'utf8')).trim().split('\n');
  await ws.write(
    'export/Group.csv',
    [
      `${header},Type`,
      ...queues.map((row) => `${row},Queue`),
      // A role and a public group share the queues' names: only queues may own records.
      `${makeId('00G', 90)},Hopper,Hopper,,Role`,
      `${makeId('00G', 91)},All Internal,AllInternalUsers,,Regular`,
    ].join('\n'),
  );
  await ws.csv(
    'export/Opportunity.csv',
    ['Id', 'OwnerId', 'IsClosed'],
    [
      [makeId('006', 1), p.ben, false],
      [makeId('006', 2), p.ben, false],
      [makeId('006', 3), p.carla, true],
    ],
  );
  return ws;
}

const LOAD_JOB = `object: Lead
from: csv:export/
select:
  owners: [ana@acme.com]
rules:
  - name: DACH
    when: "Country = 'DE'"
    assign: { queue: Hopper }
  - name: inside sales
    assign:
      roundRobin: [ben@acme.com, carla@acme.com]
      balance: load
      load: { Lead: "IsConverted = false", Opportunity: "IsClosed = false" }
`;

describe.concurrent('a Data Export folder as the source (csv:FOLDER/)', () => {
  it('reads the object, users, queues and the other objects for load from the folder; roles are not queues', async () => {
    const ws = await exportFolder();
    await ws.write('job.yml', LOAD_JOB);
    const result = await ws.run(['plan', '--job', 'job.yml', '--home', 'home']);
    expect(result.code, show(result)).toBe(0);
    const [run] = await ws.runDirs();
    const plan = (await readCsvFile(join(run as string, 'plan.csv'))).rows;
    const owners = Object.fromEntries(plan.map((row) => [row.Id, row.NewOwner]));
    expect(owners[ids.lead(1)]).toBe('queue:Hopper');
    // Loads before: ben 1 open lead + 2 open opportunities = 3, carla 0: carla takes both FR leads.
    expect([owners[ids.lead(2)], owners[ids.lead(3)]]).toEqual(['carla@acme.com', 'carla@acme.com']);
    const manifest = JSON.parse(await readFile(join(run as string, 'run.json'), 'utf8'));
    expect(manifest.job.source.path).toBe(ws.path('export/Lead.csv'));
  });

  it('--from csv:FOLDER/ on the command line works the same, and the upload file holds the changes', async () => {
    const ws = await exportFolder();
    const result = await ws.run([
      'run',
      ...['--from', 'csv:export/', '--owner', 'ana@acme.com', '--to', 'queue:Hopper'],
      ...['--home', 'home', '--yes', '--out', 'r'],
    ]);
    expect(result.code, show(result)).toBe(0);
    const upload = (await readCsvFile(ws.path('r/update.csv'))).rows;
    expect(upload.map((row) => row.Id).sort()).toEqual([ids.lead(1), ids.lead(2), ids.lead(3)]);
    expect(new Set(upload.map((row) => row.OwnerId)).size).toBe(1);
  });

  it("refuses a folder without the object's file, naming the file and what the folder holds; nothing is written", async () => {
    const ws = await exportFolder();
    const result = await ws.run([
      'plan',
      ...['--from', 'csv:export/', '--object', 'Contact', '--owner', 'ana@acme.com', '--to', 'ben@acme.com'],
      ...['--home', 'home'],
    ]);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toMatch(/--from: export has no Contact\.csv/);
    expect(result.stderr).toMatch(/It holds Group\.csv, Lead\.csv, Opportunity\.csv, User\.csv/);
    expect(await ws.runDirs()).toEqual([]);
  });

  it('in a job file, the missing file is traced to the from: key', async () => {
    const ws = await exportFolder();
    await ws.write('job.yml', LOAD_JOB.replace('object: Lead', 'object: Case'));
    await writeFile(ws.path('export/README.txt'), 'not an export\n');
    const result = await ws.run(['plan', '--job', 'job.yml', '--home', 'home']);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toMatch(/job\.yml.*from.*has no Case\.csv/s);
    expect(await ws.runDirs()).toEqual([]);
  });
});
