import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiLimitError, type SalesforceClient } from '../../src/salesforce/index.js';
import { connect, type Harness, startOrg } from './helpers.js';

let h: Harness;
let client: SalesforceClient;
let leadIds: string[];
let newOwner: string;

beforeEach(async () => {
  h = await startOrg();
  client = await connect(h);
  leadIds = await h.org.insert(
    'Lead',
    Array.from({ length: 450 }, (_, i) => ({ LastName: `L${i}`, Company: 'Acme' })),
  );
  [newOwner = ''] = await h.org.insert('User', [
    { LastName: 'New', Username: 'new.owner@example.com', IsActive: true },
  ]);
  h.org.resetRequests();
});
afterEach(async () => {
  await h.org.close();
});

const patches = () =>
  h.org.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'));
const sentIds = (body: string) => (JSON.parse(body).records as Array<{ id: string }>).map((r) => r.id);
const rowsFor = (ids: string[]) => ids.map((Id) => ({ Id, OwnerId: newOwner }));

describe('update over REST (sObject Collections)', () => {
  it('sends 450 rows as 3 requests of at most 200, assignment rules off', async () => {
    const progress: number[] = [];
    const outcomes = await client.update('Lead', rowsFor(leadIds), {
      api: 'rest',
      assignment: false,
      onProgress: (done) => progress.push(done),
    });
    expect(outcomes).toHaveLength(450);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes.map((o) => o.id)).toEqual(leadIds);
    expect(patches().map((r) => sentIds(r.body).length)).toEqual([200, 200, 50]);
    for (const request of patches()) {
      expect(request.headers['sforce-auto-assign']).toBe('FALSE');
      expect(JSON.parse(request.body).allOrNone).toBe(false);
    }
    expect(progress).toEqual([200, 400, 450]);
    expect(h.org.record('Lead', leadIds[449] ?? '')?.OwnerId).toBe(newOwner);
    expect(client.calls.count('collections')).toBe(3);
  });

  it('asks for assignment rules only when told to', async () => {
    await client.update('Lead', rowsFor(leadIds.slice(0, 1)), { api: 'rest', assignment: true });
    await client
      .update('Lead', rowsFor(leadIds.slice(1, 2)), { api: 'rest', assignment: '01Q000000000001AAA' })
      .catch(() => []);
    expect(patches().map((r) => r.headers['sforce-auto-assign'])).toEqual(['TRUE', '01Q000000000001AAA']);
  });

  it('reports per-record failures without stopping', async () => {
    const [inactive = ''] = await h.org.insert('User', [
      { LastName: 'Gone', Username: 'gone@example.com', IsActive: false },
    ]);
    const outcomes = await client.update(
      'Lead',
      [
        { Id: leadIds[0] ?? '', OwnerId: newOwner },
        { Id: leadIds[1] ?? '', OwnerId: inactive },
      ],
      { api: 'rest', assignment: false },
    );
    expect(outcomes[0]).toEqual({ id: leadIds[0], ok: true });
    expect(outcomes[1]).toMatchObject({ id: leadIds[1], ok: false, code: 'INACTIVE_OWNER_OR_USER' });
  });

  it('retries UNABLE_TO_LOCK_ROW for the locked rows only, with backoff', async () => {
    const locked = leadIds.slice(10, 13);
    h.org.faults.lockRecords(locked, 2);
    const outcomes = await client.update('Lead', rowsFor(leadIds.slice(0, 50)), {
      api: 'rest',
      assignment: false,
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(patches().map((r) => sentIds(r.body).length)).toEqual([50, 3, 3]);
    expect(sentIds(patches()[1]?.body ?? '')).toEqual(locked);
    expect(h.waits).toEqual([1000, 2000]);
  });

  it('gives up on a row still locked after 5 attempts and reports it', async () => {
    h.org.faults.lockRecords([leadIds[0] ?? ''], 100);
    const outcomes = await client.update('Lead', rowsFor(leadIds.slice(0, 2)), {
      api: 'rest',
      assignment: false,
    });
    expect(outcomes[0]).toMatchObject({ ok: false, code: 'UNABLE_TO_LOCK_ROW' });
    expect(outcomes[1]).toMatchObject({ ok: true });
    expect(patches()).toHaveLength(5);
  });

  it('retries a 503 on PATCH (jsforce never retries PATCH)', async () => {
    h.org.faults.failRequests({ method: 'PATCH', pathIncludes: '/composite/sobjects' }, 503, 2);
    const outcomes = await client.update('Lead', rowsFor(leadIds.slice(0, 20)), {
      api: 'rest',
      assignment: false,
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(patches().map((r) => r.status)).toEqual([503, 503, 200]);
    expect(h.waits).toEqual([1000, 2000]);
  });

  it('throws ApiLimitError on REQUEST_LIMIT_EXCEEDED and does not retry', async () => {
    await client.update('Lead', rowsFor(leadIds.slice(0, 200)), { api: 'rest', assignment: false });
    h.org.faults.setApiUsage(1_000_000, 1_000_000);
    const error = await client
      .update('Lead', rowsFor(leadIds.slice(0, 400)), { api: 'rest', assignment: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiLimitError);
    expect(String(error)).toMatch(/leadshift apply/);
    expect(patches()).toHaveLength(2);
    expect((error as { written?: unknown[] }).written).toEqual([]);
  });
});

describe('session expiry during a write', () => {
  it('renews the session and re-sends the same PATCH', async () => {
    h.org.faults.expireSessions();
    const outcomes = await client.update('Lead', rowsFor(leadIds.slice(0, 250)), {
      api: 'rest',
      assignment: false,
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(patches().map((r) => [r.status, sentIds(r.body).length])).toEqual([
      [401, 200],
      [200, 200],
      [200, 50],
    ]);
    expect(client.calls.count('auth')).toBe(2);
  });
});
