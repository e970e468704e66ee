import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestOrg } from '../org/index.js';
import { assertBuilt, leadshift, makeTempDir, removeTempDirs, show } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

it('write.batchSize sets the records per REST request (at most the API’s 200)', async () => {
  const org = await TestOrg.start();
  try {
    const [ana] = org.insert('User', [
      { Username: 'ana@x.com', LastName: 'Ana', IsActive: false },
      { Username: 'ben@x.com', LastName: 'Ben', IsActive: true },
    ]) as [string, string];
    org.insert(
      'Lead',
      Array.from({ length: 120 }, (_, i) => ({ LastName: `L${i}`, Company: 'C', OwnerId: ana })),
    );
    const cwd = await makeTempDir();
    const env = { SF_INSTANCE_URL: org.url, SF_ACCESS_TOKEN: org.issueAccessToken(), SF_API_VERSION: '62.0' };
    const args = [
      'run',
      '--from',
      'salesforce',
      '--inactive-owners',
      '--to',
      'ben@x.com',
      '--api',
      'rest',
      '--batch-size',
      '50',
      '--yes',
      '--home',
      'home',
    ];
    const result = await leadshift(cwd, args, env);
    expect(result.code, show(result)).toBe(0);
    const sizes = org.requests
      .filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'))
      .map((r) => (JSON.parse(r.body) as { records: unknown[] }).records.length);
    expect(sizes).toEqual([50, 50, 20]);
  } finally {
    await org.close();
  }
});
