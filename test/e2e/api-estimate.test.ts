import { afterAll, beforeAll, expect, it } from 'vitest';
import { estimateCalls } from '../../src/sinks/write-api.js';
import { TestOrg } from '../org/index.js';
import { assertBuilt, leadshift, makeTempDir, removeTempDirs, show } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

const LEADS = 400;

/**
 * `limits.maxApiShare` is checked against the estimate: it must be the number of requests the write
 * really sends. The test org counts every request that Salesforce would count against the daily limit.
 */
it.each([
  { api: 'rest' as const, batchSize: 50 },
  { api: 'rest' as const, batchSize: 200 },
  { api: 'bulk' as const, batchSize: 200 },
])(
  'the API estimate equals the requests an apply sends ($api, batch size $batchSize)',
  async ({ api, batchSize }) => {
    const org = await TestOrg.start({ bulkDelayMs: 10 });
    try {
      const [ana] = org.insert('User', [
        { Username: 'ana@x.com', LastName: 'Ana', IsActive: false },
        { Username: 'ben@x.com', LastName: 'Ben', IsActive: true },
      ]) as [string, string];
      org.insert(
        'Lead',
        Array.from({ length: LEADS }, (_, i) => ({ LastName: `L${i}`, Company: 'C', OwnerId: ana })),
      );
      const cwd = await makeTempDir();
      const env = {
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.issueAccessToken(),
        SF_API_VERSION: '62.0',
      };
      const select = ['--from', 'salesforce', '--inactive-owners', '--to', 'ben@x.com'];
      const write = ['--api', api, '--batch-size', String(batchSize), '--home', 'home'];
      const planned = await leadshift(cwd, ['plan', ...select, ...write, '--out', 'review'], env);
      expect(planned.code, show(planned)).toBe(0);
      const before = org.apiCallCount();
      const applied = await leadshift(cwd, ['apply', 'review', '--home', 'home'], env);
      expect(applied.code, show(applied)).toBe(0);
      const sent = org.apiCallCount() - before;
      // Apply reads the day's allowance once (GET /limits) before it writes anything.
      const estimate = estimateCalls(LEADS, { api, batchSize });
      expect({ api, batchSize, sent: sent - 1 }).toEqual({ api, batchSize, sent: estimate });
    } finally {
      await org.close();
    }
  },
);
