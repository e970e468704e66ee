import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJobFile } from '../../src/config/load-job.js';
import { resolveJob } from '../../src/config/merge-flags.js';
import { InputError } from '../../src/errors.js';
import { makeTempDir, type TempDir } from './job-files.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.remove());

const JOB = 'select: { inactiveOwners: true }\nrules:\n  - assign: { user: ben@acme.com }\n';

describe('notify: and --notify', () => {
  it('notify: in the job file is carried into the job; --notify overrides it', async () => {
    const job = await loadJobFile(await temp.write('job.yml', `${JOB}notify: task\n`));
    expect(job.notify).toBe('task');
    expect(resolveJob(job, {}, temp.dir).notify).toBe('task');
    expect(resolveJob(job, { notify: 'email' }, temp.dir).notify).toBe('email');
  });

  it('a job without notify: tells nobody', async () => {
    const job = await loadJobFile(await temp.write('job.yml', JOB));
    expect(resolveJob(job, {}, temp.dir).notify).toBeUndefined();
  });

  it('--notify with another value names the flag and the choices', async () => {
    const job = await loadJobFile(await temp.write('job.yml', JOB));
    const error = (() => {
      try {
        resolveJob(job, { notify: 'sms' }, temp.dir);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({
      key: '--notify',
      message: '"sms" is not a way to notify',
      hint: 'Use --notify email (sent by the org) or --notify task (an open Task for each new owner)',
    });
  });
});
