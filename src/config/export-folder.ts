import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import type { JobSpec } from './job.js';

/** The job's exports Salesforce's Data Export service writes, by the job key that takes each. */
const COMPANIONS = [
  ['users', 'User'],
  ['queues', 'Group'],
  ['accounts', 'Account'],
  ['contacts', 'Contact'],
  ['opportunities', 'Opportunity'],
] as const;

/**
 * `csv:FOLDER/`: a folder of exports named by object, as Data Export writes them. The job's object is read
 * from `<Object>.csv`; users, queues (Group.csv, its queues only) and the account, contact and opportunity
 * exports come from the folder too, unless the job names them. A folder without the object's file is
 * refused, naming the file and what the folder holds.
 */
export async function expandExportFolder(
  job: JobSpec,
  place: Pick<Problem, 'file' | 'key'>,
  label: (path: string) => string,
): Promise<void> {
  if (job.source.kind !== 'csv' || !(await isFolder(job.source.path))) return;
  const folder = job.source.path;
  const names = await readdir(folder);
  const fileOf = (object: string) =>
    names.find((name) => name.toLowerCase() === `${object.toLowerCase()}.csv`);
  const own = fileOf(job.object);
  if (!own) {
    const exports = names.filter((name) => name.toLowerCase().endsWith('.csv')).sort();
    throw new InputError({
      ...place,
      message: `${label(folder)} has no ${job.object}.csv: a Data Export folder holds one file per object`,
      hint: exports.length
        ? `It holds ${exports.join(', ')}; export ${job.object} too, or name the object with --object`
        : 'Export the object into the folder, or give the export itself: --from csv:PATH.csv',
    });
  }
  job.source = { kind: 'csv', path: join(folder, own) };
  for (const [key, object] of COMPANIONS) {
    const name = fileOf(object);
    if (job[key] === undefined && name && object !== job.object) job[key] = join(folder, name);
  }
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
