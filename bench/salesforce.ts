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

export async function salesforceScenario(
  count: number,
  bin: string,
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  for (const api of ['rest', 'bulk'] as const) {
    const { org, inactive, active } = await seededOrg(count);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'leadshift-bench-'));
      writeFileSync(
        join(dir, 'map.csv'),
        `from,to\n${inactive.map((u, i) => `${u.username},${active[i]?.username}`).join('\n')}\n`,
      );
      org.resetRequests();
      const env = {
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.issueAccessToken(),
        SF_API_VERSION: '62.0',
      };
      const run = await measure(
        process.execPath,
        [
          bin,
          'run',
          '--from',
          'salesforce',
          '--inactive-owners',
          '--map',
          'map.csv',
          '--api',
          api,
          '--yes',
          '--home',
          'home',
          '--json',
        ],
        { cwd: dir, env },
      );
      if (run.code !== 0) throw new Error(`leadshift run (${api}) failed:\n${run.stderr}`);
      const moved = org.records('Lead').filter((lead) => active.some((u) => u.id === lead.OwnerId)).length;
      const calls = callsByKind(org.requests);
      const total = Object.values(calls).reduce((a, b) => a + b, 0);
      const bytes = org.requests.reduce((n, r) => n + Buffer.byteLength(r.body), 0);
      results[api] = { seconds: run.seconds, calls, total, bytesSent: bytes, moved };
      rows.push(
        {
          scenario: `Salesforce ${api}`,
          measure: `${count.toLocaleString('en-US')} leads moved`,
          value: `${moved.toLocaleString('en-US')} in ${run.seconds.toFixed(1)} s, ${Math.round(bytes / 1024).toLocaleString('en-US')} KB sent`,
        },
        {
          scenario: `Salesforce ${api}`,
          measure: 'API calls',
          value: `${total} (${Object.entries(calls)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`,
          // REST writes 200 records a request: only the Bulk run can meet the 20-call target.
          ...(api === 'bulk' ? { target: '≤ 20', met: total <= 20 } : {}),
        },
      );
    } finally {
      await org.close();
    }
  }
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
