import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { type SalesforceClient, SalesforceError } from '../../src/salesforce/index.js';
import { collect, connect, type Harness, startOrg, tuned } from './helpers.js';

let h: Harness;
let client: SalesforceClient;
const LEADS = 10_500;

beforeAll(async () => {
  h = await startOrg();
  client = await connect(h);
  const leads = Array.from({ length: LEADS }, (_, i) => ({ LastName: `L${i}`, Company: 'Acme' }));
  await h.org.insert('Lead', leads);
});
afterAll(async () => {
  await h.org.close();
});

const queryRequests = () => h.org.requests.filter((r) => r.path.includes('/query'));

describe('query (REST, paged by hand)', () => {
  it('follows nextRecordsUrl past 2,000 and past 10,000 records (autoFetch stops at 10,000)', async () => {
    h.org.resetRequests();
    const { pages, rows } = await collect(client.query('SELECT Id, OwnerId FROM Lead'));
    expect(rows).toHaveLength(LEADS);
    expect(new Set(rows.map((r) => r.id)).size).toBe(LEADS);
    expect(pages).toBe(Math.ceil(LEADS / 2000));
    expect(queryRequests().every((r) => r.headers['sforce-query-options'] === 'batchSize=2000')).toBe(true);
    expect(client.calls.count('queryMore')).toBeGreaterThanOrEqual(5);
  });

  it('flattens records to lower-cased dotted keys, with null parents giving null fields', async () => {
    const [accountId = ''] = await h.org.insert('Account', [{ Name: 'Parent' }]);
    await h.org.insert('Contact', [
      { LastName: 'WithAccount', AccountId: accountId },
      { LastName: 'Orphan' },
    ]);
    const { rows } = await collect(
      client.query('SELECT Id, LastName, Owner.IsActive, Account.OwnerId FROM Contact ORDER BY LastName'),
    );
    expect(rows[0]).toEqual({
      id: rows[0]?.id,
      lastname: 'Orphan',
      'owner.isactive': true,
      'account.ownerid': null,
    });
    expect(rows[1]?.['account.ownerid']).toMatch(/^005/);
    expect(Object.keys(rows[1] ?? {})).not.toContain('attributes');
  });

  it('retries a 503 on a query page itself (jsforce transport retries are off)', async () => {
    h.org.faults.failRequests({ method: 'GET', pathIncludes: '/query/' }, 503, 1);
    h.waits.length = 0;
    const { rows } = await collect(client.query('SELECT Id FROM Lead'));
    expect(rows).toHaveLength(LEADS);
    expect(h.waits).toEqual([1000]);
  });

  it('counts and aggregates', async () => {
    expect(await client.count('SELECT COUNT() FROM Lead')).toBe(LEADS);
    const groups = await client.aggregate('SELECT OwnerId, COUNT(Id) n FROM Lead GROUP BY OwnerId');
    expect(groups).toHaveLength(1);
    expect(groups[0]?.n).toBe(LEADS);
  });

  it('surfaces an aggregate over 2,000 groups clearly', async () => {
    const error = await client
      .aggregate('SELECT LastName, COUNT(Id) FROM Lead GROUP BY LastName')
      .catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(String(error)).toMatch(/more than 2000 groups/);
  });

  it('turns an unknown field into an input error naming the SOQL', async () => {
    const soql = 'SELECT Id, Nope__c FROM Lead';
    const error = await collect(client.query(soql)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain(soql);
    expect(String(error)).toContain('INVALID_FIELD');
  });
});

describe('bulkQuery (Bulk API 2.0, paged by hand)', () => {
  it('reads every result page following Sforce-Locator', async () => {
    const paged = await connect(h, { tuning: tuned(h, { bulkQueryPageSize: 4000 }) });
    h.org.resetRequests();
    const { pages, rows } = await collect(paged.bulkQuery('SELECT Id, OwnerId, Owner.IsActive FROM Lead'));
    expect(rows).toHaveLength(LEADS);
    expect(pages).toBe(3);
    expect(rows[0]).toMatchObject({ id: expect.stringMatching(/^00Q/), 'owner.isactive': 'true' });
    const results = h.org.requests.filter((r) => r.path.endsWith('/results'));
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.query.maxRecords)).toEqual(['4000', '4000', '4000']);
    expect(results[0]?.query.locator).toBeUndefined();
    expect(results[1]?.query.locator).toBeTruthy();
  });

  it('maps a bad query to an input error', async () => {
    const error = await collect(client.bulkQuery('SELECT Bogus FROM Lead')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
  });
});
