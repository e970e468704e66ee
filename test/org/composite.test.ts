import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestOrg } from './index.js';

const V = '62.0';
let org: TestOrg;
let token: string;
let ana: string;
let ben: string;
let leads: string[];

interface SubResult {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

async function composite(body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${org.url}/services/data/v${V}/composite`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const results = (json: unknown) => (json as { compositeResponse: SubResult[] }).compositeResponse;

// Without the header the org runs the active lead assignment rule, as REST does.
function patch(ref: string, ids: string[], owner: string, headers = { 'Sforce-Auto-Assign': 'FALSE' }) {
  return {
    method: 'PATCH',
    url: `/services/data/v${V}/composite/sobjects`,
    referenceId: ref,
    httpHeaders: headers,
    body: {
      allOrNone: false,
      records: ids.map((id) => ({ attributes: { type: 'Lead' }, id, OwnerId: owner })),
    },
  };
}

function query(ref: string, soql: string) {
  return { method: 'GET', url: `/services/data/v${V}/query?q=${encodeURIComponent(soql)}`, referenceId: ref };
}

beforeAll(async () => {
  org = await TestOrg.start();
  token = org.issueAccessToken();
  [ana = '', ben = ''] = org.insert('User', [
    { Username: 'ana@x.com', LastName: 'Ana', IsActive: true },
    { Username: 'ben@x.com', LastName: 'Ben', IsActive: true },
  ]);
});
afterAll(async () => {
  await org.close();
});
beforeEach(() => {
  leads = org.insert(
    'Lead',
    Array.from({ length: 3 }, (_, i) => ({ LastName: `L${i}`, Company: 'C', OwnerId: ana })),
  );
  org.resetRequests();
});

describe('the Composite resource', () => {
  it('runs subrequests in order, a query after a write sees it, and the call counts as one API request', async () => {
    const before = org.apiCallCount();
    const soql = `SELECT Id, OwnerId FROM Lead WHERE Id IN ('${leads.join("','")}')`;
    const { status, json } = await composite({
      compositeRequest: [query('before', soql), patch('write', leads, ben), query('after', soql)],
    });
    expect(status).toBe(200);
    const [first, write, after] = results(json);
    const owners = (r: SubResult | undefined) =>
      ((r?.body ?? { records: [] }) as { records: Array<{ OwnerId: string }> }).records.map((x) => x.OwnerId);
    expect(owners(first)).toEqual([ana, ana, ana]);
    expect(write?.httpStatusCode).toBe(200);
    expect(owners(after)).toEqual([ben, ben, ben]);
    expect(org.apiCallCount() - before).toBe(1);
    expect(org.requests.filter((r) => r.kind.startsWith('composite:')).every((r) => !r.counted)).toBe(true);
  });

  it('honours each subrequest’s own Sforce-Auto-Assign header', async () => {
    org.setLeadAssignmentRule({ assign: () => ana });
    const { json } = await composite({
      compositeRequest: [
        patch('off', [leads[0] ?? ''], ben, { 'Sforce-Auto-Assign': 'FALSE' }),
        patch('on', [leads[1] ?? ''], ben, { 'Sforce-Auto-Assign': 'TRUE' }),
      ],
    });
    expect(results(json).map((r) => r.httpStatusCode)).toEqual([200, 200]);
    expect(org.record('Lead', leads[0] ?? '')?.OwnerId).toBe(ben);
    expect(org.record('Lead', leads[1] ?? '')?.OwnerId).toBe(ana);
    const sent = org.requests.filter((r) => r.kind === 'composite:collections');
    expect(sent.map((r) => r.headers['sforce-auto-assign'])).toEqual(['FALSE', 'TRUE']);
  });

  it('refuses more than 25 subrequests, and more than 5 queries or sObject Collections, whole', async () => {
    const reads = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: `/services/data/v${V}/sobjects/Lead/${leads[0]}`,
      referenceId: `r${i}`,
    }));
    const tooMany = await composite({ compositeRequest: reads });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toEqual([expect.objectContaining({ errorCode: 'LIMIT_EXCEEDED' })]);
    const heavy = [
      ...Array.from({ length: 5 }, (_, i) => query(`q${i}`, 'SELECT Id FROM Lead')),
      patch('w', leads, ben),
    ];
    const tooHeavy = await composite({ compositeRequest: heavy });
    expect(tooHeavy.status).toBe(400);
    expect(leads.every((id) => org.record('Lead', id)?.OwnerId === ana)).toBe(true);
  });

  it('refuses Accept, Authorization and Content-Type on a subrequest, and duplicate referenceIds', async () => {
    const withAuth = await composite({
      compositeRequest: [{ ...query('q', 'SELECT Id FROM Lead'), httpHeaders: { Authorization: 'x' } }],
    });
    expect(withAuth.status).toBe(400);
    const twice = await composite({
      compositeRequest: [query('q', 'SELECT Id FROM Lead'), query('q', 'SELECT Id FROM Lead')],
    });
    expect(twice.status).toBe(400);
  });

  it('allOrNone rolls every subrequest back when one fails; without it the others stand', async () => {
    const bad = { ...query('bad', 'SELECT Nope__c FROM Lead') };
    const rolled = await composite({ allOrNone: true, compositeRequest: [patch('w', leads, ben), bad] });
    expect(results(rolled.json).map((r) => r.httpStatusCode)).toEqual([400, 400]);
    expect(leads.every((id) => org.record('Lead', id)?.OwnerId === ana)).toBe(true);
    const kept = await composite({ compositeRequest: [patch('w', leads, ben), bad] });
    expect(results(kept.json).map((r) => r.httpStatusCode)).toEqual([200, 400]);
    expect(leads.every((id) => org.record('Lead', id)?.OwnerId === ben)).toBe(true);
  });

  it('resolves @{reference} to an earlier result, and halts a subrequest whose reference failed', async () => {
    const { json } = await composite({
      compositeRequest: [
        query('first', `SELECT Id FROM Lead WHERE Id = '${leads[0]}'`),
        {
          method: 'GET',
          url: `/services/data/v${V}/sobjects/Lead/@{first.records[0].Id}?fields=OwnerId`,
          referenceId: 'byRef',
        },
        query('bad', 'SELECT Nope__c FROM Lead'),
        {
          method: 'GET',
          url: `/services/data/v${V}/sobjects/Lead/@{bad.records[0].Id}`,
          referenceId: 'halted',
        },
      ],
    });
    const [, byRef, , halted] = results(json);
    expect(byRef?.httpStatusCode).toBe(200);
    expect(byRef?.body).toMatchObject({ OwnerId: ana });
    expect(halted?.httpStatusCode).toBe(400);
    expect(halted?.body).toEqual([expect.objectContaining({ errorCode: 'PROCESSING_HALTED' })]);
  });
});
