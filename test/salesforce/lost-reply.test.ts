import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SalesforceClient } from '../../src/salesforce/index.js';
import { connect, type Harness, startOrg } from './helpers.js';

let h: Harness;
let client: SalesforceClient;
let leadIds: string[];
let newOwner: string;

beforeEach(async () => {
  h = await startOrg();
  client = await connect(h);
  leadIds = h.org.insert(
    'Lead',
    Array.from({ length: 4 }, (_, i) => ({ LastName: `L${i}`, Company: 'Acme' })),
  );
  [newOwner = ''] = h.org.insert('User', [{ LastName: 'New', Username: 'new@example.com', IsActive: true }]);
});
afterEach(async () => {
  await h.org.close();
});

it('a REST write whose reply was lost is not sent again: owners are read first, and the rows already written count as written', async () => {
  h.org.faults.dropConnections({ method: 'PATCH', when: 'after' }, 1);
  const outcomes = await client.update(
    'Lead',
    leadIds.map((Id) => ({ Id, OwnerId: newOwner })),
    { api: 'rest', assignment: false },
  );
  expect(outcomes.every((o) => o.ok)).toBe(true);
  for (const id of leadIds) {
    const writes = h.org.ownerHistory('Lead', id).filter((r) => r.DataType === 'EntityId');
    expect(writes, id).toHaveLength(1);
  }
  const patches = h.org.requests.filter((r) => r.method === 'PATCH');
  expect(patches).toHaveLength(1);
});

it('a REST write refused with a 503 before Salesforce applied it goes again, once', async () => {
  h.org.faults.failRequests({ method: 'PATCH' }, 503, 1);
  const outcomes = await client.update(
    'Lead',
    leadIds.map((Id) => ({ Id, OwnerId: newOwner })),
    { api: 'rest', assignment: false },
  );
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(h.org.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([503, 200]);
});
