import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestOrg } from './index.js';

const V = '62.0';
let org: TestOrg;
let ben: string;
let cara: string;
let gone: string;
let queue: string;
let lead: string;
let account: string;

type Save = { success: boolean; errors: unknown[] } | undefined;
const errorOf = (r: Save) => r?.errors[0] as { statusCode?: string; message?: string; fields?: string[] };

function conn(): Connection {
  const c = new Connection({ instanceUrl: org.url, accessToken: org.issueAccessToken(), version: V });
  c.bulk2.pollInterval = 20;
  return c;
}

beforeAll(async () => {
  org = await TestOrg.start({ bulkDelayMs: 20 });
  [ben = '', cara = '', gone = ''] = org.insert('User', [
    { LastName: 'Ben', Username: 'ben@acme.test', IsActive: true },
    { LastName: 'Cara', Username: 'cara@acme.test', IsActive: true },
    { LastName: 'Gone', Username: 'gone@acme.test', IsActive: false },
  ]);
  [queue = ''] = org.insert('Group', [{ Name: 'Hopper', DeveloperName: 'Hopper', Type: 'Queue' }]);
  org.insert('QueueSobject', [
    { QueueId: queue, SobjectType: 'Task' },
    { QueueId: queue, SobjectType: 'Event' },
  ]);
  [lead = ''] = org.insert('Lead', [{ LastName: 'L', Company: 'C', OwnerId: ben }]);
  [account = ''] = org.insert('Account', [{ Name: 'Acme', OwnerId: ben }]);
});

afterAll(() => org.close());

describe('Task', () => {
  it('derives IsClosed from Status, on seeding and on update, and refuses writing it', async () => {
    const [open = '', done = ''] = org.insert('Task', [
      { Subject: 'Call', OwnerId: ben, WhoId: lead, ActivityDate: '2030-01-02' },
      { Subject: 'Sent', OwnerId: ben, Status: 'Completed', WhatId: account },
    ]);
    expect(org.record('Task', open)).toMatchObject({ Status: 'Not Started', IsClosed: false });
    expect(org.record('Task', done)).toMatchObject({ IsClosed: true });
    const c = conn();
    expect(await c.sobject('Task').update({ Id: open, Status: 'Completed' })).toMatchObject({
      success: true,
    });
    expect(org.record('Task', open)?.IsClosed).toBe(true);
    await c.sobject('Task').update({ Id: open, Status: 'In Progress' });
    expect(org.record('Task', open)?.IsClosed).toBe(false);
    const readOnly = errorOf((await c.sobject('Task').update([{ Id: open, IsClosed: true }]))[0] as Save);
    expect(readOnly).toMatchObject({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsClosed'] });
    expect(org.record('Task', open)?.IsClosed).toBe(false);
  });

  it('refuses a queue owner (even one listing Task) and an inactive one, over REST and Bulk', async () => {
    const [task = '', other = ''] = org.insert('Task', [
      { Subject: 'Q', OwnerId: ben },
      { Subject: 'G', OwnerId: ben },
    ]);
    const c = conn();
    const [toQueue, toGone] = (await c.sobject('Task').update([
      { Id: task, OwnerId: queue },
      { Id: other, OwnerId: gone },
    ])) as Save[];
    expect(errorOf(toQueue)).toMatchObject({
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: `Assigned To ID: id value of incorrect type: ${queue}`,
      fields: ['OwnerId'],
    });
    expect(errorOf(toGone)).toMatchObject({ statusCode: 'INACTIVE_OWNER_OR_USER' });
    const bulk = await c.bulk2.loadAndWaitForResults({
      object: 'Task',
      operation: 'update',
      input: `Id,OwnerId\n${task},${queue}\n`,
    });
    expect(bulk.failedResults[0]?.sf__Error).toMatch(/^FIELD_INTEGRITY_EXCEPTION:/);
    expect(org.record('Task', task)?.OwnerId).toBe(ben);
    expect(await c.sobject('Task').update({ Id: task, OwnerId: cara })).toMatchObject({ success: true });
  });

  it('answers SOQL on IsClosed, Owner and the Who/What lookups, over REST and Bulk query', async () => {
    org.insert('Task', [
      { Subject: 'Open C', OwnerId: cara, WhoId: lead },
      { Subject: 'Done C', OwnerId: cara, Status: 'Completed', WhatId: account },
    ]);
    const c = conn();
    const soql = `SELECT Id, Subject, Owner.Type, Who.Name FROM Task WHERE OwnerId = '${cara}' AND IsClosed = false AND Subject = 'Open C'`;
    const rest = await c.query<{ Subject: string; Owner: { Type: string }; Who: { Name: string } }>(soql);
    expect(rest.records.map((r) => [r.Subject, r.Owner.Type, r.Who.Name])).toEqual([['Open C', 'User', 'L']]);
    const bulk = await (
      await c.bulk2.query(`SELECT Subject FROM Task WHERE OwnerId = '${cara}' AND IsClosed = true`)
    ).toArray();
    expect(bulk.map((r) => r.Subject)).toEqual(['Done C']);
  });
});

describe('Event', () => {
  it('fills in end, duration and activity date; an all-day event ends at midnight GMT of its day', () => {
    const [timed = '', allDay = ''] = org.insert('Event', [
      { Subject: 'Demo', OwnerId: ben, StartDateTime: '2030-05-06T09:00:00Z', DurationInMinutes: 90 },
      { Subject: 'Fair', OwnerId: ben, IsAllDayEvent: true, ActivityDate: '2030-05-07' },
    ]);
    expect(org.record('Event', timed)).toMatchObject({
      EndDateTime: '2030-05-06T10:30:00.000+0000',
      ActivityDateTime: '2030-05-06T09:00:00.000+0000',
      ActivityDate: '2030-05-06',
    });
    expect(org.record('Event', allDay)).toMatchObject({
      StartDateTime: '2030-05-07T00:00:00.000+0000',
      EndDateTime: '2030-05-07T00:00:00.000+0000',
      DurationInMinutes: 1440,
    });
  });

  it('refuses a queue owner and an inactive one; a user owner is written', async () => {
    const start = { StartDateTime: '2030-01-01T10:00:00Z', DurationInMinutes: 30 };
    const [a = '', b = '', event = ''] = org.insert('Event', [
      { Subject: 'A', OwnerId: ben, ...start },
      { Subject: 'B', OwnerId: ben, ...start },
      { Subject: 'E', OwnerId: ben, ...start },
    ]);
    const c = conn();
    const [toQueue, toGone, toCara] = (await c.sobject('Event').update([
      { Id: a, OwnerId: queue },
      { Id: b, OwnerId: gone },
      { Id: event, OwnerId: cara },
    ])) as Save[];
    expect(errorOf(toQueue)).toMatchObject({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['OwnerId'] });
    expect(errorOf(toGone)).toMatchObject({ statusCode: 'INACTIVE_OWNER_OR_USER' });
    expect(toCara?.success).toBe(true);
    expect(org.record('Event', event)).toMatchObject({
      OwnerId: cara,
      EndDateTime: '2030-01-01T10:30:00.000+0000',
    });
  });

  it('compares EndDateTime with datetime literals, over REST and Bulk query', async () => {
    const [, , soon = ''] = org.insert('Event', [
      { Subject: 'Past', OwnerId: gone, StartDateTime: '2020-01-01T10:00:00Z', DurationInMinutes: 60 },
      { Subject: 'Edge', OwnerId: gone, StartDateTime: '2029-12-31T22:00:00Z', DurationInMinutes: 60 },
      { Subject: 'Soon', OwnerId: gone, StartDateTime: '2029-12-31T23:30:00Z', DurationInMinutes: 60 },
    ]);
    const c = conn();
    const soql = `SELECT Id, Subject FROM Event WHERE OwnerId = '${gone}' AND EndDateTime >= 2029-12-31T23:00:00Z`;
    const rest = await c.query<{ Subject: string }>(`${soql} ORDER BY Subject`);
    expect(rest.records.map((r) => r.Subject)).toEqual(['Edge', 'Soon']);
    const bulk = await (await c.bulk2.query(`${soql} AND EndDateTime > 2029-12-31T23:00:00Z`)).toArray();
    expect(bulk.map((r) => r.Id)).toEqual([soon]);
  });
});
