import { cellOf, openCsv } from '../csv/read.js';
import { CsvFileWriter } from '../csv/write.js';
import { PLAN_COLUMNS } from '../plan/plan-rows.js';
import { readPlanFile } from './plan-file.js';
import type { ResultStatuses } from './result-statuses.js';
import { RUN_FILES, runFile } from './run-files.js';
import type { RunManifest } from './run-manifest.js';

export const DIGEST_COLUMNS = ['NewOwnerId', 'NewOwner', 'Object', 'Rule', 'Records'] as const;

/**
 * Writes undo.csv (a plan that reverses every updated record, applied with the same owner check) and
 * digest.csv (what each new owner received) from plan.csv and the final results.
 */
export async function writeAfterApplyFiles(
  runDir: string,
  planLabel: string,
  manifest: Pick<RunManifest, 'object' | 'runId' | 'summary'>,
  statuses: Pick<ResultStatuses, 'get'>,
): Promise<void> {
  const { object, runId } = manifest;
  // Only a plan with changes left to Salesforce's assignment rules needs their owners from results.csv.
  const byRules = manifest.summary.groups.some((group) => !group.newOwnerId);
  const undo = await CsvFileWriter.create(runFile(runDir, 'undo'), PLAN_COLUMNS);
  const digest = new Map<
    string,
    { newOwnerId: string; newOwner: string; object: string; rule: string; records: number }
  >();
  const decided = byRules
    ? await ownersSetBySalesforceRules(runDir, planLabel, object)
    : new Map<string, string>();
  for await (const planned of readPlanFile(runDir, planLabel, object)) {
    if (statuses.get(planned.id) !== 'updated') continue;
    // Where Salesforce's assignment rules chose, the owner they set is what undo must expect.
    const change = planned.newOwnerId ? planned : { ...planned, newOwnerId: decided.get(planned.id) ?? '' };
    if (!change.newOwnerId) continue;
    await undo.write([
      change.id,
      change.newOwnerId,
      change.oldOwnerId,
      `undo ${runId}`,
      change.newOwner,
      change.oldOwner,
    ]);
    const key = `${change.newOwnerId}\u0000${change.object}\u0000${change.rule}`;
    const entry = digest.get(key) ?? {
      newOwnerId: change.newOwnerId,
      newOwner: change.newOwner,
      object: change.object,
      rule: change.rule,
      records: 0,
    };
    entry.records++;
    digest.set(key, entry);
  }
  await undo.close();
  const digestFile = await CsvFileWriter.create(runFile(runDir, 'digest'), DIGEST_COLUMNS);
  const rows = [...digest.values()].sort(
    (a, b) => a.newOwner.localeCompare(b.newOwner) || b.records - a.records,
  );
  for (const row of rows)
    await digestFile.write([row.newOwnerId, row.newOwner, row.object, row.rule, String(row.records)]);
  await digestFile.close();
}

/** Where Salesforce's assignment rules chose the owner, the plan has none: results.csv has what was set. */
async function ownersSetBySalesforceRules(
  runDir: string,
  planLabel: string,
  object: string,
): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for await (const change of readPlanFile(runDir, planLabel, object))
    if (!change.newOwnerId) ids.add(change.id);
  const owners = new Map<string, string>();
  if (ids.size === 0) return owners;
  const table = await openCsv(runFile(runDir, 'results'), RUN_FILES.results, {
    required: ['Id', 'NewOwnerId'],
  });
  for await (const row of table.rows) {
    const id = cellOf(table, row, 'Id');
    if (ids.has(id)) owners.set(id, cellOf(table, row, 'NewOwnerId'));
  }
  return owners;
}
