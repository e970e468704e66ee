import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyJob, type JobSpec } from '../../src/config/job.js';
import { loadJobFile } from '../../src/config/load-job.js';
import { type JobFlags, resolveJob } from '../../src/config/merge-flags.js';
import { InputError } from '../../src/errors.js';
import { makeTempDir, SPEC_EXAMPLE, type TempDir } from './job-files.js';

const CWD = '/home/ops/work';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.remove());

function refusal(job: JobSpec | undefined, flags: JobFlags): InputError {
  try {
    resolveJob(job, flags, CWD);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('resolveJob accepted the job');
}

describe('resolveJob without a job file', () => {
  it('builds the one-off transfer from flags alone, with paths from the working directory', () => {
    const job = resolveJob(
      undefined,
      {
        from: 'csv:leads.csv',
        users: 'users.csv',
        owner: ['ana@acme.com'],
        map: ['departed.csv'],
        to: 'ben@acme.com',
      },
      CWD,
    );
    expect(job.source).toEqual({ kind: 'csv', path: join(CWD, 'leads.csv') });
    expect(job.users).toBe(join(CWD, 'users.csv'));
    expect(job.select.owners).toEqual(['ana@acme.com']);
    expect(job.rules).toEqual([
      { assign: { strategy: 'map', map: join(CWD, 'departed.csv') }, place: { key: '--map' } },
      { assign: { strategy: 'user', user: 'ben@acme.com' }, place: { key: '--to' } },
    ]);
    expect(job.object).toBe('Lead');
    expect(job.write).toEqual(emptyJob().write);
  });

  it('defaults the source to salesforce', () => {
    const job = resolveJob(undefined, { inactiveOwners: true, to: 'ben@acme.com' }, CWD);
    expect(job.source).toEqual({ kind: 'salesforce' });
  });

  it('puts rule flags in the order --map, --to-manager, --to', () => {
    const job = resolveJob(
      undefined,
      { inactiveOwners: true, to: 'ben@acme.com', toManager: true, map: ['a.csv', 'b.csv'] },
      CWD,
    );
    expect(job.rules.map((rule) => rule.place.key)).toEqual(['--map', '--map', '--to-manager', '--to']);
    expect(job.rules[1]?.assign).toEqual({ strategy: 'map', map: join(CWD, 'b.csv') });
  });

  it('turns --where and --exclude into conditions placed at the flag', () => {
    const job = resolveJob(
      undefined,
      { where: "Rating = 'Cold'", exclude: 'IsVip__c = true', to: 'x@y.z' },
      CWD,
    );
    expect(job.select.where).toEqual({ text: "Rating = 'Cold'", place: { key: '--where' } });
    expect(job.select.exclude).toEqual({ text: 'IsVip__c = true', place: { key: '--exclude' } });
  });

  it('refuses a job that selects nothing', () => {
    const error = refusal(undefined, { to: 'ben@acme.com', exclude: 'IsVip__c = true' });
    expect(error.message).toContain(
      'nothing selects records: give --inactive-owners, --owner, --account-owner or --where',
    );
  });

  it('refuses a job without rules', () => {
    expect(refusal(undefined, { inactiveOwners: true }).message).toContain(
      'no rule says who the new owner is',
    );
  });

  it('reports every bad flag at once, naming each flag', () => {
    const error = refusal(undefined, {
      from: 'sf',
      api: 'soap' as never,
      batchSize: 0,
      object: 'Bad Name',
      accountOwner: 'not a field',
      cascade: ['Case'],
      where: ' ',
      inactiveOwners: true,
      to: 'ben@acme.com',
    });
    const keys = error.problems.map((problem) => problem.key);
    expect(keys).toEqual([
      '--object',
      '--from',
      '--account-owner',
      '--where',
      '--api',
      '--batch-size',
      '--cascade',
    ]);
    expect(error.message).toContain('key --from: "sf" is not a source. Use --from salesforce, or csv:PATH');
    expect(error.message).toContain('key --api: "soap" is not a write API. Use rest, bulk, auto');
  });

  it('refuses --cascade unless the object is Account', () => {
    expect(
      refusal(undefined, { inactiveOwners: true, to: 'x@y.z', cascade: ['Contact'] }).problems[0],
    ).toMatchObject({ key: '--cascade' });
    const job = resolveJob(
      undefined,
      { object: 'account', owner: ['a'], to: 'b', cascade: ['Contact'] },
      CWD,
    );
    expect(job.write.cascade).toEqual(['Contact']);
    expect(job.object).toBe('Account');
  });
});

describe('resolveJob over a job file', () => {
  it('keeps the job as loaded when no flag is given', async () => {
    const job = await loadJobFile(await temp.write('daily.yml', SPEC_EXAMPLE));
    expect(resolveJob(job, {}, CWD)).toEqual(job);
  });

  it('lets flags override the job, with flag paths from the working directory', async () => {
    const job = await loadJobFile(await temp.write('daily.yml', SPEC_EXAMPLE));
    const merged = resolveJob(
      job,
      {
        from: 'csv:x.csv',
        object: 'Contact',
        owner: ['ana@acme.com'],
        api: 'rest',
        batchSize: 50,
        org: 'uat',
      },
      CWD,
    );
    expect(merged.source).toEqual({ kind: 'csv', path: join(CWD, 'x.csv') });
    expect(merged.object).toBe('Contact');
    expect(merged.org).toBe('uat');
    expect(merged.select.owners).toEqual(['ana@acme.com']);
    expect(merged.select.inactiveOwners).toBe(true);
    expect(merged.write).toMatchObject({ api: 'rest', batchSize: 50 });
    expect(merged.limits).toEqual(job.limits);
    expect(job.write.api).toBe('auto');
  });

  it('puts rule flags before the job rules', async () => {
    const job = await loadJobFile(await temp.write('daily.yml', SPEC_EXAMPLE));
    const merged = resolveJob(job, { to: 'carla@acme.com', toManager: true }, CWD);
    expect(merged.rules.map((rule) => rule.place.key ?? `line ${rule.place.line}`)).toEqual([
      '--to-manager',
      '--to',
      'line 7',
      'line 8',
      'line 11',
    ]);
  });

  it('lets --inactive-owners=false drop the job selector, and then nothing selects', async () => {
    const job = await loadJobFile(await temp.write('daily.yml', SPEC_EXAMPLE));
    expect(refusal(job, { inactiveOwners: false }).message).toContain('nothing selects records');
  });

  it('refuses --object that leaves an Account cascade on another object', async () => {
    const file = await temp.write(
      'acc.yml',
      'object: Account\nselect: { inactiveOwners: true }\nrules: [{ assign: { manager: true } }]\nwrite: { cascade: [Contact] }\n',
    );
    const error = refusal(await loadJobFile(file), { object: 'Lead' });
    expect(error.problems[0]).toMatchObject({ key: '--object' });
  });
});
