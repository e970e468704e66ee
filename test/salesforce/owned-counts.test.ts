import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCondition } from '../../src/conditions/index.js';
import { InputError } from '../../src/errors.js';
import { toId18 } from '../../src/ids.js';
import type { SalesforceClient } from '../../src/salesforce/index.js';
import { countOwnedInSalesforce, knownSalesforceFields } from '../../src/sources/salesforce-counts.js';
import { connect, type Harness, startOrg } from './helpers.js';

let h: Harness;
let client: SalesforceClient;
let reps: string[] = [];
const now = new Date();
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startOrg();
  client = await connect(h);
  reps = (
    await h.org.insert(
      'User',
      ['a', 'b', 'c'].map((n) => ({ Username: `${n}@acme.com`, LastName: n, IsActive: true })),
    )
  ).map((id) => toId18(id) as string);
  const [a, b] = reps as [string, string];
  const deal = (OwnerId: string, IsClosed: boolean, IsWon: boolean, days: number) => ({
    Name: 'Deal',
    StageName: IsWon ? 'Closed Won' : 'Prospecting',
    CloseDate: daysAgo(days),
    OwnerId,
    IsClosed,
    IsWon,
  });
  await h.org.insert('Opportunity', [
    deal(a, true, true, 10),
    deal(a, true, true, 200),
    deal(a, false, false, 5),
    deal(b, true, true, 30),
    deal(b, false, false, 5),
    deal(b, false, false, 6),
  ]);
});
afterAll(async () => {
  await h.org.close();
});

const place = { file: 'job.yml', line: 4, key: 'rules[0].assign.performance.where' };
const count = (object: string, text: string) =>
  countOwnedInSalesforce(client, { object, where: parseCondition(text, place), place, ownerIds: reps, now });

describe('records per owner, by SOQL aggregate', () => {
  it('counts each owner under the condition, every owner listed, 0 for none', async () => {
    const won = await count('Opportunity', 'IsWon = true AND CloseDate = LAST_N_DAYS:90');
    expect(reps.map((id) => won.get(id))).toEqual([1, 1, 0]);
    const open = await count('Opportunity', 'IsClosed = false');
    expect(reps.map((id) => open.get(id))).toEqual([1, 2, 0]);
    const aggregates = h.org.requests.filter((r) => (r.query.q ?? '').includes('GROUP BY OwnerId'));
    expect(aggregates.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a field the object does not have before querying, at the job key', async () => {
    h.org.resetRequests();
    const error = await count('Opportunity', 'IsWonn = true').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ key: place.key });
    expect(h.org.requests.some((r) => r.path.includes('/query'))).toBe(false);
  });
});

describe('field paths against the describe', () => {
  it('knows plain fields and fields through a lookup, and nothing else', async () => {
    const known = await knownSalesforceFields(client, 'Contact', [
      'MailingCountry',
      'Account.BillingCountry',
      'Account.Owner.Username',
      'Account.Nope',
      'Nope',
      'Owner.Nope',
    ]);
    expect([...known].sort()).toEqual(['account.billingcountry', 'account.owner.username', 'mailingcountry']);
  });
});
