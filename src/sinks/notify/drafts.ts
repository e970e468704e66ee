import { readPlanBatches } from '../../journal/plan-file.js';
import { readResults } from '../../journal/results.js';
import { RUN_FILES } from '../../journal/run-files.js';
import type { RunManifest } from '../../journal/run-manifest.js';

/** Records named one by one in a message; the rest are counted. */
export const NAMED_RECORDS = 50;

/** What one new owner received in a run: the facts their message is made of. */
export interface NoticeDraft {
  ownerId: string;
  /** The owner as plan.csv names them. */
  owner: string;
  records: number;
  /** Records by object and rule, most first. */
  groups: Array<{ object: string; rule: string; count: number }>;
  /** The first NAMED_RECORDS records, in plan order. */
  named: Array<{ id: string; object: string }>;
}

/**
 * One draft per owner the run gave records to, from plan.csv and results.csv: only records that are
 * `updated` (a skipped or failed record was not received). Held per owner, so a plan of any size costs
 * its owners times NAMED_RECORDS.
 */
export async function draftNotices(runDir: string, manifest: RunManifest): Promise<NoticeDraft[]> {
  const statuses = await readResults(runDir, manifest.counts.changes);
  const drafts = new Map<
    string,
    NoticeDraft & { byGroup: Map<string, { object: string; rule: string; count: number }> }
  >();
  for await (const batch of readPlanBatches(runDir, RUN_FILES.plan, manifest.object))
    for (const change of batch) {
      if (statuses.get(change.id) !== 'updated' || !change.newOwnerId) continue;
      let draft = drafts.get(change.newOwnerId);
      if (!draft) {
        draft = {
          ownerId: change.newOwnerId,
          owner: change.newOwner,
          records: 0,
          groups: [],
          named: [],
          byGroup: new Map(),
        };
        drafts.set(change.newOwnerId, draft);
      }
      draft.records++;
      const key = `${change.object}\u0000${change.rule}`;
      const group = draft.byGroup.get(key);
      if (group) group.count++;
      else draft.byGroup.set(key, { object: change.object, rule: change.rule, count: 1 });
      if (draft.named.length < NAMED_RECORDS) draft.named.push({ id: change.id, object: change.object });
    }
  return [...drafts.values()]
    .map(({ byGroup, ...draft }) => ({
      ...draft,
      groups: [...byGroup.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)),
    }))
    .sort((a, b) => a.owner.localeCompare(b.owner));
}
