import { scanNamedColumns } from '../../csv/scan.js';
import { dropTornRecord, restoreFormula } from '../../csv/write.js';
import { toId18 } from '../../ids.js';
import { readPlanBatches } from '../plan-file.js';
import { RUN_FILES, runFile } from '../run-files.js';
import { pathExists } from '../run-home.js';
import type { RunManifest } from '../run-manifest.js';

/** Records listed one by one on the page; the rest of a larger plan is counted, not listed. */
export const PAGE_RECORD_LIMIT = 50_000;
/** Change groups (old owner, new owner, rule, object) listed; more are summed into one line. */
export const PAGE_GROUP_LIMIT = 1_000;
/** Distinct failure messages kept, each with its count and a few record Ids. */
const FAILURE_MESSAGE_LIMIT = 200;
const FAILURE_EXAMPLES = 5;

export interface PageRecord {
  id: string;
  object: string;
  oldOwner: string;
  newOwner: string;
  rule: string;
  status: string;
  error: string;
}

export interface PageGroup {
  oldOwner: string;
  newOwner: string;
  rule: string;
  object: string;
  count: number;
}

export interface PageFailure {
  message: string;
  count: number;
  ids: string[];
}

/** Everything the page shows, bounded by owners and by PAGE_RECORD_LIMIT, whatever the plan's size. */
export interface PageData {
  manifest: RunManifest;
  /** plan.csv's rows, counted while reading it. */
  planned: number;
  /** Whether plan.csv carries an Object column (a plan of several objects). */
  severalObjects: boolean;
  groups: PageGroup[];
  records: PageRecord[];
  /** results.csv's counts by status, when the plan was applied. */
  results?: Record<string, number>;
  failures: PageFailure[];
}

/** Reads plan.csv and results.csv once each, streaming. */
export async function collectPageData(runDir: string, manifest: RunManifest): Promise<PageData> {
  const groups = new GroupTally();
  const records: PageRecord[] = [];
  const objects = new Set<string>();
  let planned = 0;
  for await (const batch of readPlanBatches(runDir, RUN_FILES.plan, manifest.object))
    for (const change of batch) {
      planned++;
      objects.add(change.object);
      groups.add(change.oldOwner, change.newOwner, change.rule, change.object);
      if (records.length < PAGE_RECORD_LIMIT)
        records.push({
          id: change.id,
          object: change.object,
          oldOwner: change.oldOwner,
          newOwner: change.newOwner,
          rule: change.rule,
          status: '',
          error: '',
        });
    }
  const outcome = await readOutcomes(runDir, records);
  return {
    manifest,
    planned,
    severalObjects: objects.size > 1 || [...objects].some((object) => object !== manifest.object),
    groups: groups.list(),
    records,
    ...(outcome ? { results: outcome.counts } : {}),
    failures: outcome?.failures ?? [],
  };
}

class GroupTally {
  private readonly groups = new Map<string, PageGroup>();

  add(oldOwner: string, newOwner: string, rule: string, object: string): void {
    const key = `${oldOwner}\u0000${newOwner}\u0000${rule}\u0000${object}`;
    const group = this.groups.get(key);
    if (group) group.count++;
    else this.groups.set(key, { oldOwner, newOwner, rule, object, count: 1 });
  }

  list(): PageGroup[] {
    return [...this.groups.values()].sort(
      (a, b) =>
        b.count - a.count || a.oldOwner.localeCompare(b.oldOwner) || a.newOwner.localeCompare(b.newOwner),
    );
  }
}

/**
 * results.csv as counts by status, failure messages and the status of each listed record. When an
 * apply finishes, results.csv holds one row per record (an apply that starts again rewrites it so), so
 * its rows are its records; were an Id to appear twice, its later row gives the listed status.
 */
async function readOutcomes(
  runDir: string,
  records: PageRecord[],
): Promise<{ counts: Record<string, number>; failures: PageFailure[] } | undefined> {
  const path = runFile(runDir, 'results');
  if (!(await pathExists(path))) return undefined;
  await dropTornRecord(path);
  const listed = new Map<string, PageRecord>();
  for (const record of records) listed.set(record.id, record);
  const counts: Record<string, number> = {};
  const failures = new Map<string, PageFailure>();
  const columns = ['Id', 'Status', 'Error'];
  const required = { required: ['Id', 'Status'] };
  for await (const batch of scanNamedColumns(path, RUN_FILES.results, columns, required))
    for (const { cells } of batch) {
      const [idText, statusText, errorText] = (cells as string[]).map((cell) => cell.trim()) as [
        string,
        string,
        string,
      ];
      const id = toId18(idText) ?? idText;
      const status = statusText;
      const error = restoreFormula(errorText);
      const record = listed.get(id);
      if (record) {
        record.status = status;
        record.error = error;
      }
      counts[status] = (counts[status] ?? 0) + 1;
      if (status === 'failed') noteFailure(failures, error || 'no message', id);
    }
  return { counts, failures: [...failures.values()].sort((a, b) => b.count - a.count) };
}

function noteFailure(failures: Map<string, PageFailure>, message: string, id: string): void {
  const known = failures.get(message);
  if (known) {
    known.count++;
    if (known.ids.length < FAILURE_EXAMPLES) known.ids.push(id);
    return;
  }
  if (failures.size < FAILURE_MESSAGE_LIMIT) failures.set(message, { message, count: 1, ids: [id] });
}
