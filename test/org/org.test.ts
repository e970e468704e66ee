import { createSign } from 'node:crypto';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestOrg, to18 } from './index.js';

const V = '62.0';
let org: TestOrg;
let ben: string;
let cara: string;
let gone: string;
let queue: string;
let account: string;

function jwt(claims: Record<string, unknown>, key: string): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key, 'base64url')}`;
}

type Save = { success: boolean; errors: unknown[] } | undefined;
const codeOf = (r: Save): string | undefined =>
  (r?.errors[0] as { statusCode?: string } | undefined)?.statusCode;

function tokenConn(): Connection {
  return new Connection({ instanceUrl: org.url, accessToken: org.issueAccessToken(), version: V });
}

function oauthConn(): Connection {
  const { clientId, clientSecret } = org.credentials;
  return new Connection({
    loginUrl: org.url,
    version: V,
    oauth2: { clientId, clientSecret, loginUrl: org.url },
  });
}

async function rejection(p: PromiseLike<unknown>): Promise<Error & { errorCode?: string; name: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { errorCode?: string };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  org = await TestOrg.start({ bulkDelayMs: 20 });
  [ben = '', cara = '', gone = ''] = org.insert('User', [
    { FirstName: 'Ben', LastName: 'Ito', Username: 'ben@acme.test', Email: 'ben@acme.test', IsActive: true },
    {
      FirstName: 'Cara',
      LastName: 'Diaz',
      Username: 'cara@acme.test',
      Email: 'cara@acme.test',
      IsActive: true,
    },
    {
      FirstName: 'Gus',
      LastName: 'Gone',
      Username: 'gus@acme.test',
      Email: 'gus@acme.test',
      IsActive: false,
    },
  ]);
  org.setField('User', gone, 'ManagerId', cara);
  [queue = ''] = org.insert('Group', [{ Name: 'Hopper', DeveloperName: 'Hopper', Type: 'Queue' }]);
  org.insert('QueueSobject', [{ QueueId: queue, SobjectType: 'Lead' }]);
  [account = ''] = org.insert('Account', [{ Name: 'Acme', OwnerId: ben }]);
});

afterAll(() => org.close());
beforeEach(() => {
  org.setLeadAssignmentRule(undefined);
});

describe('auth', () => {
  it('username-password OAuth flow, and a bad password', async () => {
    const conn = oauthConn();
    const info = await conn.login(
      org.credentials.username,
      org.credentials.password + org.credentials.securityToken,
    );
    expect(info.organizationId).toBe(org.orgId);
    expect(info.id).toBe(org.userId);
    expect(conn.instanceUrl).toBe(org.url);
    expect((await conn.identity()).username).toBe(org.credentials.username);
    const bad = await rejection(oauthConn().login(org.credentials.username, org.credentials.password));
    expect(bad.name).toBe('invalid_grant');
  });

  it('client credentials, JWT bearer and SOAP login', async () => {
    const cc = oauthConn();
    await cc.authorize({ grant_type: 'client_credentials' });
    expect((await cc.query('SELECT COUNT() FROM User')).totalSize).toBe(4);

    const { clientId, privateKeyPem, username } = org.credentials;
    const claims = { iss: clientId, sub: username, aud: org.url, exp: Math.floor(Date.now() / 1000) + 180 };
    const jc = oauthConn();
    await jc.authorize({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: jwt(claims, privateKeyPem),
    });
    expect(jc.userInfo?.id).toBe(org.userId);
    const expired = await rejection(
      oauthConn().authorize({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwt({ ...claims, exp: 1000 }, privateKeyPem),
      }),
    );
    expect(expired.name).toBe('invalid_grant');

    const soap = new Connection({ loginUrl: org.url, version: V });
    await soap.login(username, org.credentials.password + org.credentials.securityToken);
    expect((await soap.query('SELECT Id FROM Organization')).records[0]?.Id).toBe(org.orgId);
  });

  it('refreshes an expired session with a refresh token, and rejects logins on demand', async () => {
    const { clientId, clientSecret } = org.credentials;
    const conn = new Connection({
      instanceUrl: org.url,
      accessToken: org.issueAccessToken(),
      refreshToken: org.issueRefreshToken(),
      version: V,
      oauth2: { clientId, clientSecret, loginUrl: org.url },
    });
    const refreshed: string[] = [];
    conn.on('refresh', (t: string) => refreshed.push(t));
    org.faults.expireSessions();
    expect((await conn.query('SELECT COUNT() FROM Lead')).done).toBe(true);
    expect(refreshed).toHaveLength(1);

    const plain = tokenConn();
    org.faults.expireSessions();
    const err = await rejection(plain.query('SELECT Id FROM Lead'));
    expect(err.errorCode).toBe('INVALID_SESSION_ID');

    org.faults.rejectLogins();
    const denied = await rejection(
      oauthConn().login(org.credentials.username, org.credentials.password + org.credentials.securityToken),
    );
    expect(denied.name).toBe('invalid_grant');
    org.faults.rejectLogins(false);
  });
});

describe('query', () => {
  let leadIds: string[] = [];
  beforeAll(() => {
    leadIds = org.insert(
      'Lead',
      Array.from({ length: 2600 }, (_, i) => ({
        LastName: `Lead${String(i).padStart(4, '0')}`,
        Company: 'Acme',
        Country: i % 2 ? 'DE' : 'US',
        OwnerId: i < 2500 ? gone : i < 2550 ? queue : ben,
        Partner__c: i === 0 ? account : null,
        CreatedDate: new Date(Date.now() - (i % 100) * 86_400_000).toISOString(),
      })),
    );
  });

  it('pages beyond 2000 records with nextRecordsUrl and batchSize', async () => {
    const conn = tokenConn();
    const first = await conn.query('SELECT Id FROM Lead WHERE Owner.IsActive = false');
    expect(first).toMatchObject({ totalSize: 2550, done: false });
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g\w+-2000$/);
    const all = await conn.query('SELECT Id FROM Lead').run({ autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(2600);
    const small = await conn.query('SELECT Id FROM Lead', {
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    } as never);
    expect(small.records).toHaveLength(500);
    expect(org.apiCallCount('queryMore')).toBeGreaterThanOrEqual(1);
  });

  it('relationship fields, polymorphic Owner and null parents', async () => {
    const conn = tokenConn();
    const [c = ''] = org.insert('Contact', [{ LastName: 'Roe', OwnerId: gone, AccountId: account }]);
    const contact = await conn.query(
      `SELECT Id, Owner.ManagerId, Owner.IsActive, Account.OwnerId FROM Contact WHERE Id = '${c}'`,
    );
    expect(contact.records[0]).toMatchObject({
      Owner: { attributes: { type: 'User' }, ManagerId: cara, IsActive: false },
      Account: { OwnerId: ben },
    });
    const lead = await conn.query(
      `SELECT Id, Owner.Type, Owner.Name, Owner.IsActive, Partner__r.OwnerId FROM Lead WHERE Id IN ('${leadIds[0]}', '${leadIds[2520]}') ORDER BY LastName`,
    );
    expect(lead.records[0]).toMatchObject({
      Owner: { attributes: { type: 'Name' }, Type: 'User' },
      Partner__r: { OwnerId: ben },
    });
    expect(lead.records[1]).toMatchObject({
      Owner: { Type: 'Queue', Name: 'Hopper', IsActive: false },
      Partner__r: null,
    });
    const err = await rejection(conn.query('SELECT Owner.ManagerId FROM Lead'));
    expect(err.errorCode).toBe('INVALID_FIELD');
  });

  it('aggregates, COUNT() and filters', async () => {
    const conn = tokenConn();
    const agg = await conn.query('SELECT OwnerId, COUNT(Id) FROM Lead GROUP BY OwnerId ORDER BY OwnerId');
    const byOwner = Object.fromEntries(agg.records.map((r) => [r.OwnerId, r.expr0]));
    expect(byOwner).toEqual({ [gone]: 2500, [queue]: 50, [ben]: 50 });
    expect(agg.records[0]?.attributes).toEqual({ type: 'AggregateResult' });
    const count = (where: string) =>
      conn.query(`SELECT COUNT() FROM Lead WHERE ${where}`).then((r) => r.totalSize);
    expect(await count("Country IN ('DE') AND NOT Owner.Type = 'Queue'")).toBe(1275);
    expect(await count('CreatedDate = LAST_N_DAYS:9')).toBe(260);
    expect(await count('CreatedDate < LAST_N_DAYS:9 AND CreatedDate >= 2000-01-01T00:00:00Z')).toBe(2340);
    expect(await count("LastName LIKE 'lead000%'")).toBe(10);
    expect(await count(`OwnerId NOT IN ('${gone}') AND IsConverted = false`)).toBe(100);
    for (const [soql, code] of [
      ['SELECT Id FROM Leed', 'INVALID_TYPE'],
      ['SELECT Nope__c FROM Lead', 'INVALID_FIELD'],
      ['SELECT Id FROM Lead WHERE', 'MALFORMED_QUERY'],
      ["SELECT Id FROM Lead WHERE OwnerId = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR'],
      ["SELECT Id FROM Lead WHERE IsConverted = 'false'", 'INVALID_FIELD'],
      ['SELECT Id FROM Lead WHERE Country = null AND Company = null OR Name = null', 'MALFORMED_QUERY'],
    ]) {
      expect((await rejection(conn.query(soql ?? ''))).errorCode, soql).toBe(code);
    }
    const ids = Array.from({ length: 700 }, () => `'${leadIds[0]}'`).join(',');
    const long = await fetch(
      `${org.url}/services/data/v${V}/query?q=${encodeURIComponent(`SELECT Id FROM Lead WHERE Id IN (${ids})`)}`,
    );
    expect(long.status).toBe(414);
    expect((await fetch(`${org.url}/services/data/v20.0/limits`)).status).toBe(404);
  });
});

describe('writes', () => {
  it('updates up to 200 records through collections and rejects 201', async () => {
    const conn = tokenConn();
    const ids = org.insert(
      'Contact',
      Array.from({ length: 201 }, (_, i) => ({ LastName: `C${i}`, OwnerId: ben })),
    );
    const res = await conn.sobject('Contact').update(ids.slice(0, 200).map((Id) => ({ Id, OwnerId: cara })));
    expect(res.every((r) => r.success)).toBe(true);
    expect(org.record('Contact', ids[0] ?? '')?.OwnerId).toBe(cara);
    const err = await rejection(conn.sobject('Contact').update(ids.map((Id) => ({ Id, OwnerId: ben }))));
    expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('validates owners and fields like Salesforce', async () => {
    const conn = tokenConn();
    const [l1 = '', l2 = '', l3 = '', l4 = ''] = org.insert('Lead', [
      { LastName: 'A', Company: 'X', OwnerId: ben },
      { LastName: 'B', Company: 'X', OwnerId: ben, IsConverted: true },
      { LastName: 'C', Company: 'X', OwnerId: ben },
      { LastName: 'D', Company: 'X', OwnerId: ben },
    ]);
    org.delete('Lead', l4);
    const [contact = ''] = org.insert('Contact', [{ LastName: 'Q', OwnerId: ben }]);
    const res = await conn.sobject('Lead').update(
      [
        { Id: l1, OwnerId: queue },
        { Id: l2, OwnerId: cara },
        { Id: l3, OwnerId: gone },
        { Id: l4, OwnerId: cara },
        { Id: l3, OwnerId: 'INVALID' },
      ].map((r, i) => (i === 4 ? { ...r, Id: l1.replace('00Q', '00Q').slice(0, 15) } : r)),
      { allOrNone: false, headers: { 'Sforce-Auto-Assign': 'FALSE' } } as never,
    );
    const codes = res.map((r) => (r.success ? 'ok' : codeOf(r)));
    expect(codes).toEqual([
      'DUPLICATE_VALUE',
      'CANNOT_UPDATE_CONVERTED_LEAD',
      'INACTIVE_OWNER_OR_USER',
      'ENTITY_IS_DELETED',
      'DUPLICATE_VALUE',
    ]);
    const queueContact = await conn.sobject('Contact').update([{ Id: contact, OwnerId: queue }]);
    expect(codeOf(queueContact[0])).toBe('MALFORMED_ID');

    const rolled = await conn.sobject('Lead').update(
      [
        { Id: l1, OwnerId: cara },
        { Id: l3, OwnerId: 'INVALID_OWNER' },
      ],
      { allOrNone: true } as never,
    );
    expect(rolled.map((r) => codeOf(r))).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'MALFORMED_ID']);
    expect(org.record('Lead', l1)?.OwnerId).toBe(ben);

    expect((await rejection(conn.sobject('Lead').update([{ Id: l1, Nope__c: 1 }]))).errorCode).toBe(
      'INVALID_FIELD',
    );
    const ro = await conn.sobject('Lead').update([{ Id: l1, IsConverted: false }]);
    expect(codeOf(ro[0])).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    const before = String(org.record('Lead', l1)?.LastModifiedDate);
    await conn
      .sobject('Lead')
      .update({ Id: l1, OwnerId: queue }, { headers: { 'Sforce-Auto-Assign': 'FALSE' } } as never);
    expect(org.record('Lead', l1)).toMatchObject({ OwnerId: queue });
    expect(String(org.record('Lead', l1)?.LastModifiedDate) > before).toBe(true);
    const single = await rejection(conn.sobject('Lead').update({ Id: l3, OwnerId: gone }));
    expect(single.errorCode).toBe('INACTIVE_OWNER_OR_USER');
    const retrieved = await conn.sobject('Lead').retrieve([l1, l3], { fields: ['OwnerId'] });
    expect(retrieved.map((r) => r?.OwnerId)).toEqual([queue, ben]);
  });

  it('runs the lead assignment rule unless Sforce-Auto-Assign is FALSE, and triggers after updates', async () => {
    const conn = tokenConn();
    const [lead = ''] = org.insert('Lead', [{ LastName: 'Rule', Company: 'X', OwnerId: ben }]);
    org.setLeadAssignmentRule({ assign: () => queue });
    await conn.sobject('Lead').update([{ Id: lead, OwnerId: cara }]);
    expect(org.record('Lead', lead)?.OwnerId).toBe(queue);
    await conn
      .sobject('Lead')
      .update([{ Id: lead, OwnerId: cara }], { headers: { 'Sforce-Auto-Assign': 'false' } } as never);
    expect(org.record('Lead', lead)?.OwnerId).toBe(cara);
    const sent = org.requests.filter((r) => r.kind === 'collections').at(-1);
    expect(sent?.headers['sforce-auto-assign']).toBe('false');

    org.addTrigger('Contact', (r) => {
      if (r.LastName === 'Trig') r.OwnerId = ben;
    });
    const [c = ''] = org.insert('Contact', [{ LastName: 'Trig', OwnerId: ben }]);
    const res = await conn.sobject('Contact').update([{ Id: c, OwnerId: cara }]);
    expect(res[0]?.success).toBe(true);
    expect(org.record('Contact', c)?.OwnerId).toBe(ben);
  });
});

describe('Bulk API 2.0', () => {
  it('ingests step by step with failures, #N/A, assignment rule and shuffled results', async () => {
    const conn = tokenConn();
    conn.bulk2.pollInterval = 20;
    const ids = org.insert('Lead', [
      { LastName: 'B1', Company: 'X', OwnerId: ben, Country: 'DE' },
      { LastName: 'B2', Company: 'X', OwnerId: ben, Country: 'DE' },
      { LastName: 'B3', Company: 'X', OwnerId: ben, Country: 'DE' },
    ]);
    org.faults.lockRecords([ids[1] ?? '']);
    const job = conn.bulk2.createJob({ object: 'Lead', operation: 'update' });
    await job.open();
    await job.uploadData(
      `Id,OwnerId,Country\n${ids[0]},${cara},#N/A\n${ids[1]},${cara},\n${ids[2]},${gone},\n`,
    );
    await expect(job.uploadData('Id\n')).rejects.toThrow();
    await job.close();
    await job.poll(20, 5000);
    const info = await job.check();
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 2 });
    const results = await job.getAllResults();
    expect(results.successfulResults.map((r) => r.sf__Id)).toEqual([ids[0]]);
    expect(org.record('Lead', ids[0] ?? '')).toMatchObject({ OwnerId: cara, Country: null });
    const errors = Object.fromEntries(results.failedResults.map((r) => [r.sf__Id, r.sf__Error]));
    expect(errors[ids[1] ?? '']).toMatch(/^UNABLE_TO_LOCK_ROW:.*:--$/);
    expect(errors[ids[2] ?? '']).toMatch(/^INACTIVE_OWNER_OR_USER:/);
    await job.delete();

    org.setLeadAssignmentRule({ assign: () => queue });
    const ruled = conn.bulk2.createJob({
      object: 'Lead',
      operation: 'update',
      assignmentRuleId: org.leadAssignmentRuleId,
    });
    await ruled.open();
    await ruled.uploadData([{ Id: ids[2], Country: 'AT' }]);
    await ruled.close();
    await ruled.poll(20, 5000);
    expect(org.record('Lead', ids[2] ?? '')).toMatchObject({ OwnerId: queue, Country: 'AT' });
    const badRule = conn.bulk2.createJob({
      object: 'Contact',
      operation: 'update',
      assignmentRuleId: org.leadAssignmentRuleId,
    });
    await expect(badRule.open()).rejects.toThrow();
  });

  it('queries with Sforce-Locator pages fetched by hand', async () => {
    const conn = tokenConn();
    org.insert('Account', [
      { Name: 'Pg1', OwnerId: cara },
      { Name: 'Pg2', OwnerId: cara },
      { Name: 'Pg3', OwnerId: cara },
    ]);
    const created = await conn.request<{ id: string; state: string }>({
      method: 'POST',
      url: '/jobs/query',
      body: JSON.stringify({
        operation: 'query',
        query: `SELECT Id, Name, Owner.IsActive FROM Account WHERE OwnerId = '${cara}'`,
      }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(created.state).toBe('UploadComplete');
    let state = created.state;
    while (state !== 'JobComplete') {
      await new Promise((r) => setTimeout(r, 20));
      state = (await conn.request<{ state: string }>(`/jobs/query/${created.id}`)).state;
    }
    const pages: string[] = [];
    let locator: string | null = null;
    do {
      const url: string = `${org.url}/services/data/v${V}/jobs/query/${created.id}/results?maxRecords=2${locator ? `&locator=${locator}` : ''}`;
      const res = await fetch(url, { headers: { Authorization: `Bearer ${conn.accessToken}` } });
      locator = res.headers.get('sforce-locator');
      pages.push(`${res.headers.get('sforce-numberofrecords')}:${await res.text()}`);
    } while (locator && locator !== 'null');
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatch(/^2:"Id","Name","Owner.IsActive"\n"001\w+","Pg1","true"\n/);
    const viaJsforce = await conn.request<Record<string, string>[]>(
      `/jobs/query/${created.id}/results?maxRecords=2`,
    );
    expect(viaJsforce[0]).toMatchObject({ Name: 'Pg1', 'Owner.IsActive': 'true' });
    const agg = await rejection(
      conn.request({
        method: 'POST',
        url: '/jobs/query',
        body: JSON.stringify({ operation: 'query', query: 'SELECT COUNT(Id) FROM Lead' }),
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    expect(agg.errorCode).toBe('API_ERROR');
  });
});

describe('faults and limits', () => {
  it('locks, injected failures, before-write hooks and the API limit', async () => {
    const conn = tokenConn();
    const [a = '', b = ''] = org.insert('Contact', [
      { LastName: 'L1', OwnerId: ben },
      { LastName: 'L2', OwnerId: ben },
    ]);
    org.faults.lockRecords([b], 2);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = await conn.sobject('Contact').update([
        { Id: a, OwnerId: cara },
        { Id: b, OwnerId: cara },
      ]);
      expect(res[1]?.success).toBe(attempt === 3);
    }
    org.faults.failRequests({ method: 'PATCH', pathIncludes: '/composite/sobjects' }, 503);
    const down = await rejection(conn.sobject('Contact').update([{ Id: a, OwnerId: ben }]));
    expect(down.name).toBe('SERVER_UNAVAILABLE');
    org.faults.onBeforeWrite((object, id) => {
      if (id === a) org.setField(object, id, 'LastName', 'Changed');
    });
    await conn.sobject('Contact').update([{ Id: a, OwnerId: ben }]);
    expect(org.record('Contact', a)).toMatchObject({ LastName: 'Changed', OwnerId: ben });

    org.resetRequests();
    await conn.query('SELECT Id FROM Contact LIMIT 1');
    await conn.limits();
    await oauthConn().login(
      org.credentials.username,
      org.credentials.password + org.credentials.securityToken,
    );
    expect(org.apiCallCount()).toBe(2);
    expect(org.apiCallCount('limits')).toBe(1);
    expect(org.requests.some((r) => r.kind === 'token' && !r.counted)).toBe(true);
    org.faults.setApiUsage(99, 100);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 100, Remaining: 0 });
    expect(conn.limitInfo.apiUsage).toEqual({ used: 100, limit: 100 });
    const over = await rejection(conn.query('SELECT Id FROM Contact'));
    expect(over.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    org.faults.setApiUsage(0, 100_000);
    expect(to18(a.slice(0, 15))).toBe(a);
  });
});
