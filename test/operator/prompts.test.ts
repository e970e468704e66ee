/**
 * The questions leadshift asks, answered by a script: `main()` in this process with `scriptedPrompt`, as if
 * on a terminal. Covers run's confirmation (plain, declined, production host), --json, init, owners, runs.
 */

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { scriptedPrompt } from '../../src/ui/prompt.js';
import { failureOf, resultOf } from '../support/envelope.js';
import {
  cleanUp,
  demoCopy,
  inProcess,
  readCsv,
  readJson,
  runDirs,
  type SmallOrg,
  show,
  smallOrg,
  tempDir,
} from './helpers.js';

afterAll(cleanUp);

async function org(isSandbox: boolean): Promise<SmallOrg> {
  return smallOrg({ isSandbox });
}

const SF_RUN = ['run', '--from', 'salesforce', '--inactive-owners', '--to', 'ben@acme.com', '--home', 'h'];

describe.concurrent('run asks before writing', () => {
  it('asks on a terminal and applies on yes', async () => {
    const dir = await demoCopy();
    const prompt = scriptedPrompt([true]);
    const result = await inProcess(dir, ['run', '--job', 'job.yml', '--home', 'h'], { prompt });
    expect(result.code, show(result)).toBe(0);
    expect(prompt.asked).toEqual(['Write 737 owner changes to update.csv?']);
    // The diff came before the question.
    expect(result.stdout).toMatch(/737 selected, 737 to change/);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    expect((await readJson(join(runDir, 'run.json'))).status).toBe('applied');
    expect(await readCsv(join(runDir, 'update.csv'))).toHaveLength(737);
  });

  it('declined: exit 4, nothing written, run.json status declined', async () => {
    const dir = await demoCopy();
    const before = await readFile(join(dir, 'leads.csv'), 'utf8');
    const prompt = scriptedPrompt([false]);
    const result = await inProcess(dir, ['run', '--job', 'job.yml', '--home', 'h'], { prompt });
    expect(result.code, show(result)).toBe(4);
    expect(prompt.asked).toHaveLength(1);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    expect((await readJson(join(runDir, 'run.json'))).status).toBe('declined');
    for (const file of ['results.csv', 'update.csv', 'undo.csv', 'digest.csv'])
      expect(existsSync(join(runDir, file)), file).toBe(false);
    expect(await readFile(join(dir, 'leads.csv'), 'utf8')).toBe(before);
  });

  it('production org: a wrong host is a refusal (exit 4) and nothing is written', async () => {
    const o = await org(false);
    const dir = await tempDir();
    const prompt = scriptedPrompt(['login.salesforce.com']);
    const result = await inProcess(dir, SF_RUN, { prompt, env: o.tokenEnv() });
    expect(result.code, show(result)).toBe(4);
    const host = new URL(o.org.url).host;
    expect(prompt.asked).toHaveLength(1);
    expect(prompt.asked[0]).toContain('PRODUCTION');
    expect(prompt.asked[0]).toContain(host);
    expect(o.org.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    for (const id of o.leads) expect(o.owner(id)).not.toBe(o.people.ben);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    expect((await readJson(join(runDir, 'run.json'))).status).toBe('declined');
  });

  it('production org: typing the host applies', async () => {
    const o = await org(false);
    const dir = await tempDir();
    const host = new URL(o.org.url).host;
    const prompt = scriptedPrompt([host]);
    const result = await inProcess(dir, SF_RUN, { prompt, env: o.tokenEnv() });
    expect(result.code, show(result)).toBe(0);
    expect(prompt.asked[0]).toMatch(/Type the host/);
    for (const id of o.leads) expect(o.owner(id)).toBe(o.people.ben);
  });

  it('sandbox org: a plain yes/no', async () => {
    const o = await org(true);
    const dir = await tempDir();
    const prompt = scriptedPrompt([true]);
    const result = await inProcess(dir, SF_RUN, { prompt, env: o.tokenEnv() });
    expect(result.code, show(result)).toBe(0);
    expect(prompt.asked).toEqual([`Write ${o.leads.length} owner changes to Salesforce?`]);
    for (const id of o.leads) expect(o.owner(id)).toBe(o.people.ben);
  });

  it('--json never prompts: exit 4 without --yes, one JSON document, nothing written', async () => {
    const dir = await demoCopy();
    const prompt = scriptedPrompt([]);
    const result = await inProcess(dir, ['run', '--job', 'job.yml', '--home', 'h', '--json'], { prompt });
    expect(result.code, show(result)).toBe(4);
    expect(prompt.asked).toEqual([]);
    const doc = failureOf(result.stdout);
    expect(doc).toMatchObject({ status: 4, exitCode: 4, name: 'RefusedError' });
    expect(doc.message).toMatch(/--yes/);
    expect(doc.actions.join(' ')).toMatch(/leadshift apply /);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    expect(existsSync(join(runDir, 'update.csv'))).toBe(false);
  });

  it('--json with --yes applies without asking', async () => {
    const dir = await demoCopy();
    const prompt = scriptedPrompt([]);
    const result = await inProcess(dir, ['run', '--job', 'job.yml', '--home', 'h', '--json', '--yes'], {
      prompt,
    });
    expect(result.code, show(result)).toBe(0);
    expect(prompt.asked).toEqual([]);
    expect(resultOf(result.stdout).status).toBe('applied');
  });

  it('no terminal and no --yes: exit 4 without writing', async () => {
    const dir = await demoCopy();
    const result = await inProcess(dir, ['run', '--job', 'job.yml', '--home', 'h'], { stdinIsTty: false });
    expect(result.code, show(result)).toBe(4);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    expect((await readJson(join(runDir, 'run.json'))).status).toBe('declined');
    expect(existsSync(join(runDir, 'update.csv'))).toBe(false);
  });
});

describe.concurrent('init', () => {
  it('csv source: writes a job that plan --job accepts', async () => {
    const dir = await demoCopy();
    const prompt = scriptedPrompt([
      'csv', // Where do the records come from?
      'Lead', // Which records?
      'leads.csv',
      'users.csv',
      'queues.csv',
      'inactive', // Which of them move?
      'Exclude_From_Reassignment__c = true',
      'map', // first rule
      'departed.csv',
      '', // when: always
      'user',
      'queue:Unassigned_Leads',
      '',
      'done',
      '5000', // maxChanges
    ]);
    const init = await inProcess(dir, ['init', 'jobs/daily.yml'], { prompt });
    expect(init.code, show(init)).toBe(0);
    expect(init.stdout).toMatch(/Wrote .*jobs\/daily\.yml/);
    const job = parseYaml(await readFile(join(dir, 'jobs/daily.yml'), 'utf8')) as Record<string, unknown>;
    expect(job).toMatchObject({
      object: 'Lead',
      from: 'csv:../leads.csv',
      users: '../users.csv',
      queues: '../queues.csv',
      select: { inactiveOwners: true, exclude: 'Exclude_From_Reassignment__c = true' },
      rules: [{ assign: { map: '../departed.csv' } }, { assign: { user: 'queue:Unassigned_Leads' } }],
      limits: { maxChanges: 5000 },
    });
    const plan = await inProcess(dir, ['plan', '--job', 'jobs/daily.yml', '--home', 'h', '--out', 'p']);
    expect(plan.code, show(plan)).toBe(0);
    expect(await readCsv(join(dir, 'p/plan.csv'))).toHaveLength(737);
  });

  it('territory table and a round robin by load: writes a job that plan --job accepts', async () => {
    const dir = await demoCopy();
    await writeFile(
      join(dir, 'territories.csv'),
      'Country,NumberOfEmployees,Owner\nDE,1000..,ana@acme.com\nDE|AT|CH,,ben@acme.com\n',
    );
    const prompt = scriptedPrompt([
      'csv',
      'Lead',
      'leads.csv',
      'users.csv',
      'queues.csv',
      'inactive',
      '',
      'territory',
      'territories.csv',
      '',
      'roundRobin',
      'carla@acme.com, eve@acme.com',
      'load', // Share turns
      'Lead: IsConverted = false', // What counts as load
      '',
      'done',
      '5000',
    ]);
    const init = await inProcess(dir, ['init', 'jobs/territories.yml'], { prompt });
    expect(init.code, show(init)).toBe(0);
    const job = parseYaml(await readFile(join(dir, 'jobs/territories.yml'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(job).toMatchObject({
      rules: [
        { assign: { territory: '../territories.csv' } },
        {
          assign: {
            roundRobin: ['carla@acme.com', 'eve@acme.com'],
            balance: 'load',
            load: { Lead: 'IsConverted = false' },
          },
        },
      ],
    });
    const plan = await inProcess(dir, ['plan', '--job', 'jobs/territories.yml', '--home', 'h', '--out', 'p']);
    expect(plan.code, show(plan)).toBe(0);
    const rules = new Set((await readCsv(join(dir, 'p/plan.csv'))).map((row) => row.Rule));
    expect(rules).toEqual(new Set(['territory territories.csv', 'round robin #2']));
  });

  it('salesforce source: writes a job that plan --job accepts against the test org', async () => {
    const o = await org(true);
    const dir = await tempDir();
    const prompt = scriptedPrompt([
      'jobs/sf.yml', // Save the job file as
      'salesforce',
      'Lead',
      'inactive',
      '', // no exclude
      'manager',
      '',
      'user',
      'carla@acme.com',
      '',
      'done',
      'rest', // How should changes be written?
      '100',
    ]);
    const init = await inProcess(dir, ['init'], { prompt });
    expect(init.code, show(init)).toBe(0);
    const job = parseYaml(await readFile(join(dir, 'jobs/sf.yml'), 'utf8')) as Record<string, unknown>;
    expect(job).toMatchObject({
      from: 'salesforce',
      rules: [{ assign: { manager: true } }, { assign: { user: 'carla@acme.com' } }],
      write: { api: 'rest' },
      limits: { maxChanges: 100 },
    });
    const plan = await inProcess(dir, ['plan', '--job', 'jobs/sf.yml', '--home', 'h', '--out', 'p'], {
      env: o.tokenEnv(),
    });
    expect(plan.code, show(plan)).toBe(0);
    const rows = await readCsv(join(dir, 'p/plan.csv'));
    expect(rows).toHaveLength(o.leads.length);
    // dan's manager is ben; ana has none, so carla.
    for (const row of rows)
      expect(row.NewOwnerId).toBe(row.OldOwnerId === o.people.dan ? o.people.ben : o.people.carla);
  });

  it('refuses to overwrite an existing job file when declined', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'job.yml'), 'object: Lead\n');
    const prompt = scriptedPrompt([false]);
    const init = await inProcess(dir, ['init', 'job.yml'], { prompt });
    expect(init.code, show(init)).toBe(4);
    expect(prompt.asked).toEqual([`${join(dir, 'job.yml')} exists. Overwrite it?`]);
    expect(await readFile(join(dir, 'job.yml'), 'utf8')).toBe('object: Lead\n');
  });

  it('with no terminal, refuses (exit 4) and writes nothing', async () => {
    const dir = await tempDir();
    const init = await inProcess(dir, ['init', 'job.yml'], { stdinIsTty: false });
    expect(init.code, show(init)).toBe(4);
    expect(existsSync(join(dir, 'job.yml'))).toBe(false);
  });
});

describe.concurrent('owners', () => {
  it('lists inactive owners with counts per object and the mapping that covers them', async () => {
    const dir = await demoCopy();
    const result = await inProcess(dir, ['owners', '--job', 'job.yml', '--no-pick']);
    expect(result.code, show(result)).toBe(0);
    const lines = result.stdout.split('\n');
    const line = (who: string) => lines.find((l) => l.includes(who)) ?? '';
    expect(line('tara@acme.com')).toMatch(/tara@acme\.com\s+158\s+not mapped/);
    expect(line('paul@acme.com')).toMatch(/paul@acme\.com\s+150\s+not mapped/);
    expect(line('dan@acme.com')).toMatch(/dan@acme\.com\s+138\s+ben@acme\.com \(departed\.csv\)/);
    expect(line('hugo@acme.com')).toMatch(/hugo@acme\.com\s+154\s+ines@acme\.com \(departed\.csv\)/);
    expect(result.stdout).toMatch(/2 inactive owners not covered by any mapping/);

    const json = await inProcess(dir, ['owners', '--job', 'job.yml', '--json']);
    const doc = resultOf<{
      objects: string[];
      owners: Array<{ owner: string; records: Record<string, number>; mappedTo?: string }>;
      uncovered: number;
    }>(json.stdout);
    expect(doc.uncovered).toBe(2);
    expect(doc.owners.find((o) => o.owner === 'lars@acme.com')).toMatchObject({
      records: { Lead: 154 },
      mappedTo: 'ines@acme.com',
    });
  });

  it('picks successors on a terminal, appends them to --save (header once); a skip leaves an owner out', async () => {
    const dir = await demoCopy();
    // Uncovered owners come largest first: tara (158), then paul (150). Skip paul.
    const first = scriptedPrompt(['carla@acme.com', undefined]);
    const one = await inProcess(dir, ['owners', '--job', 'job.yml', '--save', 'successors.csv'], {
      prompt: first,
    });
    expect(one.code, show(one)).toBe(0);
    expect(first.asked).toHaveLength(2);
    expect(first.asked[0]).toMatch(/Who takes over tara@acme\.com \(158 Lead\)\?/);
    expect(first.asked[1]).toMatch(/paul@acme\.com/);
    expect(await readFile(join(dir, 'successors.csv'), 'utf8')).toBe(
      'from,to\ntara@acme.com,carla@acme.com\n',
    );

    // Next time the new mapping covers tara; only paul is asked about, and his row is appended.
    const second = scriptedPrompt(['ben@acme.com']);
    const two = await inProcess(
      dir,
      ['owners', '--job', 'job.yml', '--map', 'successors.csv', '--save', 'successors.csv'],
      { prompt: second },
    );
    expect(two.code, show(two)).toBe(0);
    expect(two.stdout).toMatch(/tara@acme\.com\s+158\s+carla@acme\.com \(successors\.csv\)/);
    expect(second.asked).toHaveLength(1);
    expect(second.asked[0]).toMatch(/paul@acme\.com/);
    expect(await readFile(join(dir, 'successors.csv'), 'utf8')).toBe(
      'from,to\ntara@acme.com,carla@acme.com\npaul@acme.com,ben@acme.com\n',
    );

    // Every inactive owner covered: nothing more to ask, and the saved mapping plans.
    const third = scriptedPrompt([]);
    const three = await inProcess(dir, ['owners', '--job', 'job.yml', '--map', 'successors.csv'], {
      prompt: third,
    });
    expect(three.code, show(three)).toBe(0);
    expect(third.asked).toEqual([]);
    expect(three.stdout).toMatch(/Every inactive owner is covered by a mapping/);
  });
});

describe('runs', () => {
  it('lists past runs newest first', async () => {
    const dir = await demoCopy();
    const at = (day: number) => () => new Date(Date.UTC(2026, 0, day, 6, 0, 0));
    // Started out of order on purpose: the listing orders by time, not by when the runs were made.
    for (const day of [3, 1, 2]) {
      const plan = await inProcess(dir, ['plan', '--job', 'job.yml', '--home', 'h'], { clock: at(day) });
      expect(plan.code, show(plan)).toBe(0);
    }
    const json = await inProcess(dir, ['runs', '--home', 'h', '--json']);
    expect(json.code, show(json)).toBe(0);
    const { runs } = resultOf<{
      runs: Array<{ startedAt: string; status: string; counts: { changes: number } }>;
    }>(json.stdout);
    expect(runs.map((r) => r.startedAt.slice(0, 10))).toEqual(['2026-01-03', '2026-01-02', '2026-01-01']);
    expect(runs.every((r) => r.counts.changes === 737)).toBe(true);

    const text = await inProcess(dir, ['runs', '--home', 'h']);
    const dates = [...text.stdout.matchAll(/^\s*(2026-01-0\d) /gm)].map((m) => m[1]);
    expect(dates).toEqual(['2026-01-03', '2026-01-02', '2026-01-01']);
  });
});
