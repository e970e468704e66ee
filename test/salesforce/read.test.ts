import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { type SalesforceClient, SalesforceError } from '../../src/salesforce/index.js';
import { connect, type Harness, startOrg, tuned } from './helpers.js';

let h: Harness;
let client: SalesforceClient;
let leadIds: string[];

beforeAll(async () => {
  h = await startOrg({ bulkDelayMs: 1 });
  client = await connect(h);
  leadIds = h.org.insert(
    'Lead',
    Array.from({ length: 1200 }, (_, i) => ({ LastName: `L${i}`, Company: 'Acme' })),
  );
});
afterAll(async () => {
  await h.org.close();
});

describe('readOwners', () => {
  it('chunks the IN list so every query URL stays under 16,384 bytes', async () => {
    h.org.resetRequests();
    h.org.delete('Lead', leadIds[5] ?? '');
    const ids = [...leadIds.map((id) => id.slice(0, 15)), '00Q000000000000AAA', 'not-an-id'];
    const owners = await client.readOwners('Lead', ids);
    expect(owners.size).toBe(1199);
    expect(owners.get(leadIds[0] ?? '')).toBe(h.org.userId);
    expect(owners.has(leadIds[5] ?? '')).toBe(false);
    const queries = h.org.requests.filter((r) => r.path.endsWith('/query'));
    expect(queries.length).toBeGreaterThanOrEqual(4);
    expect(queries.length).toBeLessThanOrEqual(6);
    for (const q of queries) {
      const url = `${q.path}?${new URLSearchParams(q.query).toString()}`;
      expect(Buffer.byteLength(url)).toBeLessThan(16_384);
      expect(q.status).toBe(200);
    }
  });

  it('uses Bulk API 2.0 query above the threshold', async () => {
    const bulky = await connect(h, { tuning: tuned(h, { bulkThreshold: 100 }) });
    h.org.resetRequests();
    const owners = await bulky.readOwners('Lead', leadIds.slice(10, 510));
    expect(owners.size).toBe(500);
    expect(h.org.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'))).toHaveLength(
      1,
    );
    expect(h.org.requests.filter((r) => r.kind === 'query')).toHaveLength(0);
  });
});

describe('describe, organization, limits', () => {
  it('describes an object once per client', async () => {
    h.org.resetRequests();
    const lead = await client.describe('Lead');
    await client.describe('lead');
    expect(lead.name).toBe('Lead');
    expect(lead.fields.find((f) => f.name === 'OwnerId')).toMatchObject({
      type: 'reference',
      updateable: true,
      referenceTo: expect.arrayContaining(['User']),
    });
    expect(h.org.requests.filter((r) => r.path.endsWith('/describe'))).toHaveLength(1);
  });

  it('names an unknown object as an input error', async () => {
    await expect(client.describe('Nope__c')).rejects.toBeInstanceOf(InputError);
  });

  it('reads the organization', async () => {
    expect(await client.organization()).toEqual({
      id: h.org.orgId,
      name: 'Leadshift Test Org',
      isSandbox: false,
    });
  });

  it('reads the daily API allowance', async () => {
    h.org.faults.setApiUsage(100, 15_000);
    const limits = await client.limits();
    expect(limits.dailyApiRequests).toEqual({ max: 15_000, remaining: 14_899 });
    expect(client.apiUsage).toEqual({ used: 101, limit: 15_000 });
  });

  it('counts calls by kind', async () => {
    expect(client.calls.count('auth')).toBe(1);
    expect(client.calls.count('limits')).toBeGreaterThanOrEqual(1);
    expect(client.calls.bytesSent).toBeGreaterThan(0);
  });

  it('maps a non-query failure to SalesforceError with code and kind', async () => {
    h.org.faults.failRequests({ pathIncludes: '/limits' }, 400, 1);
    const error = await client.limits().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ code: 'INJECTED_FAULT', kind: 'limits', status: 400 });
  });
});
