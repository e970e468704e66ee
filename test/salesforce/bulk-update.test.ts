import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { SalesforceClient, WriteRow } from '../../src/salesforce/index.js';
import { connect, type Harness, startOrg, tuned } from './helpers.js';

let h: Harness;
let client: SalesforceClient;
let leadIds: string[];
let newOwner: string;

beforeEach(async () => {
  h = await startOrg({ bulkDelayMs: 2 });
  client = await connect(h);
  leadIds = h.org.insert(
    'Lead',
    Array.from({ length: 300 }, (_, i) => ({ LastName: `L${i}`, Company: 'Acme', Title: 'Rep' })),
  );
  [newOwner = ''] = h.org.insert('User', [
    { LastName: 'New', Username: 'new.owner@example.com', IsActive: true },
  ]);
  h.org.resetRequests();
});
afterEach(async () => {
  await h.org.close();
});

const ingest = (method: string, suffix = '') =>
  h.org.requests.filter(
    (r) => r.method === method && r.path.includes('/jobs/ingest') && r.path.endsWith(suffix),
  );

describe('update over Bulk API 2.0 (driven step by step)', () => {
  it('creates a job, uploads one non-empty CSV, closes, polls, matches results by Id, keeps the job', async () => {
    const inactive =
      h.org.insert('User', [{ LastName: 'Gone', Username: 'gone@example.com', IsActive: false }])[0] ?? '';
    const rows = leadIds.map((Id, i) => ({ Id, OwnerId: i === 7 ? inactive : newOwner }));
    const progress: number[] = [];
    const outcomes = await client.update('Lead', rows, {
      api: 'bulk',
      assignment: false,
      onProgress: (n) => progress.push(n),
    });

    expect(ingest('POST')).toHaveLength(1);
    expect(JSON.parse(ingest('POST')[0]?.body ?? '{}')).toMatchObject({
      object: 'Lead',
      operation: 'update',
    });
    const uploads = ingest('PUT', '/batches');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.body.split('\n')[0]).toBe('Id,OwnerId');
    expect(uploads[0]?.body.trim().split('\n')).toHaveLength(301);
    expect(ingest('DELETE')).toHaveLength(0);

    // The org returns results in reverse order; outcomes still follow the input.
    expect(outcomes.map((o) => o.id)).toEqual(leadIds);
    expect(outcomes.filter((o) => !o.ok)).toEqual([
      {
        id: leadIds[7],
        ok: false,
        code: 'INACTIVE_OWNER_OR_USER',
        message: expect.stringContaining('inactive user'),
      },
    ]);
    expect(h.org.record('Lead', leadIds[0] ?? '')?.OwnerId).toBe(newOwner);
    expect(progress).toEqual([300]);
  });

  it('takes columns from every row and writes null as #N/A (jsforce uses the first row only)', async () => {
    const rows: WriteRow[] = [
      { Id: leadIds[0] ?? '', OwnerId: newOwner },
      { Id: leadIds[1] ?? '', OwnerId: newOwner, Title: null },
    ];
    const outcomes = await client.update('Lead', rows, { api: 'bulk', assignment: false });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(ingest('PUT', '/batches')[0]?.body).toBe(
      `Id,OwnerId,Title\n${leadIds[0]},${newOwner},\n${leadIds[1]},${newOwner},#N/A\n`,
    );
    expect(h.org.record('Lead', leadIds[0] ?? '')?.Title).toBe('Rep');
    expect(h.org.record('Lead', leadIds[1] ?? '')?.Title ?? null).toBeNull();
  });

  it('re-sends the whole CSV when the upload gets a 503 (a retried stream goes out empty, §1.4)', async () => {
    h.org.faults.failRequests({ method: 'PUT', pathIncludes: '/batches' }, 503, 1);
    const outcomes = await client.update(
      'Lead',
      leadIds.slice(0, 5).map((Id) => ({ Id, OwnerId: newOwner })),
      {
        api: 'bulk',
        assignment: false,
      },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const uploads = ingest('PUT', '/batches');
    expect(uploads.map((u) => u.status)).toEqual([503, 201]);
    expect(uploads[0]?.body).toBe(uploads[1]?.body);
  });

  it('retries the few locked rows over REST, only those rows, with assignment rules still off', async () => {
    h.org.faults.lockRecords([leadIds[3] ?? '', leadIds[5] ?? ''], 1);
    const outcomes = await client.update(
      'Lead',
      leadIds.slice(0, 10).map((Id) => ({ Id, OwnerId: newOwner })),
      {
        api: 'bulk',
        assignment: false,
      },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(ingest('PUT', '/batches')).toHaveLength(1);
    expect(ingest('POST')).toHaveLength(1);
    const patches = h.org.requests.filter((r) => r.path.endsWith('/composite/sobjects'));
    expect(patches).toHaveLength(1);
    expect(patches[0]?.headers['sforce-auto-assign']).toBe('FALSE');
    const sent = (JSON.parse(patches[0]?.body ?? '{}') as { records: { id: string }[] }).records;
    expect(sent.map((r) => r.id).sort()).toEqual([leadIds[3], leadIds[5]].sort());
    expect(h.org.record('Lead', leadIds[3] ?? '')?.OwnerId).toBe(newOwner);
    expect(h.waits).toContain(1000);
  });

  it.each(['PUT', 'PATCH'])(
    'a lost reply to the %s of a job is not taken for a failure: one job, every row written',
    async (method) => {
      h.org.faults.dropConnections({ method, pathIncludes: '/jobs/ingest/', when: 'after' }, 1);
      const outcomes = await client.update(
        'Lead',
        leadIds.slice(0, 5).map((Id) => ({ Id, OwnerId: newOwner })),
        { api: 'bulk', assignment: false },
      );
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(ingest('POST')).toHaveLength(1);
      expect(h.org.record('Lead', leadIds[4] ?? '')?.OwnerId).toBe(newOwner);
    },
  );

  it('tells the caller each job before its data is uploaded, with the org-clock creation date', async () => {
    h.org.faults.skewClock(-40);
    const seen: { job: string; createdDate: string; uploadsBefore: number; ids: string[] }[] = [];
    await client.update('Lead', [{ Id: leadIds[0] ?? '', OwnerId: newOwner }], {
      api: 'bulk',
      assignment: false,
      onJobCreated: async (job, ids) => {
        seen.push({ job: job.id, createdDate: job.createdDate, uploadsBefore: ingest('PUT').length, ids });
      },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.uploadsBefore).toBe(0);
    expect(seen[0]?.ids).toEqual([leadIds[0]]);
    const created = Date.parse(String(seen[0]?.createdDate).replace(/(\d{2})(\d{2})$/, '$1:$2'));
    expect(Date.now() - created).toBeGreaterThan(39 * 60_000);
  });

  it('passes an assignment rule Id to the job, and refuses "the active rule" which Bulk cannot express', async () => {
    h.org.setLeadAssignmentRule({ assign: () => newOwner });
    const ruleId = h.org.leadAssignmentRuleId ?? '';
    await client.update('Lead', [{ Id: leadIds[0] ?? '', OwnerId: newOwner }], {
      api: 'bulk',
      assignment: ruleId,
    });
    expect(JSON.parse(ingest('POST')[0]?.body ?? '{}').assignmentRuleId).toBe(ruleId);
    await expect(
      client.update('Lead', [{ Id: leadIds[0] ?? '', OwnerId: newOwner }], { api: 'bulk', assignment: true }),
    ).rejects.toBeInstanceOf(InputError);
  });

  it('times out without deleting the job (loadAndWaitForResults would delete it, §1.5)', async () => {
    const slow = await connect(h, { tuning: tuned(h, { pollTimeoutMs: 0 }) });
    h.org.faults.slowIngestJobs(100);
    h.org.resetRequests();
    const error = await slow
      .update('Lead', [{ Id: leadIds[0] ?? '', OwnerId: newOwner }], { api: 'bulk', assignment: false })
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/BULK_JOB_TIMEOUT.*was not deleted/s);
    expect(ingest('DELETE')).toHaveLength(0);
  });
});
