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
  if (job.source.kind !== 'csv') return;
  const folder = job.source.path;
  if (!(await isFolder(folder))) {
    if (!job.objects) return;
    throw new InputError({
      ...place,
      message: `${label(folder)} is one export, but the job names several objects (${job.objects.map((p) => p.object).join(', ')})`,
      hint: 'Give a Data Export folder, one file per object: --from csv:FOLDER/',
    });
  }
  const names = await readdir(folder);
  const fileOf = (object: string) =>
    names.find((name) => name.toLowerCase() === `${object.toLowerCase()}.csv`);
  const objects = job.objects ? job.objects.map((part) => part.object) : [job.object];
  const missing = objects.filter((object) => !fileOf(object));
  if (missing.length > 0) {
    const exports = names.filter((name) => name.toLowerCase().endsWith('.csv')).sort();
    throw new InputError(
      missing.map((object) => ({
        ...place,
        message: `${label(folder)} has no ${object}.csv: a Data Export folder holds one file per object`,
        hint: exports.length
          ? `It holds ${exports.join(', ')}; export ${object} too${job.objects ? ', or leave it out of objects:' : ', or name the object with --object'}`
          : 'Export the object into the folder, or give the export itself: --from csv:PATH.csv',
      })),
    );
  }
  const pathOf = (object: string) => join(folder, fileOf(object) as string);
  if (job.objects) for (const part of job.objects) part.source = { kind: 'csv', path: pathOf(part.object) };
  job.source = { kind: 'csv', path: pathOf(job.object) };
  for (const [key, object] of COMPANIONS) {
    const name = fileOf(object);
    if (job[key] === undefined && name && (job.objects || object !== job.object))
      job[key] = join(folder, name);
  }
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
