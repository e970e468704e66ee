import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestOrg } from '../org/index.js';
import { assertBuilt, leadshift, listTree, makeTempDir, removeTempDirs, show } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

async function world(stamp: string) {
  const org = await TestOrg.start();
  org.defineFields('Lead', ['Reassignment_Reason__c:string']);
  const [ana, ben] = org.insert('User', [
    { Username: 'ana@x.com', LastName: 'Ana', IsActive: false },
    { Username: 'ben@x.com', LastName: 'Ben', IsActive: true },
  ]) as [string, string];
  const leads = org.insert('Lead', [
    { LastName: 'One', Company: 'A', OwnerId: ana },
    { LastName: 'Two', Company: 'B', OwnerId: ana },
  ]);
  const cwd = await makeTempDir();
  await writeFile(
    join(cwd, 'job.yml'),
    `from: salesforce
select: { inactiveOwners: true }
rules:
  - name: departed
    assign: { user: ben@x.com }
write:
  stamp: { ${stamp}: "{rule} {oldOwner} to {newOwner}" }
`,
  );
  const env = { SF_INSTANCE_URL: org.url, SF_ACCESS_TOKEN: org.issueAccessToken(), SF_API_VERSION: '62.0' };
  return { org, cwd, env, ben, leads };
}

describe.concurrent('stamps on Salesforce', () => {
  it('are written with the owner change', async () => {
    const { org, cwd, env, ben, leads } = await world('Reassignment_Reason__c');
    try {
      const result = await leadshift(cwd, ['run', '--job', 'job.yml', '--yes', '--home', 'home'], env);
      expect(result.code, show(result)).toBe(0);
      for (const id of leads) {
        expect(org.record('Lead', id)).toMatchObject({
          OwnerId: ben,
          Reassignment_Reason__c: 'departed ana@x.com to ben@x.com',
        });
      }
    } finally {
      await org.close();
    }
  });

  it('naming a field the object does not have is bad input, found before anything is written', async () => {
    const { org, cwd, env } = await world('No_Such_Field__c');
    try {
      const before = await listTree(cwd);
      const result = await leadshift(cwd, ['run', '--job', 'job.yml', '--yes', '--home', 'home'], env);
      expect(result.code, show(result)).toBe(2);
      expect(result.stderr).toMatch(
        /job\.yml, key write\.stamp\.No_Such_Field__c: Lead has no field "No_Such_Field__c"/,
      );
      expect(await listTree(cwd)).toEqual(before);
      expect(org.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    } finally {
      await org.close();
    }
  });
});
