import type { JobSpec } from '../config/job.js';
import { openCsv } from '../csv/read.js';
import { loadAccountOwners, loadDirectoryFromCsv } from '../directory/load-csv.js';
import { InputError, type Problem } from '../errors.js';
import { displayPath } from '../paths.js';
import type { Ports } from '../ports.js';
import { relatedFromCsv } from './cascade-records.js';
import { countOwnedInCsv, type ExportOf } from './csv-counts.js';
import { columnOf } from './csv-rows.js';
import { type ConditionPlace, CsvRecordSource } from './csv-source.js';
import type { Selection } from './source.js';
import type { SourceKit, SourceNeeds } from './source-kit.js';

/** A CSV export with its User, Queue and Account exports: everything is read from files, up front. */
export async function openCsvKit(job: JobSpec, ports: Ports, needs: SourceNeeds): Promise<SourceKit> {
  if (job.source.kind !== 'csv') throw new Error('openCsvKit needs a csv source');
  checkCompanionFiles(job, needs);
  const exportPath = job.source.path;
  const label = (path: string) => ({ path, label: displayPath(path, ports.cwd) });
  const directory = await loadDirectoryFromCsv({
    users: job.users ? label(job.users) : undefined,
    queues: job.queues ? label(job.queues) : undefined,
  });
  const accountOwners = job.accounts
    ? await loadAccountOwners(job.accounts, displayPath(job.accounts, ports.cwd))
    : undefined;
  // Tests and benchmarks move the size from which a second thread scans the export.
  const workerFrom = Number(ports.env.LEADSHIFT_SCAN_WORKER_FROM_BYTES) || undefined;
  const source = new CsvRecordSource(
    job.source.path,
    displayPath(job.source.path, ports.cwd),
    job.object,
    workerFrom,
    conditionPlaces(job),
  );
  return {
    source,
    directory,
    accountOwners,
    target: 'csv',
    resolvePeople: async () => undefined,
    inactiveOwnerCounts: async () => {
      const inactive = [...directory.allUsers()].filter((user) => !user.isActive).map((user) => user.id);
      return [{ object: job.object, counts: await source.openCounts(inactive) }];
    },
    activeUsers: async () => [...directory.allUsers()].filter((user) => user.isActive),
    related: (object, accounts) => {
      const path = object === 'Contact' ? job.contacts : job.opportunities;
      return relatedFromCsv(path as string, displayPath(path as string, ports.cwd), object, accounts);
    },
    countOwned: (request) => countOwnedInCsv(request, exportsOf(job, ports)),
    knownFields: async (paths) => {
      const table = await openCsv(exportPath, displayPath(exportPath, ports.cwd), { headerOnly: true });
      table.close();
      return new Set(paths.filter((path) => columnOf(table.index, path, job.object) !== undefined));
    },
    extraFields: (selection: Selection) => {
      const field = selection.accountOwnerField ?? needs.accountLookup;
      return field ? [field.toLowerCase()] : [];
    },
    close: async () => undefined,
  };
}

/** The exports the job was given, by object: its own records, and the companions named by flags. */
function exportsOf(job: JobSpec, ports: Ports): ExportOf {
  const given: Record<string, { path: string | undefined; flag: string }> = {
    [job.object.toLowerCase()]: {
      path: job.source.kind === 'csv' ? job.source.path : undefined,
      flag: '--from',
    },
    contact: { path: job.contacts, flag: '--contacts' },
    opportunity: { path: job.opportunities, flag: '--opportunities' },
    account: { path: job.accounts, flag: '--accounts' },
  };
  return (object) => {
    const entry = given[object.toLowerCase()];
    return entry?.path
      ? { path: entry.path, label: displayPath(entry.path, ports.cwd), flag: entry.flag }
      : undefined;
  };
}

/** Where each condition of the job was written, so that a column the export lacks is traced to it. */
function conditionPlaces(job: JobSpec): ConditionPlace[] {
  const specs = [job.select.where, job.select.exclude, ...job.rules.map((rule) => rule.when)];
  return specs.filter((spec) => spec !== undefined).map(({ text, place }) => ({ text, place }));
}

/** The exports a CSV job needs beside the records, named before any file is read. */
function checkCompanionFiles(job: JobSpec, needs: SourceNeeds): void {
  const problems: Problem[] = [];
  const flag = (name: string, key: string) => (job.jobFile ? { file: job.jobFile, key } : { key: name });
  const needsUsers = job.select.inactiveOwners || job.select.owners.length > 0 || needs.exports.users;
  if (needsUsers && !job.users) {
    problems.push({
      ...flag('--users', 'users'),
      message: 'the job names people or inactive owners, but no User export was given',
      hint: 'Add --users users.csv (an export with Id, IsActive, Username, Email, Name, ManagerId)',
    });
  }
  if (needs.exports.queues && !job.queues) {
    problems.push({
      ...flag('--queues', 'queues'),
      message: 'a rule sends records to a queue, but no Queue export was given',
      hint: 'Add --queues queues.csv (an export of Group with Id, Name, DeveloperName)',
    });
  }
  const needsAccounts = job.select.accountOwner !== undefined || needs.exports.accounts;
  if (needsAccounts && !job.accounts) {
    problems.push({
      ...flag('--accounts', 'accounts'),
      message: 'account owners are used, but no Account export was given',
      hint: 'Add --accounts accounts.csv (an export with Id, OwnerId)',
    });
  }
  const cascadeFiles = {
    Contact: ['contacts', '--contacts', job.contacts],
    Opportunity: ['opportunities', '--opportunities', job.opportunities],
  } as const;
  for (const object of job.object === 'Account' ? job.write.cascade : []) {
    const entry = cascadeFiles[object as keyof typeof cascadeFiles];
    if (entry && !entry[2]) {
      problems.push({
        ...flag(entry[1], entry[0]),
        message: `the cascade moves ${object} records, but no ${object} export was given`,
        hint: `Add ${entry[1]} ${entry[0]}.csv (an export with Id, OwnerId, AccountId${object === 'Opportunity' ? ', IsClosed' : ''})`,
      });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}
