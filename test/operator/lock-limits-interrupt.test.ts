/**
 * Cron safety: one run at a time per run home (and recovery of a lock left by a killed run), the limits
 * in `limits`, SIGTERM mid-apply, progress on stderr, and digest.csv.
 */

import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedPrompt } from '../../src/ui/prompt.js';
import { resultOf } from '../support/envelope.js';
import {
  assertBuilt,
  cleanUp,
  cli,
  demoCopy,
  inProcess,
  readCsv,
  readJson,
  runDirs,
  type SmallOrg,
  show,
  smallOrg,
  startCli,
  tempDir,
  waitFor,
} from './helpers.js';

beforeAll(assertBuilt);
afterAll(cleanUp);

async function org(leads: number): Promise<SmallOrg> {
  return smallOrg({ leads, isSandbox: true });
}

const TO_BEN = ['--from', 'salesforce', '--inactive-owners', '--to', 'ben@acme.com', '--api', 'rest'];

describe.concurrent('one run at a time', () => {
  it('a second run exits 4 at once and names the holder (pid, user, host)', async () => {
    const dir = await demoCopy();
    // The first run holds the lock while it waits for its question to be answered.
    let answer: (yes: boolean) => void = () => undefined;
    let asked = false;
    const gate = new Promise<boolean>((resolve) => {
      answer = resolve;
    });
    const prompt = {
      ...scriptedPrompt([]),
      confirm: () => {
        asked = true;
        return gate;
      },
    };
    const first = inProcess(dir, ['run', '--job', 'job.yml', '--home', 'h'], { prompt });
    await waitFor(() => asked);

    const started = Date.now();
    const second = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h', '--yes']);
    expect(second.code, show(second)).toBe(4);
    // The first run never lets go until answered: finishing at all means it did not wait for the lock.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(second.stderr).toMatch(/another run holds the lock/);
    expect(second.stderr).toContain(`pid ${process.pid}`);
    expect(second.stderr).toContain(`${userInfo().username} on ${hostname()}`);
    // The refused run wrote no run directory and changed nothing.
    expect(await runDirs(join(dir, 'h'))).toHaveLength(1);

    answer(false);
    const firstResult = await first;
    expect(firstResult.code, show(firstResult)).toBe(4);
    // Released: the next run goes ahead.
    const third = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h', '--yes']);
    expect(third.code, show(third)).toBe(0);
  });

  it('a lock left by a SIGKILLed run is recovered: the next run succeeds at once', async () => {
    const o = await org(400);
    const dir = await tempDir();
    const running = startCli(dir, ['run', ...TO_BEN, '--yes', '--home', 'h', '--out', 'p'], o.tokenEnv());
    let writes = 0;
    o.org.faults.onBeforeWrite(() => {
      if (++writes === 50) running.child.kill('SIGKILL');
    });
    const killed = await running.result;
    expect(killed.signal, show(killed)).toBe('SIGKILL');
    // The dead run's lock is still there.
    expect(existsSync(join(dir, 'h/lock'))).toBe(true);
    const holder = await readJson<{ pid: number }>(join(dir, 'h/lock.json'));
    expect(holder.pid).toBe(running.child.pid);

    const started = Date.now();
    const resumed = await cli(dir, ['--home', 'h', 'apply', 'p'], o.tokenEnv());
    expect(resumed.code, show(resumed)).toBe(0);
    // Not the 30 s staleness wait: a dead local holder is recovered at once.
    expect(Date.now() - started).toBeLessThan(20_000);
    for (const id of o.leads) expect(o.owner(id)).toBe(o.people.ben);
    expect(existsSync(join(dir, 'h/lock.json'))).toBe(false);
  });
});

describe.concurrent('limits', () => {
  it('maxChanges: exit 4, says by how much, nothing written', async () => {
    const dir = await demoCopy();
    const job = await readFile(join(dir, 'job.yml'), 'utf8');
    await writeFile(join(dir, 'job.yml'), job.replace('maxChanges: 5000', 'maxChanges: 700'));
    const result = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h', '--yes']);
    expect(result.code, show(result)).toBe(4);
    expect(result.stderr).toMatch(/737 changes, 37 more than limits\.maxChanges \(700\)/);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    expect(existsSync(join(runDir, 'update.csv'))).toBe(false);
    expect(existsSync(join(runDir, 'results.csv'))).toBe(false);

    // Saved plans are held to the same limit.
    const apply = await cli(dir, ['apply', runDir, '--home', 'h']);
    expect(apply.code, show(apply)).toBe(4);
    expect(apply.stderr).toMatch(/37 more than limits\.maxChanges/);
  });

  it('maxChanges on a terminal: refused before asking, so a yes is never refused', async () => {
    const dir = await demoCopy();
    const job = await readFile(join(dir, 'job.yml'), 'utf8');
    await writeFile(join(dir, 'job.yml'), job.replace('maxChanges: 5000', 'maxChanges: 10'));
    const prompt = scriptedPrompt([]);
    const result = await inProcess(dir, ['run', '--job', 'job.yml', '--home', 'h'], { prompt });
    expect(result.code, show(result)).toBe(4);
    expect(prompt.asked).toEqual([]);
  });

  it('maxApiShare on the test org: exit 4 before any write, says by how much', async () => {
    const o = await org(12);
    const dir = await tempDir();
    await writeFile(
      join(dir, 'job.yml'),
      [
        'object: Lead',
        'from: salesforce',
        'select: { inactiveOwners: true }',
        'rules:',
        '  - assign: { user: ben@acme.com }',
        'write: { api: rest }',
        'limits: { maxApiShare: 0.1 }',
        '',
      ].join('\n'),
    );
    o.org.faults.setApiUsage(980, 1000);
    const result = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h', '--yes'], o.tokenEnv());
    expect(result.code, show(result)).toBe(4);
    expect(result.stderr).toMatch(
      /needs about \d+ API requests, \d+ more than allowed \(10% of the \d+ remaining/,
    );
    expect(o.org.requests.filter((r) => r.method === 'PATCH' || r.kind === 'bulkIngest')).toHaveLength(0);
    for (const id of o.leads) expect(o.owner(id)).not.toBe(o.people.ben);
  });
});

describe.concurrent('the daily API allowance already spent', () => {
  it('plan refuses with exit 4 (a limit), not as a crash', async () => {
    const o = await org(12);
    const dir = await tempDir();
    o.org.faults.setApiUsage(1000, 1000);
    const result = await cli(dir, ['plan', ...TO_BEN, '--home', 'h'], o.tokenEnv());
    expect(result.code, show(result)).toBe(4);
    expect(result.stderr).toMatch(/API request limit is exhausted/);
    expect(result.stderr).not.toMatch(/This is a bug/);
  });
});

describe.concurrent('interrupts', () => {
  it('SIGTERM mid-apply: the batch in flight finishes, results.csv is true, exit 130 with the resume command', async () => {
    const o = await org(3000);
    const dir = await tempDir();
    const running = startCli(dir, ['run', ...TO_BEN, '--yes', '--home', 'h', '--out', 'p'], o.tokenEnv());
    let writes = 0;
    o.org.faults.onBeforeWrite(() => {
      if (++writes === 100) running.child.kill('SIGTERM');
    });
    const stopped = await running.result;
    expect(stopped.code, show(stopped)).toBe(130);
    expect(stopped.stderr).toMatch(/Stopping: nothing more will be written after the batch in flight/);
    expect(stopped.stderr).toContain(`leadshift apply ${join(dir, 'p')}`);
    const results = await readCsv(join(dir, 'p/results.csv'));
    expect(results.length).toBeGreaterThanOrEqual(100);
    expect(results.length).toBeLessThan(3000);
    for (const row of results) {
      expect(row.Status).toBe('updated');
      expect(o.owner(row.Id ?? '')).toBe(row.NewOwnerId);
    }
    // Nothing written beyond what results.csv says: the batch in flight was finished and journalled.
    const written = o.leads.filter((id) => o.owner(id) === o.people.ben);
    expect(written).toHaveLength(results.length);
    expect((await readJson(join(dir, 'p/run.json'))).status).toBe('interrupted');

    const resumed = await cli(dir, ['--home', 'h', 'apply', 'p'], o.tokenEnv());
    expect(resumed.code, show(resumed)).toBe(0);
    const final = await readCsv(join(dir, 'p/results.csv'));
    expect(final).toHaveLength(3000);
    expect(new Set(final.map((r) => r.Id)).size).toBe(3000);
    for (const id of o.leads) expect(o.owner(id)).toBe(o.people.ben);
    expect((await readJson(join(dir, 'p/run.json'))).status).toBe('applied');
  });
});

describe.concurrent('progress and digest', () => {
  it('progress is plain lines on stderr when stderr is not a terminal', async () => {
    const dir = await demoCopy();
    const result = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h', '--yes']);
    expect(result.code, show(result)).toBe(0);
    expect(result.stderr).toMatch(/^Planning: 737 records \(\d+\/s\)$/m);
    expect(result.stderr).toMatch(/^Applying: 737\/737 records \(\d+\/s\)$/m);
    // No bar: no carriage returns or cursor movement.
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).not.toContain(String.fromCharCode(27));
    expect(result.stdout).not.toMatch(/Planning|Applying/);
  });

  it('under --json, stderr has nothing but warnings and stdout is one JSON document', async () => {
    const dir = await demoCopy();
    const result = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h', '--yes', '--json']);
    expect(result.code, show(result)).toBe(0);
    for (const line of result.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^warning: /);
    expect(resultOf(result.stdout).counts).toMatchObject({ changes: 737 });

    // A plan under --json: not a line on stderr.
    const plan = await cli(dir, ['plan', '--job', 'job.yml', '--home', 'h', '--out', 'p', '--json']);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stderr).toBe('');
    // Warnings still reach stderr under --json: applying a CSV plan whose export is gone.
    await rm(join(dir, 'leads.csv'));
    const apply = await cli(dir, ['apply', 'p', '--home', 'h', '--json']);
    expect(apply.code, show(apply)).toBe(0);
    expect(apply.stderr).toMatch(/^warning: No current export to check owners against/);
    for (const line of apply.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^warning: /);
    expect(resultOf(apply.stdout).status).toBe('applied');
    expect(JSON.parse(apply.stdout).warnings[0]).toMatch(/^No current export to check owners against/);
  });

  it('digest.csv: one row per new owner and rule, counts summing to the updated records', async () => {
    const dir = await demoCopy();
    const result = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h', '--yes']);
    expect(result.code, show(result)).toBe(0);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    const digest = await readCsv(join(runDir, 'digest.csv'));
    const plan = await readCsv(join(runDir, 'plan.csv'));
    const record = await readJson<{ counts: { updated: number } }>(join(runDir, 'run.json'));
    expect(digest.reduce((sum, row) => sum + Number(row.Records), 0)).toBe(record.counts.updated);
    const expected = new Map<string, number>();
    for (const row of plan) {
      const key = `${row.NewOwnerId}|${row.Rule}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(digest).toHaveLength(expected.size);
    for (const row of digest) {
      expect(row.Object).toBe('Lead');
      expect(Number(row.Records)).toBe(expected.get(`${row.NewOwnerId}|${row.Rule}`));
    }
    expect(new Set(digest.map((r) => r.NewOwner))).toEqual(
      new Set(['ben@acme.com', 'carla@acme.com', 'ines@acme.com', 'queue:Unassigned_Leads']),
    );
  });

  it('digest.csv counts only records updated, not those skipped because their owner changed', async () => {
    const o = await org(10);
    const dir = await tempDir();
    const plan = await cli(dir, ['plan', ...TO_BEN, '--home', 'h', '--out', 'p'], o.tokenEnv());
    expect(plan.code, show(plan)).toBe(0);
    const [moved = ''] = o.leads;
    o.org.setField('Lead', moved, 'OwnerId', o.people.carla);
    const apply = await cli(dir, ['--home', 'h', 'apply', 'p'], o.tokenEnv());
    expect(apply.code, show(apply)).toBe(0);
    const results = await readCsv(join(dir, 'p/results.csv'));
    expect(results.find((r) => r.Id === moved)?.Status).toBe('skipped');
    const digest = await readCsv(join(dir, 'p/digest.csv'));
    expect(digest).toEqual([
      expect.objectContaining({
        NewOwnerId: o.people.ben,
        NewOwner: 'ben@acme.com',
        Object: 'Lead',
        Records: '9',
      }),
    ]);
  });
});
