import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../src/config/job.js';
import { loadJobFile } from '../../src/config/load-job.js';
import { makeTempDir, SPEC_EXAMPLE, type TempDir } from './job-files.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.remove());

describe('loadJobFile', () => {
  it('resolves the example job to the full job', async () => {
    const file = await temp.write('daily.yml', SPEC_EXAMPLE);
    const job = await loadJobFile(file);
    const expected: JobSpec = {
      object: 'Lead',
      source: { kind: 'salesforce' },
      select: {
        inactiveOwners: true,
        owners: [],
        exclude: {
          text: 'Exclude_From_Reassignment__c = true',
          place: { file, line: 5, key: 'select.exclude' },
        },
      },
      rules: [
        {
          assign: { strategy: 'map', map: join(temp.dir, 'mappings/departed-reps.csv') },
          place: { file, line: 7 },
        },
        {
          name: 'DACH',
          when: { text: "Country IN ('DE','AT','CH')", place: { file, line: 9, key: 'rules[1].when' } },
          assign: {
            strategy: 'roundRobin',
            roundRobin: ['anna@acme.com', 'ben@acme.com'],
            weights: [2, 1],
            balance: 'load',
            capacity: 200,
          },
          place: { file, line: 8 },
        },
        { assign: { strategy: 'queue', queue: 'Unassigned_Leads' }, place: { file, line: 11 } },
      ],
      write: { api: 'auto', batchSize: 200, stamp: { Reassignment_Reason__c: '{rule}' }, cascade: [] },
      limits: { maxChanges: 5000, maxApiShare: 0.5 },
      jobFile: join(temp.dir, 'daily.yml'),
    };
    expect(job).toEqual(expected);
  });

  it('takes relative paths from the job file folder, not the working directory', async () => {
    const file = await temp.write(
      'csv.yml',
      [
        'from: csv:exports/leads.csv',
        'users: exports/users.csv',
        'queues: ../queues.csv',
        `accounts: ${join(temp.dir, 'abs/accounts.csv')}`,
        'select: { owners: ana@acme.com }',
        'rules: [{ assign: { user: ben@acme.com } }]',
      ].join('\n'),
    );
    const job = await loadJobFile(file);
    expect(job.source).toEqual({ kind: 'csv', path: join(temp.dir, 'exports/leads.csv') });
    expect(job.users).toBe(join(temp.dir, 'exports/users.csv'));
    expect(job.queues).toBe(resolve(temp.dir, '../queues.csv'));
    expect(job.accounts).toBe(join(temp.dir, 'abs/accounts.csv'));
    expect(job.select.owners).toEqual(['ana@acme.com']);
  });

  it('fills defaults for a minimal job', async () => {
    const file = await temp.write('min.yml', 'select:\n  where: "CreatedDate < LAST_N_DAYS:30"\n');
    const job = await loadJobFile(file);
    expect(job.object).toBe('Lead');
    expect(job.source).toEqual({ kind: 'salesforce' });
    expect(job.rules).toEqual([]);
    expect(job.write).toEqual({ api: 'auto', batchSize: 200, stamp: {}, cascade: [] });
    expect(job.limits).toEqual({});
    expect(job.select.where).toEqual({
      text: 'CreatedDate < LAST_N_DAYS:30',
      place: { file, line: 2, key: 'select.where' },
    });
  });

  it('accepts every strategy, an account job with cascade, and a lookup field for accountOwner', async () => {
    const file = await temp.write(
      'all.yml',
      [
        'object: account',
        'org: prod',
        'select: { accountOwner: Partner_Account__c, owners: [a@x.com, b@x.com] }',
        'rules:',
        '  - assign: { keep: true }',
        '  - assign: { manager: true }',
        '  - assign: { accountOwner: true }',
        '  - assign: { salesforceRules: 01Q000000000001AAA }',
        '  - assign: { salesforceRules: true }',
        '  - assign: { user: "queue:Hopper" }',
        'write: { api: bulk, batchSize: 10000, cascade: [Contact, Opportunity, Contact] }',
      ].join('\n'),
    );
    const job = await loadJobFile(file);
    expect(job.object).toBe('Account');
    expect(job.org).toBe('prod');
    expect(job.select.accountOwner).toBe('Partner_Account__c');
    expect(job.rules.map((rule) => rule.assign)).toEqual([
      { strategy: 'keep', keep: true },
      { strategy: 'manager', manager: true },
      { strategy: 'accountOwner', accountOwner: true },
      { strategy: 'salesforceRules', salesforceRules: '01Q000000000001AAA' },
      { strategy: 'salesforceRules', salesforceRules: true },
      { strategy: 'user', user: 'queue:Hopper' },
    ]);
    expect(job.write).toMatchObject({ api: 'bulk', batchSize: 10000, cascade: ['Contact', 'Opportunity'] });
  });
});
