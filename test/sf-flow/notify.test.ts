/**
 * Telling the new owners: `--notify email` through the org's emailSimple action (read back from the
 * test org's outbox), `--notify task` as open Tasks, failures that leave the apply standing (exit 3),
 * and `leadshift notify` sending again only what failed.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { applyResult, notifyResult } from '../../schemas/result-shapes.js';
import { resultOf } from '../support/envelope.js';
import { assertBuilt, show, type World, worldsOfThisFile } from './helpers.js';

beforeAll(assertBuilt);

const world = worldsOfThisFile();

/** ana's leads (every fourth) go to carla, dan's to ben: two people receive five leads each. */
async function runInactive(w: World, extra: string[]) {
  await w.write('m.csv', 'from,to\nana@acme.com,carla@acme.com\ndan@acme.com,ben@acme.com\n');
  return w.run([
    'run',
    '--from',
    'salesforce',
    '--inactive-owners',
    '--map',
    'm.csv',
    '--out',
    'r',
    ...extra,
  ]);
}

async function notices(w: World): Promise<Array<{ owner: string; status: string; reason?: string }>> {
  const text = await readFile(join(w.path('r'), 'notify.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

const leadsOf = (w: World, ownerId: string) => w.org.records('Lead').filter((r) => r.OwnerId === ownerId);

describe.concurrent('telling the new owners', () => {
  test('--notify email: one email per receiving owner with counts, names, links, who and why', async () => {
    const w = await world({ leads: 20 });
    const result = await runInactive(w, ['--yes', '--notify', 'email', '--json']);
    expect(result.code, show(result)).toBe(0);
    const json = applyResult.parse(resultOf(result.stdout));
    expect(json.page).toBe(join(w.path('r'), 'plan.html'));
    expect(json.notify).toMatchObject({ channel: 'email', sent: 2, failed: 0, skipped: 0 });
    const outbox = w.org.outbox;
    expect(outbox.map((m) => m.to).sort()).toEqual([['ben@acme.com'], ['carla@acme.com']]);
    const toCarla = outbox.find((m) => m.to[0] === 'carla@acme.com');
    const carlasLeads = leadsOf(w, w.people.carla);
    expect(carlasLeads).toHaveLength(5);
    expect(toCarla?.subject).toContain('5 Lead records moved to you');
    expect(toCarla?.subject).toContain(json.runId);
    expect(toCarla?.body).toContain('Hello Carla Rossi,');
    expect(toCarla?.body).toMatch(/5 {2}Lead, rule "map m\.csv/);
    for (const lead of carlasLeads) expect(toCarla?.body).toContain(`${lead.Name}  ${w.org.url}/${lead.Id}`);
    expect(toCarla?.body).toContain('Ada Admin');
    expect(toCarla?.body).toContain(`Run ${json.runId}`);
    expect(toCarla?.sentById).toBe(w.org.userId);
    // One action call per owner, counted against the daily allowance like any REST call.
    expect(w.callsByKind().action).toBe(2);
    expect((await notices(w)).map((n) => n.status)).toEqual(['sent', 'sent']);
  });

  test('a refused email: exit 3, the apply intact; notify resends only it, --all resends every one', async () => {
    const w = await world({ leads: 20 });
    w.org.faults.rejectEmail(
      'carla@acme.com',
      'INVALID_EMAIL_ADDRESS',
      'Email address is invalid: carla@acme.com',
    );
    const result = await runInactive(w, ['--yes', '--notify', 'email']);
    expect(result.code, show(result)).toBe(3);
    expect(result.stdout).toContain('1 told, 1 failed');
    expect(result.stdout).toContain('INVALID_EMAIL_ADDRESS: Email address is invalid: carla@acme.com');
    expect(result.stdout).toContain(`leadshift notify ${w.path('r')}`);
    const results = await w.results(w.path('r'));
    expect(results.every((row) => row.Status === 'updated')).toBe(true);
    expect(leadsOf(w, w.people.carla)).toHaveLength(5);
    expect(w.org.outbox.map((m) => m.to[0])).toEqual(['ben@acme.com']);
    expect((await notices(w)).find((n) => n.owner.includes('carla'))?.status).toBe('failed');

    // Still refused: exit 3 again, ben is not sent to again.
    const again = await w.run(['notify', 'r']);
    expect(again.code, show(again)).toBe(3);
    expect(w.org.outbox).toHaveLength(1);

    w.org.faults.clear();
    const resend = await w.run(['notify', 'r', '--json']);
    expect(resend.code, show(resend)).toBe(0);
    const report = notifyResult.parse(resultOf(resend.stdout));
    expect(report.notify).toMatchObject({ sent: 1, failed: 0, alreadySent: 1 });
    expect(w.org.outbox.map((m) => m.to[0])).toEqual(['ben@acme.com', 'carla@acme.com']);

    const nothingLeft = await w.run(['notify', 'r']);
    expect(nothingLeft.code, show(nothingLeft)).toBe(0);
    expect(w.org.outbox).toHaveLength(2);

    const all = await w.run(['notify', 'r', '--all']);
    expect(all.code, show(all)).toBe(0);
    expect(w.org.outbox).toHaveLength(4);
  });

  test('an outage while sending: that message fails once, is not sent twice, the others go', async () => {
    const w = await world({ leads: 20 });
    w.org.faults.failRequests({ method: 'POST', pathIncludes: '/actions/standard/emailSimple' }, 503, 1);
    const result = await runInactive(w, ['--yes', '--notify', 'email']);
    expect(result.code, show(result)).toBe(3);
    expect(result.stdout).toMatch(/: failed, Salesforce other call failed \(SERVER_UNAVAILABLE, HTTP 503\)/);
    const actions = w.requests().filter((r) => r.path.endsWith('/actions/standard/emailSimple'));
    expect(actions).toHaveLength(2);
    expect(w.org.outbox).toHaveLength(1);
    expect((await w.results(w.path('r'))).every((row) => row.Status === 'updated')).toBe(true);
    const resend = await w.run(['notify', 'r']);
    expect(resend.code, show(resend)).toBe(0);
    expect(w.org.outbox).toHaveLength(2);
  });

  test('--notify task: one open Task owned by each receiving owner, with the same text', async () => {
    const w = await world({ leads: 12 });
    const result = await runInactive(w, ['--yes', '--notify', 'task']);
    expect(result.code, show(result)).toBe(0);
    const tasks = w.org.records('Task');
    expect(tasks.map((t) => t.OwnerId).sort()).toEqual([w.people.ben, w.people.carla].sort());
    for (const task of tasks) {
      expect(task.IsClosed).toBe(false);
      expect(task.Status).toBe('Not Started');
      expect(String(task.Subject)).toContain('3 Lead records moved to you');
      expect(String(task.Description)).toContain(`${w.org.url}/`);
    }
    expect(w.org.outbox).toHaveLength(0);
    expect(w.callsByKind().create).toBe(2);
  });

  test('the diff says who will be told; a dry run tells nobody', async () => {
    const w = await world({ leads: 8 });
    const result = await runInactive(w, ['--dry-run', '--notify', 'email']);
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toContain('Tells 2 new owners by email (sent by the org) once applied');
    expect(result.stdout).toContain(`Review page: ${join(w.path('r'), 'plan.html')}`);
    expect(w.org.outbox).toHaveLength(0);
    expect(w.callsByKind().action).toBeUndefined();
  });

  test('a plan whose job says notify: is told when applied; a queue is skipped with a warning', async () => {
    const w = await world({ leads: 8 });
    await w.write(
      'job.yml',
      'from: salesforce\nnotify: email\nselect: { owners: [ana@acme.com, dan@acme.com] }\nrules:\n  - assign: { map: m.csv }\n    when: "Country = \'DE\'"\n  - assign: { queue: Hopper }\n',
    );
    await w.write('m.csv', 'from,to\nana@acme.com,carla@acme.com\ndan@acme.com,carla@acme.com\n');
    const plan = await w.run(['plan', '--job', 'job.yml', '--out', 'r']);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout).toContain('(not the 1 queue: a queue has no inbox)');
    expect(w.org.outbox).toHaveLength(0);
    const apply = await w.run(['apply', 'r']);
    expect(apply.code, show(apply)).toBe(0);
    expect(apply.stderr).toMatch(/Hopper is a queue and is not told about its \d+ records/);
    expect(w.org.outbox.map((m) => m.to[0])).toEqual(['carla@acme.com']);
    expect((await notices(w)).map((n) => n.status).sort()).toEqual(['sent', 'skipped']);
  });

  test('--notify with another value is bad usage: exit 2, nothing planned or written', async () => {
    const w = await world({ leads: 4 });
    const result = await runInactive(w, ['--yes', '--notify', 'sms']);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain('--notify: "sms" is not a way to notify');
    expect(await w.runDirs()).toEqual([]);
    expect(w.callsByKind()).toEqual({});
  });
});
