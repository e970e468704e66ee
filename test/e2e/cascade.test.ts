import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId } from '../../bench/data.js';
import { TestOrg } from '../org/index.js';
import { assertBuilt, leadshift, makeTempDir, parseCsv, removeTempDirs, show } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

const ana = makeId('005', 1);
const ben = makeId('005', 2);
const cat = makeId('005', 3);
const acme = makeId('001', 1);
const beta = makeId('001', 2);

async function runDir(cwd: string): Promise<string> {
  const runs = join(cwd, 'home', 'runs');
  const [name] = (await readdir(runs)).filter((n) => !n.startsWith('.'));
  return join(runs, name as string);
}

async function rows(path: string): Promise<Record<string, string>[]> {
  const [header = [], ...body] = parseCsv(await readFile(path, 'utf8'));
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

describe('account cascade', () => {
  it("moves the old owner's contacts and open opportunities with the account, on CSV", async () => {
    const cwd = await makeTempDir();
    await writeFile(
      join(cwd, 'users.csv'),
      `Id,Username,IsActive\n${ana},ana@x.com,false\n${ben},ben@x.com,true\n${cat},cat@x.com,true\n`,
    );
    await writeFile(join(cwd, 'accounts.csv'), `Id,OwnerId,Name\n${acme},${ana},Acme\n${beta},${cat},Beta\n`);
    const contacts = [makeId('003', 1), makeId('003', 2), makeId('003', 3)];
    // Contact 2 belongs to someone else; contact 3 sits under an account that does not move.
    await writeFile(
      join(cwd, 'contacts.csv'),
      `Id,OwnerId,AccountId\n${contacts[0]},${ana},${acme}\n${contacts[1]},${cat},${acme}\n${contacts[2]},${ana},${beta}\n`,
    );
    const opportunities = [makeId('006', 1), makeId('006', 2)];
    await writeFile(
      join(cwd, 'opps.csv'),
      `Id,OwnerId,AccountId,IsClosed\n${opportunities[0]},${ana},${acme},false\n${opportunities[1]},${ana},${acme},true\n`,
    );
    const args = [
      'run',
      '--home',
      'home',
      '--object',
      'Account',
      '--from',
      'csv:accounts.csv',
      '--users',
      'users.csv',
      '--inactive-owners',
      '--to',
      'ben@x.com',
    ];
    const cascade = [
      '--cascade',
      'Contact',
      '--cascade',
      'Opportunity',
      '--contacts',
      'contacts.csv',
      '--opportunities',
      'opps.csv',
      '--yes',
    ];
    const result = await leadshift(cwd, [...args, ...cascade]);
    expect(result.code, show(result)).toBe(0);
    const dir = await runDir(cwd);
    const plan = await rows(join(dir, 'plan.csv'));
    expect(plan.map((r) => [r.Object, r.Id, r.NewOwnerId])).toEqual([
      ['Account', acme, ben],
      ['Contact', contacts[0], ben],
      ['Opportunity', opportunities[0], ben],
    ]);
    expect(await rows(join(dir, 'update.csv'))).toEqual([{ Id: acme, OwnerId: ben }]);
    expect(await rows(join(dir, 'update-Contact.csv'))).toEqual([{ Id: contacts[0], OwnerId: ben }]);
    expect(await rows(join(dir, 'update-Opportunity.csv'))).toEqual([{ Id: opportunities[0], OwnerId: ben }]);
    expect(result.stdout).toMatch(/\(with its account\): Contact/);

    // Undo covers every object of the run, each into its own upload file; the old owner is inactive, so
    // --to gives the records to cat instead.
    const undoPlan = await rows(join(dir, 'undo.csv'));
    expect(undoPlan.map((r) => [r.Object, r.Id, r.NewOwnerId])).toEqual([
      ['Account', acme, ana],
      ['Contact', contacts[0], ana],
      ['Opportunity', opportunities[0], ana],
    ]);
    const undone = await leadshift(cwd, [
      'undo',
      dir,
      '--home',
      'home',
      '--yes',
      '--to',
      'cat@x.com',
      '--json',
    ]);
    expect(undone.code, show(undone)).toBe(0);
    const undoDir = (JSON.parse(undone.stdout) as { result: { runDir: string } }).result.runDir;
    expect(await rows(join(undoDir, 'update.csv'))).toEqual([{ Id: acme, OwnerId: cat }]);
    expect(await rows(join(undoDir, 'update-Contact.csv'))).toEqual([{ Id: contacts[0], OwnerId: cat }]);
    expect(await rows(join(undoDir, 'update-Opportunity.csv'))).toEqual([
      { Id: opportunities[0], OwnerId: cat },
    ]);
    expect((await rows(join(undoDir, 'plan.csv'))).map((r) => r.Object)).toEqual([
      'Account',
      'Contact',
      'Opportunity',
    ]);
  });

  it('moves them in the org too, each object through its own endpoint', async () => {
    const org = await TestOrg.start();
    try {
      const [inactive, active] = org.insert('User', [
        { Username: 'ana@x.com', LastName: 'Ana', IsActive: false },
        { Username: 'ben@x.com', LastName: 'Ben', IsActive: true },
      ]) as [string, string];
      const [account] = org.insert('Account', [{ Name: 'Acme', OwnerId: inactive }]) as [string];
      const [contact] = org.insert('Contact', [{ LastName: 'C', AccountId: account, OwnerId: inactive }]) as [
        string,
      ];
      const [open, closed] = org.insert('Opportunity', [
        {
          Name: 'Open',
          StageName: 'Prospecting',
          CloseDate: '2026-12-31',
          AccountId: account,
          OwnerId: inactive,
          IsClosed: false,
        },
        {
          Name: 'Won',
          StageName: 'Closed Won',
          CloseDate: '2026-01-31',
          AccountId: account,
          OwnerId: inactive,
          IsClosed: true,
        },
      ]) as [string, string];
      const cwd = await makeTempDir();
      const env = {
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.issueAccessToken(),
        SF_API_VERSION: '62.0',
      };
      const args = [
        'run',
        '--home',
        'home',
        '--object',
        'Account',
        '--from',
        'salesforce',
        '--inactive-owners',
        '--to',
        'ben@x.com',
        '--cascade',
        'Contact',
        '--cascade',
        'Opportunity',
        '--yes',
      ];
      const result = await leadshift(cwd, args, env);
      expect(result.code, show(result)).toBe(0);
      expect(org.record('Account', account)?.OwnerId).toBe(active);
      expect(org.record('Contact', contact)?.OwnerId).toBe(active);
      expect(org.record('Opportunity', open)?.OwnerId).toBe(active);
      expect(org.record('Opportunity', closed)?.OwnerId).toBe(inactive);

      // Undo reads and writes each object at its own endpoint, back to the inactive owner, since the
      // running user may assign inactive owners here.
      org.grantPermission('PermissionsUpdateWithInactiveOwner');
      const dir = join(cwd, 'home', 'runs', (await readdir(join(cwd, 'home', 'runs')))[0] ?? '');
      const undone = await leadshift(cwd, ['undo', dir, '--home', 'home', '--yes', '--json'], env);
      expect(undone.code, show(undone)).toBe(0);
      expect((JSON.parse(undone.stdout) as { result: { counts: unknown } }).result.counts).toMatchObject({
        updated: 3,
        skipped: 0,
      });
      expect(org.record('Account', account)?.OwnerId).toBe(inactive);
      expect(org.record('Contact', contact)?.OwnerId).toBe(inactive);
      expect(org.record('Opportunity', open)?.OwnerId).toBe(inactive);
    } finally {
      await org.close();
    }
  });
});
