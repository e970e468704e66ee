import { resolve } from 'node:path';
import { expandExportFolder } from '../../config/export-folder.js';
import type { JobSpec } from '../../config/job.js';
import { refuseMissingJobFiles } from '../../config/job-paths.js';
import { loadJobFile } from '../../config/load-job.js';
import { resolveJob } from '../../config/merge-flags.js';
import { displayPath } from '../../paths.js';
import type { JobOptionValues } from '../job-options.js';

/** The job file (if any) with the flags laid over it. */
export async function resolveJobOptions(
  options: JobOptionValues,
  cwd: string,
  complete = true,
): Promise<JobSpec> {
  // The loader names the file as given, and reads it relative to the process's own folder.
  const path = options.job && cwd !== process.cwd() ? resolve(cwd, options.job) : options.job;
  const job = path ? await loadJobFile(path) : undefined;
  const resolved = resolveJob(job, options, cwd, { complete });
  if (job) await refuseMissingJobFiles(job, options);
  const place =
    job?.jobFile && options.from === undefined ? { file: job.jobFile, key: 'from' } : { key: '--from' };
  await expandExportFolder(resolved, place, (path) => displayPath(path, cwd));
  return resolved;
}
