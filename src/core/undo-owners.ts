import type { JobSpec } from '../config/job.js';
import { type Directory, ownerRefusal } from '../directory/directory.js';
import { InputError, type Problem } from '../errors.js';
import { pathExists } from '../journal/run-home.js';
import type { Owner } from '../model.js';
import type { Ports } from '../ports.js';
import { openKit } from './prepare.js';

/** What undo knows, before writing, about the owners it would restore. */
export interface RestoreOwners {
  directory: Directory;
  /** The running user may give records to inactive users ("Update Records with Inactive Owners"). */
  mayAssignInactive: boolean;
  /** `undo --to`: who gets the records whose owner to restore is inactive. */
  to?: Owner;
  /** Open records of the run's object per owner, as they are now (undefined: the source cannot say). */
  openCounts(ownerIds: string[]): Promise<Map<string, number> | undefined>;
  close(): Promise<void>;
}

export interface RestoreOptions {
  /** `--to`: a user or queue for the records whose owner to restore is inactive. */
  to?: string;
  /** CSV runs: a User export to read instead of the run's own. */
  users?: string;
  /** CSV runs: a current export of the run's object. */
  freshFrom?: string;
}

/**
 * Reads the owners undo would restore: on Salesforce the users by Id and the running user's permission;
 * on CSV the User export (the run's, or `--users`). `--to` is checked here like `run --to`.
 */
export async function readRestoreOwners(
  job: JobSpec,
  ownerIds: string[],
  objects: string[],
  options: RestoreOptions,
  ports: Ports,
): Promise<RestoreOwners> {
  const csv = job.source.kind === 'csv';
  const exportPath = csv ? (options.freshFrom ?? (job.source as { path: string }).path) : undefined;
  const kit = await openKit(checkJob(job, options), ports);
  try {
    await kit.resolvePeople([...ownerIds, ...(options.to ? [options.to] : [])]);
    const to = options.to ? resolveTo(kit.directory, options.to, objects) : undefined;
    const mayAssignInactive = (await kit.mayAssignInactiveOwners?.()) ?? false;
    const counts = csv && !(exportPath && (await pathExists(exportPath))) ? undefined : kit.source;
    return {
      directory: kit.directory,
      mayAssignInactive,
      to,
      openCounts: async (ids) => counts?.openCounts(ids),
      close: () => kit.close(),
    };
  } catch (error) {
    await kit.close();
    throw error;
  }
}

/** The run's job reduced to what reading people and counts needs: no rules, selectors or cascade files. */
function checkJob(job: JobSpec, options: RestoreOptions): JobSpec {
  const source =
    job.source.kind === 'csv' && options.freshFrom ? { ...job.source, path: options.freshFrom } : job.source;
  return {
    ...job,
    source,
    users: options.users ?? job.users,
    accounts: undefined,
    contacts: undefined,
    opportunities: undefined,
    rules: [],
    select: { ...job.select, owners: [], inactiveOwners: false, accountOwner: undefined },
    write: { ...job.write, cascade: [], stamp: {} },
  };
}

function resolveTo(directory: Directory, reference: string, objects: string[]): Owner {
  const found = directory.find(reference);
  const problem = (message: string): Problem => ({
    key: '--to',
    message,
    hint: 'Name an active user (username, email or Id) or queue:NAME',
  });
  if (found.kind !== 'found') throw new InputError(problem(found.reason));
  const refusals = objects.flatMap((object) => {
    const why = ownerRefusal(found.owner, object);
    return why ? [problem(`"${reference}" ${why}`)] : [];
  });
  if (refusals.length > 0) throw new InputError(refusals[0] as Problem);
  return found.owner;
}
