import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SalesforceClient } from '../../src/salesforce/index.js';
import { historyObjectOf } from '../../src/salesforce/owner-history.js';
import { connect, type Harness, startOrg } from './helpers.js';

let h: Harness;
let client: SalesforceClient;
let other: string;
let target: string;

beforeEach(async () => {
  h = await startOrg();
  client = await connect(h);
  [other = '', target = ''] = h.org.insert('User', [
    { LastName: 'Other', Username: 'other@example.com', IsActive: true },
    { LastName: 'Target', Username: 'target@example.com', IsActive: true },
  ]);
});
afterEach(async () => {
  await h.org.close();
});

describe('owner changes by other users, from field history', () => {
  it('reads who moved which record to whom since a time, leaving out the running user and the name rows', async () => {
    const [mine = '', theirs = ''] = h.org.insert('Lead', [
      { LastName: 'A', Company: 'Acme' },
      { LastName: 'B', Company: 'Acme' },
    ]);
    const since = h.org.now().toISOString();
    h.org.editAs(h.org.userId, 'Lead', mine, { OwnerId: target });
    h.org.editAs(other, 'Lead', theirs, { OwnerId: target });
    const changes = await client.ownerChangesByOthers('Lead', since, h.org.userId);
    expect([...(changes?.keys() ?? [])]).toEqual([theirs]);
    expect(changes?.get(theirs)).toEqual([expect.objectContaining({ id: theirs, by: other, to: target })]);
  });

  it("Opportunity's history is OpportunityFieldHistory", async () => {
    expect(historyObjectOf('Opportunity')).toEqual({
      history: 'OpportunityFieldHistory',
      parentField: 'OpportunityId',
    });
    const [account = ''] = h.org.insert('Account', [{ Name: 'Acme' }]);
    const [opportunity = ''] = h.org.insert('Opportunity', [
      { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2027-01-31', AccountId: account },
    ]);
    const since = h.org.now().toISOString();
    h.org.editAs(other, 'Opportunity', opportunity, { OwnerId: target });
    const changes = await client.ownerChangesByOthers('Opportunity', since, h.org.userId);
    expect(changes?.get(opportunity)?.[0]).toMatchObject({ by: other, to: target });
  });

  it('an object without owner history answers undefined, not an error', async () => {
    expect(historyObjectOf('Widget__c')).toEqual({ history: 'Widget__History', parentField: 'ParentId' });
    await expect(
      client.ownerChangesByOthers('Widget__c', h.org.now().toISOString(), h.org.userId),
    ).resolves.toBeUndefined();
  });
});
