// The org features that the journal, conflict and undo promises are tested with: owner history,
// permissions, conversion, slow Bulk jobs, a skewed clock and dropped connections.
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestOrg } from './index.js';

const V = '62.0';
let org: TestOrg;
let ben: string;
let cara: string;
let gone: string;

beforeAll(async () => {
  org = await TestOrg.start({ apiVersion: V, bulkDelayMs: 5 });
  [ben = '', cara = '', gone = ''] = org.insert('User', [
    { FirstName: 'Ben', LastName: 'B', Username: 'ben@x.test', Alias: 'ben', IsActive: true },
    { FirstName: 'Cara', LastName: 'C', Username: 'cara@x.test', Alias: 'cara', IsActive: true },
    { FirstName: 'Gone', LastName: 'G', Username: 'gone@x.test', Alias: 'gone', IsActive: false },
  ]);
});
afterAll(() => org.close());

const conn = () => new Connection({ instanceUrl: org.url, accessToken: org.issueAccessToken(), version: V });
const lead = (owner: string) =>
  org.insert('Lead', [{ LastName: 'L', Company: 'C', OwnerId: owner }])[0] ?? '';

describe('owner history', () => {
  it('records an API owner change and another user’s edit, both DataTypes, queryable by SOQL', async () => {
    const id = lead(ben);
    await conn().sobject('Lead').update({ Id: id, OwnerId: cara });
    org.editAs(ben, 'Lead', id, { OwnerId: ben });
    const rows = await conn().query<Record<string, unknown>>(
      `SELECT LeadId, Field, DataType, OldValue, NewValue, CreatedById, CreatedDate FROM LeadHistory WHERE LeadId = '${id}' AND Field = 'Owner' ORDER BY CreatedDate`,
    );
    const ids = rows.records.filter((r) => r.DataType === 'EntityId');
    expect(ids.map((r) => [r.OldValue, r.NewValue, r.CreatedById])).toEqual([
      [ben, cara, org.userId],
      [cara, ben, ben],
    ]);
    expect(rows.records.filter((r) => r.DataType === 'Text').map((r) => r.NewValue)).toEqual([
      'Cara C',
      'Ben B',
    ]);
  });

  it('is written by Bulk jobs and for Accounts, Contacts, Opportunities and Cases', async () => {
    const [acct = ''] = org.insert('Account', [{ Name: 'A', OwnerId: ben }]);
    const job = conn().bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'update',
      input: `Id,OwnerId\n${acct},${cara}\n`,
      pollInterval: 10,
    });
    await job;
    expect(org.ownerHistory('Account', acct).filter((h) => h.DataType === 'EntityId')).toHaveLength(1);
    const [opp = ''] = org.insert('Opportunity', [
      { Name: 'O', OwnerId: ben, StageName: 'New', CloseDate: '2026-01-01' },
    ]);
    org.editAs(cara, 'Opportunity', opp, { OwnerId: cara });
    const q = await conn().query(`SELECT Id FROM OpportunityFieldHistory WHERE OpportunityId = '${opp}'`);
    expect(q.totalSize).toBe(2);
  });

  it('is read-only and has no LastModifiedDate, as in Salesforce', async () => {
    await expect(conn().query('SELECT LastModifiedDate FROM LeadHistory')).rejects.toThrow(
      /LastModifiedDate/,
    );
    const id = lead(ben);
    org.editAs(cara, 'Lead', id, { OwnerId: cara });
    const [h] = (await conn().query<{ Id: string }>(`SELECT Id FROM LeadHistory WHERE LeadId = '${id}'`))
      .records;
    const r = await conn()
      .sobject('LeadHistory')
      .update({ Id: h?.Id ?? '', Field: 'x' })
      .catch((e: Error) => e);
    expect(JSON.stringify(r)).toMatch(/INVALID_FIELD_FOR_INSERT_UPDATE|INVALID|not/i);
  });
});

describe('Update Records with Inactive Owners', () => {
  it('is queryable through PermissionSetAssignment and lets its holder write an inactive owner', async () => {
    const soql = `SELECT PermissionSet.PermissionsUpdateWithInactiveOwner FROM PermissionSetAssignment WHERE AssigneeId = '${org.userId}'`;
    const before = await conn().query<{ PermissionSet: { PermissionsUpdateWithInactiveOwner: boolean } }>(
      soql,
    );
    expect(before.records.some((r) => r.PermissionSet.PermissionsUpdateWithInactiveOwner)).toBe(false);
    const id = lead(ben);
    await expect(conn().sobject('Lead').update({ Id: id, OwnerId: gone })).rejects.toThrow(/inactive user/);
    org.grantPermission('PermissionsUpdateWithInactiveOwner');
    const after = await conn().query<{ PermissionSet: { PermissionsUpdateWithInactiveOwner: boolean } }>(
      soql,
    );
    expect(after.records.some((r) => r.PermissionSet.PermissionsUpdateWithInactiveOwner)).toBe(true);
    const ok = await conn().sobject('Lead').update({ Id: id, OwnerId: gone });
    expect(ok.success).toBe(true);
  });
});

describe('records that change between plan and apply', () => {
  it('a converted lead cannot be updated; a deleted one is ENTITY_IS_DELETED', async () => {
    const a = lead(ben);
    const b = lead(ben);
    const { accountId } = org.convertLead(a);
    org.delete('Lead', b);
    expect(org.record('Account', accountId)?.OwnerId).toBe(ben);
    const res = await conn()
      .sobject('Lead')
      .update([
        { Id: a, OwnerId: cara },
        { Id: b, OwnerId: cara },
      ]);
    expect(res.map((r) => JSON.stringify(r.errors))).toEqual([
      expect.stringContaining('CANNOT_UPDATE_CONVERTED_LEAD'),
      expect.stringContaining('ENTITY_IS_DELETED'),
    ]);
  });
});

describe('slow Bulk jobs, clock skew and dropped connections', () => {
  it('a slow job stays InProgress while polled and still finishes when nobody polls', async () => {
    org.faults.slowIngestJobs(1000, 150);
    const id = lead(ben);
    const c = conn();
    const created = await c.request<{ id: string }>({
      method: 'POST',
      url: `/services/data/v${V}/jobs/ingest`,
      body: JSON.stringify({ object: 'Lead', operation: 'update', lineEnding: 'LF' }),
      headers: { 'Content-Type': 'application/json' },
    });
    await c.request({
      method: 'PUT',
      url: `/services/data/v${V}/jobs/ingest/${created.id}/batches`,
      body: `Id,OwnerId\n${id},${cara}\n`,
      headers: { 'Content-Type': 'text/csv' },
    });
    await c.request({
      method: 'PATCH',
      url: `/services/data/v${V}/jobs/ingest/${created.id}`,
      body: JSON.stringify({ state: 'UploadComplete' }),
      headers: { 'Content-Type': 'application/json' },
    });
    await new Promise((r) => setTimeout(r, 40));
    const info = await c.request<{ state: string }>(`/services/data/v${V}/jobs/ingest/${created.id}`);
    expect(info.state).toBe('InProgress');
    expect(org.record('Lead', id)?.OwnerId).toBe(ben);
    await new Promise((r) => setTimeout(r, 250));
    expect(org.record('Lead', id)?.OwnerId).toBe(cara);
    org.faults.slowIngestJobs(0);
  });

  it('the skewed clock shows in SystemModstamp, job createdDate and the Date header', async () => {
    org.faults.skewClock(-20);
    const id = lead(ben);
    const stamp = Date.parse(String(org.record('Lead', id)?.SystemModstamp).replace('+0000', 'Z'));
    expect(Date.now() - stamp).toBeGreaterThan(19 * 60_000);
    const res = await fetch(`${org.url}/services/data/v${V}/`, {
      headers: { Authorization: `Bearer ${org.issueAccessToken()}` },
    });
    expect(Date.now() - Date.parse(res.headers.get('date') ?? '')).toBeGreaterThan(19 * 60_000);
    org.faults.skewClock(0);
  });

  it('a dropped connection after the write made the change but gave no reply', async () => {
    const id = lead(ben);
    org.faults.dropConnections({ method: 'PATCH', when: 'after' });
    await expect(conn().sobject('Lead').update({ Id: id, OwnerId: cara })).rejects.toThrow();
    expect(org.record('Lead', id)?.OwnerId).toBe(cara);
    expect(org.requests.at(-1)?.kind).toMatch(/^dropped:/);
  });

  it('a request-level fault carries the given error code; onRequest sees every request', async () => {
    const seen: string[] = [];
    org.onRequest((r) => seen.push(r.kind));
    org.faults.failRequests({ pathIncludes: '/query', errorCode: 'MALFORMED_QUERY' }, 400);
    await expect(conn().query('SELECT Id FROM Lead')).rejects.toThrow(/Injected fault/);
    expect(seen).toContain('fault:rest');
  });
});
