import type { RunManifest } from '../journal/run-manifest.js';
import type { Explanation } from '../plan/plan-rows.js';

/** The stable --json shapes: one document per command, the same facts as the human output. */
export function planJson(record: RunManifest, runDir: string, explanation?: Explanation) {
  return {
    command: record.command,
    runId: record.runId,
    runDir,
    status: record.status,
    object: record.object,
    source: record.source,
    target: record.target,
    counts: record.counts,
    changes: record.summary.groups,
    unassigned: record.summary.unassignedReasons,
    receivers: record.summary.receivers,
    ...(explanation ? { explanation } : {}),
  };
}

export function applyJson(record: RunManifest, runDir: string) {
  return { ...planJson(record, runDir), apiCalls: record.apiCalls };
}
