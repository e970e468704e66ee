/**
 * Task and Event as the job's object, on Salesforce: only open tasks and events not yet ended are selected,
 * applied as planned, undone back; `owners` counts them; a queue can never be their new owner.
 */

import { beforeAll, describe, expect, test } from 'vitest';
import { resultOf } from '../support/envelope.js';
import { assertBuilt, show, soqlOf, type World, worldsOfThisFile } from './helpers.js';

beforeAll(assertBuilt);

const world = worldsOfThisFile();
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** ben's tasks: two open, one completed; one open task of ana's (inactive). */
async function taskWorld(): Promise<{ w: World; open: string[]; closed: string; anas: string }> {
  const w = await world({ leads: 0 });
  const { ana, ben } = w.people;
  const [a = '', b = '', closed = '', anas = ''] = w.org.insert('Task', [
    { Subject: 'Call back', OwnerId: ben, ActivityDate: day(3) },
    { Subject: 'Send quote', OwnerId: ben, Status: 'In Progress' },
    { Subject: 'Intro call', OwnerId: ben, Status: 'Completed', ActivityDate: day(-10) },
    { Subject: 'Follow up', OwnerId: ana },
  ]);
  return { w, open: [a, b], closed, anas };
}

/** eve's events: tomorrow's meeting and today's all-day fair are ahead; last week's and yesterday's are past. */
async function eventWorld(): Promise<{ w: World; ahead: string[]; past: string[] }> {
  const w = await world({ leads: 0 });
  const { eve } = w.people;
  const [tomorrow = '', fair = '', lastWeek = '', yesterday = ''] = w.org.insert('Event', [
    { Subject: 'Demo', OwnerId: eve, StartDateTime: at(DAY), DurationInMinutes: 60 },
    { Subject: 'Fair', OwnerId: eve, IsAllDayEvent: true, ActivityDate: day(0) },
    { Subject: 'Kickoff', OwnerId: eve, StartDateTime: at(-7 * DAY), DurationInMinutes: 30 },
    { Subject: 'Offsite', OwnerId: eve, IsAllDayEvent: true, ActivityDate: day(-1) },
  ]);
  return { w, ahead: [tomorrow, fair], past: [lastWeek, yesterday] };
}

const ownerOf = (w: World, object: string, id: string) => String(w.org.record(object, id)?.OwnerId ?? '');

describe.concurrent('Task and Event jobs against the Salesforce test org', () => {
  test('a Task job moves the open tasks only; undo puts them back', async () => {
    const { w, open, closed, anas } = await taskWorld();
    const { ana, ben, carla } = w.people;
    const planned = await w.run([
      'plan',
      '--from',
      'salesforce',
      '--object',
      'Task',
      '--owner',
      'ben@acme.com',
      '--to',
      'carla@acme.com',
      '--out',
      'p',
    ]);
    expect(planned.code, show(planned)).toBe(0);
    expect(soqlOf(w.requests()).filter((q) => /FROM Task WHERE/.test(q) && !q.includes('COUNT('))).toEqual([
      `SELECT Id, OwnerId FROM Task WHERE IsClosed = false AND OwnerId IN ('${ben}')`,
    ]);
    const plan = await w.plan(w.path('p'));
    expect(plan.map((r) => r.Id).sort()).toEqual([...open].sort());

    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    expect(w.org.records('Task').map((r) => [r.Id, r.OwnerId])).toEqual(
      expect.arrayContaining([
        [open[0], carla],
        [open[1], carla],
        [closed, ben],
        [anas, ana],
      ]),
    );
    expect(w.org.records('Task')).toHaveLength(4);

    const undone = await w.run(['undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    for (const id of [...open, closed]) expect(ownerOf(w, 'Task', id), id).toBe(ben);
    expect(ownerOf(w, 'Task', anas)).toBe(ana);
  });

  test('an Event job from a job file moves the events not yet ended, all-day ones through their day', async () => {
    const { w, ahead, past } = await eventWorld();
    const { eve, carla } = w.people;
    await w.write(
      'job.yml',
      'object: Event\nfrom: salesforce\nselect:\n  owners: [eve@acme.com]\nrules:\n  - assign: { user: carla@acme.com }\n',
    );
    const applied = await w.run(['run', '--job', 'job.yml', '--out', 'p', '--yes']);
    expect(applied.code, show(applied)).toBe(0);
    const selection = soqlOf(w.requests()).find((q) => /FROM Event WHERE/.test(q) && !q.includes('COUNT('));
    expect(selection).toMatch(
      /^SELECT Id, OwnerId FROM Event WHERE \(EndDateTime >= \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ OR \(IsAllDayEvent = true AND EndDateTime >= \d{4}-\d\d-\d\dT00:00:00Z\)\) AND OwnerId IN /,
    );
    for (const id of ahead) expect(ownerOf(w, 'Event', id), id).toBe(carla);
    for (const id of past) expect(ownerOf(w, 'Event', id), id).toBe(eve);

    const undone = await w.run(['undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    for (const id of [...ahead, ...past]) expect(ownerOf(w, 'Event', id), id).toBe(eve);
  });

  test('undo leaves a task whose owner to restore is inactive, as for other objects; --to gives it to someone', async () => {
    const { w, anas } = await taskWorld();
    const { carla, eve } = w.people;
    const moved = await w.run([
      'run',
      '--from',
      'salesforce',
      '--object',
      'Task',
      '--inactive-owners',
      '--to',
      'carla@acme.com',
      '--out',
      'p',
      '--yes',
    ]);
    expect(moved.code, show(moved)).toBe(0);
    expect(ownerOf(w, 'Task', anas)).toBe(carla);
    const before = w.requests().length;
    const undone = await w.run(['undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    expect(undone.stdout + undone.stderr).toMatch(/inactive user/);
    expect(w.requests(before).filter((r) => r.method === 'PATCH' || r.kind === 'bulkIngest')).toEqual([]);
    expect(ownerOf(w, 'Task', anas)).toBe(carla);
    const toQueue = await w.run(['undo', 'p', '--to', 'queue:Hopper', '--yes']);
    expect(toQueue.code, show(toQueue)).toBe(2);
    expect(toQueue.stderr).toContain('Salesforce does not let queues own Task records');
    const handed = await w.run(['undo', 'p', '--to', 'eve@acme.com', '--yes']);
    expect(handed.code, show(handed)).toBe(0);
    expect(ownerOf(w, 'Task', anas)).toBe(eve);
  });

  test('owners counts open tasks and events not ended of inactive owners, not closed or past ones', async () => {
    const { w } = await taskWorld();
    const { ana, dan } = w.people;
    w.org.insert('Event', [
      { Subject: 'Demo', OwnerId: dan, StartDateTime: at(DAY), DurationInMinutes: 60 },
      { Subject: 'Old', OwnerId: dan, StartDateTime: at(-DAY), DurationInMinutes: 60 },
      { Subject: 'Old fair', OwnerId: ana, IsAllDayEvent: true, ActivityDate: day(-2) },
    ]);
    const out = await w.run(['owners', '--from', 'salesforce', '--object', 'Task', '--json', '--no-pick']);
    expect(out.code, show(out)).toBe(0);
    const result = resultOf<{ owners: Array<{ ownerId: string; records: Record<string, number> }> }>(
      out.stdout,
    );
    const records = Object.fromEntries(result.owners.map((o) => [o.ownerId, o.records]));
    expect(records[ana]).toMatchObject({ Task: 1 });
    expect(records[ana]?.Event ?? 0).toBe(0);
    expect(records[dan]).toMatchObject({ Event: 1 });
    expect(records[dan]?.Task ?? 0).toBe(0);
  });

  test('a queue as the new owner of tasks or events is an input error; nothing is written', async () => {
    const { w } = await taskWorld();
    w.org.insert('QueueSobject', [
      { QueueId: w.queue, SobjectType: 'Task' },
      { QueueId: w.queue, SobjectType: 'Event' },
    ]);
    for (const object of ['Task', 'Event']) {
      const before = w.requests().length;
      const out = await w.run([
        'run',
        '--from',
        'salesforce',
        '--object',
        object,
        '--inactive-owners',
        '--to',
        'queue:Hopper',
        '--out',
        object,
        '--yes',
      ]);
      expect(out.code, show(out)).toBe(2);
      expect(out.stderr).toContain('--to');
      expect(out.stderr).toContain(`Salesforce does not let queues own ${object} records`);
      expect(w.requests(before).filter((r) => r.method !== 'GET' && r.kind !== 'token')).toEqual([]);
    }
  });
});
