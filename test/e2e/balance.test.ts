import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resultOf } from '../support/envelope.js';
import { assertBuilt, DEMO, leadshift, makeTempDir, removeTempDirs, show } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

it('balance: load evens out the open records of the members, counting what they already have', async () => {
  const cwd = await makeTempDir();
  for (const file of ['leads.csv', 'users.csv']) await copyFile(join(DEMO, file), join(cwd, file));
  await writeFile(
    join(cwd, 'job.yml'),
    `object: Lead
from: csv:leads.csv
users: users.csv
select:
  inactiveOwners: true
rules:
  - assign: { roundRobin: [ben@acme.com, carla@acme.com, ines@acme.com], balance: load }
`,
  );
  const result = await leadshift(cwd, ['plan', '--job', 'job.yml', '--home', 'home', '--json']);
  expect(result.code, show(result)).toBe(0);
  const plan = resultOf<{
    receivers: Array<{ owner: string; before: number; received: number; after: number }>;
  }>(result.stdout);
  const before = plan.receivers.map((r) => r.before);
  const after = plan.receivers.map((r) => r.after);
  // The members start unequal, so an even split of the new records would keep them unequal.
  expect(Math.max(...before) - Math.min(...before)).toBeGreaterThan(1);
  expect(Math.max(...after) - Math.min(...after)).toBeLessThanOrEqual(1);
});
