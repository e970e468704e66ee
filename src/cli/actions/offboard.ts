import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { canonicalObject, checkObjectName } from '../../config/checks.js';
import { expandExportFolder } from '../../config/export-folder.js';
import { emptyJob, type JobSpec, type ObjectPart, type WriteApi } from '../../config/job.js';
import { inApplyOrder } from '../../config/job-parts.js';
import { refuseMissingJobFiles } from '../../config/job-paths.js';
import { loadJobFile } from '../../config/load-job.js';
import { type JobFlags, resolveJob } from '../../config/merge-flags.js';
import { InputError, type Problem } from '../../errors.js';
import { displayPath } from '../../paths.js';
import type { CommandContext } from '../context.js';
import type { Outcome } from '../run-action.js';
import { runResolvedJob } from './run.js';

export interface OffboardOptions {
  to?: string;
  map?: string[];
  toManager?: boolean;
  job?: string;
  object?: string[];
  from?: string;
  targetOrg?: string;
  users?: string;
  queues?: string;
  api?: string;
  dryRun?: boolean;
  yes?: boolean;
  out?: string;
  verbose?: boolean;
  notify?: string;
}

/**
 * What `leadshift owners` counts as a person's open records, in the order they are written: accounts
 * first (their contacts and open opportunities go with them), activities last.
 */
export const OFFBOARD_OBJECTS: readonly ObjectPart[] = [
  { object: 'Account', write: { cascade: ['Contact', 'Opportunity'] } },
  { object: 'Lead' },
  { object: 'Contact' },
  { object: 'Opportunity' },
  { object: 'Case' },
  { object: 'Task' },
  { object: 'Event' },
];

/** `offboard <person>`: a job of every object the person may own open records of, run as `run` runs it. */
export async function offboardCommand(
  person: string,
  options: OffboardOptions,
  context: CommandContext,
): Promise<Outcome> {
  const { cwd } = context.ports;
  const path = options.job && cwd !== process.cwd() ? resolve(cwd, options.job) : options.job;
  const fromFile = path ? await loadJobFile(path) : undefined;
  const base = offboardJob(fromFile, options.object ?? []);
  const flags: JobFlags = {
    owner: [person],
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.targetOrg !== undefined ? { org: options.targetOrg } : {}),
    ...(options.users !== undefined ? { users: options.users } : {}),
    ...(options.queues !== undefined ? { queues: options.queues } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.map !== undefined ? { map: options.map } : {}),
    ...(options.toManager ? { toManager: true } : {}),
    ...(options.api !== undefined ? { api: options.api as WriteApi } : {}),
    ...(options.notify !== undefined ? { notify: options.notify } : {}),
  };
  const job = resolveJob(base, flags, cwd);
  job.select.ownersFrom = 'offboard <person>';
  if (fromFile) await refuseMissingJobFiles(fromFile, flags);
  const label = (file: string) => displayPath(file, cwd);
  if (!fromFile?.objects)
    await keepExportedObjects(job, label, (message) => context.ports.reporter.warn(message));
  const place =
    fromFile?.jobFile && options.from === undefined
      ? { file: fromFile.jobFile, key: 'from' }
      : { key: '--from' };
  await expandExportFolder(job, place, label);
  return runResolvedJob(job, options, context, 'offboard');
}

/**
 * The job offboarding runs: the job file's rules (and its objects, if it lists them), or none yet (the
 * flags give them), over the standard objects and each `--object`. The person is the whole selection.
 */
function offboardJob(fromFile: JobSpec | undefined, custom: string[]): JobSpec {
  const job = fromFile ? structuredClone(fromFile) : emptyJob();
  job.select = { inactiveOwners: false, owners: [] };
  const problems: Problem[] = [];
  const objects = job.objects ?? OFFBOARD_OBJECTS.map((part) => structuredClone(part));
  for (const name of custom) {
    const issue = checkObjectName(name);
    if (issue) {
      problems.push({ key: '--object', message: issue.message, ...(issue.hint ? { hint: issue.hint } : {}) });
      continue;
    }
    const object = canonicalObject(name);
    if (!objects.some((part) => part.object.toLowerCase() === object.toLowerCase())) objects.push({ object });
  }
  if (problems.length > 0) throw new InputError(problems);
  job.objects = objects;
  job.object = inApplyOrder(objects)[0]?.object ?? job.object;
  return job;
}

/**
 * On a Data Export folder, the standard objects it has no export of are left out (a folder of leads and
 * accounts offboards those), each said once; an `--object` it lacks is refused by the folder's reader.
 */
async function keepExportedObjects(
  job: JobSpec,
  label: (path: string) => string,
  warn: (message: string) => void,
): Promise<void> {
  if (job.source.kind !== 'csv' || !job.objects) return;
  const names = await readdir(job.source.path).catch(() => undefined);
  if (!names) return;
  const has = (object: string) => names.some((name) => name.toLowerCase() === `${object.toLowerCase()}.csv`);
  const standard = new Set(OFFBOARD_OBJECTS.map((part) => part.object));
  const missing = job.objects.filter((part) => standard.has(part.object) && !has(part.object));
  if (missing.length === job.objects.length)
    throw new InputError({
      key: '--from',
      message: `${label(job.source.path)} holds no export of ${[...standard].join(', ')}`,
      hint: 'Give a Data Export folder (Lead.csv, Account.csv, …), or --from salesforce',
    });
  for (const part of missing)
    warn(`${label(job.source.path)} has no ${part.object}.csv: ${part.object} records are not offboarded`);
  job.objects = job.objects.filter((part) => !missing.includes(part));
  // An account's contacts and opportunities go with it only where the folder shows them.
  for (const part of job.objects)
    if (part.write?.cascade) part.write.cascade = part.write.cascade.filter((object) => has(object));
  job.object = inApplyOrder(job.objects)[0]?.object ?? job.object;
}
