/** Scenario 2: a large owner change on the test org, REST-only and Bulk, beside a naive jsforce script. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedRequest, TestOrg } from '../test/org/index.js';
import { measure, type Row } from './measure.js';

const NAIVE = new URL('./naive-jsforce.ts', import.meta.url).pathname;

async function seededOrg(count: number): Promise<{
  org: TestOrg;
  inactive: Array<{ id: string; username: string }>;
  active: Array<{ id: string; username: string }>;
}> {
  const org = await TestOrg.start({ bulkDelayMs: 20 });
  const people = Array.from({ length: 40 }, (_, i) => ({
    Username: `rep${i}@acme.com`,
    Email: `rep${i}@acme.com`,
    LastName: `Rep ${i}`,
    IsActive: i % 2 === 0,
    UserType: 'Standard',
  }));
  const ids = org.insert('User', people);
  const users = people.map((p, i) => ({ id: ids[i] as string, username: p.Username, active: p.IsActive }));
  const inactive = users.filter((u) => !u.active);
  const active = users.filter((u) => u.active);
  const leads = Array.from({ length: count }, (_, i) => ({
    LastName: `Lead ${i}`,
    Company: `Company ${i % 500}`,
    Status: 'Open - Not Contacted',
    OwnerId: inactive[i % inactive.length]?.id,
  }));
  for (let i = 0; i < leads.length; i += 10_000) org.insert('Lead', leads.slice(i, i + 10_000));
  return { org, inactive, active };
}

/**
 * Calls by kind, with the owner reads before and after writing counted apart from the selection: REST
 * reads by Id list, and every Bulk query job after the first (the selection), whose polls and result
 * pages follow it (leadshift runs one query job at a time).
 */
function callsByKind(requests: RecordedRequest[]): Record<string, number> {
  const calls: Record<string, number> = {};
  let bulkQueryJobs = 0;
  for (const request of requests) {
    if (!request.counted) continue;
    let kind = request.kind;
    if (request.kind === 'bulkQuery' && request.method === 'POST') bulkQueryJobs++;
    if (
      (request.kind === 'query' || request.kind === 'queryMore') &&
      /WHERE Id IN/i.test(request.query.q ?? '')
    )
      kind = 'owner checks';
    if (request.kind === 'bulkQuery' && bulkQueryJobs > 1) kind = 'owner checks (bulk query)';
    calls[kind] = (calls[kind] ?? 0) + 1;
  }
  return calls;
}

export interface SalesforceRun {
  api: 'rest' | 'bulk';
  count: number;
}

/** `rest:2000,bulk:100000`: the write API and the number of leads of each run. */
export function parseSalesforceRuns(text: string): SalesforceRun[] {
  return text
    .split(',')
    .filter(Boolean)
    .map((item) => {
      const [api, count] = item.split(':');
      if ((api !== 'rest' && api !== 'bulk') || !Number(count))
        throw new Error(`LEADSHIFT_BENCH_SF_RUNS: "${item}" is not rest:<leads> or bulk:<leads>`);
      return { api, count: Number(count) };
    });
}

const mb = (bytes?: number) => (bytes ? `${Math.round(bytes / 1048576)} MB` : 'n/a');

/** One `leadshift run --yes` on a freshly seeded org; the org lives in this process, not the measured one. */
async function salesforceRun(api: 'rest' | 'bulk', count: number, bin: string) {
  const { org, inactive, active } = await seededOrg(count);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'leadshift-bench-'));
    writeFileSync(
      join(dir, 'map.csv'),
      `from,to\n${inactive.map((u, i) => `${u.username},${active[i]?.username}`).join('\n')}\n`,
    );
    org.resetRequests();
    const env = { SF_INSTANCE_URL: org.url, SF_ACCESS_TOKEN: org.issueAccessToken(), SF_API_VERSION: '62.0' };
    const args = ['run', '--from', 'salesforce', '--inactive-owners', '--map', 'map.csv', '--api', api];
    const run = await measure(process.execPath, [bin, ...args, '--yes', '--home', 'home', '--json'], {
      cwd: dir,
      env,
    });
    if (run.code !== 0) throw new Error(`leadshift run (${api}) failed:\n${run.stderr}`);
    const moved = org.records('Lead').filter((lead) => active.some((u) => u.id === lead.OwnerId)).length;
    const calls = callsByKind(org.requests);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    const bytes = org.requests.reduce((n, r) => (r.counted ? n + Buffer.byteLength(r.body) : n), 0);
    return { seconds: run.seconds, rssBytes: run.rssBytes, calls, total, bytesSent: bytes, moved };
  } finally {
    await org.close();
  }
}

/**
 * The goal for each run: REST writes (composite calls, owner checks included) one call per 200 records
 * at most; Bulk, plan and apply together, 14 calls per 100,000 leads.
 */
function callTarget(api: 'rest' | 'bulk', count: number): { limit: number; label: string } {
  return api === 'rest'
    ? { limit: Math.ceil(count / 200), label: 'composite' }
    : { limit: 14 * Math.ceil(count / 100_000), label: 'all' };
}

export async function salesforceScenario(
  runs: SalesforceRun[],
  bin: string,
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  for (const { api, count } of runs) {
    process.stderr.write(`Salesforce ${api} run at ${count.toLocaleString('en-US')} leads\n`);
    const result = await salesforceRun(api, count, bin);
    results[`${api}:${count}`] = result;
    const scenario = `Salesforce ${api} ${count.toLocaleString('en-US')} leads`;
    const target = callTarget(api, count);
    rows.push(
      {
        scenario,
        measure: 'run --yes (plan + apply)',
        value: `${result.moved.toLocaleString('en-US')} moved in ${result.seconds.toFixed(1)} s, ${mb(result.rssBytes)}, ${Math.round(result.bytesSent / 1024).toLocaleString('en-US')} KB sent`,
        ...(api === 'bulk'
          ? { target: 'RSS ≤ 200 MB', met: (result.rssBytes ?? Infinity) <= 200 * 1048576 }
          : {}),
      },
      {
        scenario,
        measure: 'API calls',
        value: `${result.total} (${Object.entries(result.calls)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
        target: `${target.label} ≤ ${target.limit}`,
        met: (target.label === 'all' ? result.total : (result.calls.composite ?? 0)) <= target.limit,
      },
    );
  }
  return { rows, results };
}

/** A plain jsforce script doing the same change with no checks, for comparison. */
export async function naiveScenario(
  count: number,
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const { org, active } = await seededOrg(count);
  try {
    org.resetRequests();
    const token = org.issueAccessToken();
    const naive = await measure(
      process.execPath,
      [
        '--import',
        'tsx',
        NAIVE,
        org.url,
        token,
        "SELECT Id FROM Lead WHERE Owner.IsActive = false AND Owner.Type = 'User'",
        active[0]?.id ?? '',
      ],
      { cwd: join(import.meta.dirname, '..') },
    );
    if (naive.code !== 0) throw new Error(`naive script failed:\n${naive.stderr}`);
    const calls = callsByKind(org.requests);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    const bytes = org.requests.reduce((n, r) => n + Buffer.byteLength(r.body), 0);
    results.naive = { seconds: naive.seconds, calls, total, bytesSent: bytes };
    rows.push({
      scenario: 'Naive jsforce',
      measure: 'query autoFetch + update in 200s',
      value: `${total} calls (${Object.entries(calls)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}), ${naive.seconds.toFixed(1)} s, ${Math.round(bytes / 1024).toLocaleString('en-US')} KB sent, no owner checks`,
    });
  } finally {
    await org.close();
  }
  return { rows, results };
}

/** How an offboarding's records are spread over the objects, per 20 records (Account cascades none here). */
const OFFBOARD_SHARE: Array<[string, number, (i: number) => Record<string, unknown>]> = [
  ['Account', 1, (i) => ({ Name: `Account ${i}` })],
  ['Lead', 7, (i) => ({ LastName: `Lead ${i}`, Company: 'Acme', Status: 'Open - Not Contacted' })],
  ['Contact', 3, (i) => ({ LastName: `Contact ${i}` })],
  ['Opportunity', 3, (i) => ({ Name: `Deal ${i}`, StageName: 'Prospecting', CloseDate: '2030-01-31' })],
  ['Case', 2, (i) => ({ Subject: `Case ${i}`, Status: 'New' })],
  ['Task', 3, (i) => ({ Subject: `Call ${i}`, Status: 'Not Started' })],
  [
    'Event',
    1,
    (i) => ({
      Subject: `Meeting ${i}`,
      StartDateTime: '2030-01-01T10:00:00Z',
      EndDateTime: '2030-01-01T11:00:00Z',
    }),
  ],
];

/** `leadshift offboard <person> --to X --yes` of `count` open records over the seven objects. */
export async function offboardScenario(
  count: number,
  bin: string,
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  process.stderr.write(`Salesforce offboarding of ${count.toLocaleString('en-US')} records\n`);
  const org = await TestOrg.start({ bulkDelayMs: 20 });
  try {
    const [gone = '', successor = ''] = org.insert('User', [
      {
        Username: 'gone@acme.com',
        Email: 'gone@acme.com',
        LastName: 'Gone',
        IsActive: false,
        UserType: 'Standard',
      },
      {
        Username: 'next@acme.com',
        Email: 'next@acme.com',
        LastName: 'Next',
        IsActive: true,
        UserType: 'Standard',
      },
    ]);
    const perObject: Record<string, number> = {};
    for (const [object, share, fields] of OFFBOARD_SHARE) {
      const n = Math.round((count * share) / 20);
      perObject[object] = n;
      for (let i = 0; i < n; i += 10_000)
        org.insert(
          object,
          Array.from({ length: Math.min(10_000, n - i) }, (_, k) => ({ ...fields(i + k), OwnerId: gone })),
        );
    }
    const dir = mkdtempSync(join(tmpdir(), 'leadshift-bench-'));
    org.resetRequests();
    const env = { SF_INSTANCE_URL: org.url, SF_ACCESS_TOKEN: org.issueAccessToken(), SF_API_VERSION: '62.0' };
    const run = await measure(
      process.execPath,
      [bin, 'offboard', 'gone@acme.com', '--to', 'next@acme.com', '--yes', '--home', 'home', '--json'],
      { cwd: dir, env },
    );
    if (run.code !== 0) throw new Error(`leadshift offboard failed:\n${run.stderr}`);
    const moved = OFFBOARD_SHARE.reduce(
      (sum, [object]) => sum + org.records(object).filter((r) => r.OwnerId === successor).length,
      0,
    );
    const calls = callsByKind(org.requests);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    const results = { seconds: run.seconds, rssBytes: run.rssBytes, calls, total, moved, perObject };
    const scenario = `Salesforce offboarding ${count.toLocaleString('en-US')} records, 7 objects`;
    return {
      results,
      rows: [
        {
          scenario,
          measure: 'offboard --yes (plan + apply)',
          value: `${moved.toLocaleString('en-US')} moved in ${run.seconds.toFixed(1)} s, ${mb(run.rssBytes)}`,
        },
        {
          scenario,
          measure: 'API calls',
          value: `${total} (${Object.entries(calls)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`,
        },
      ],
    };
  } finally {
    await org.close();
  }
}
