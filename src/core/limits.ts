import { RefusedError } from '../errors.js';
import type { RunManifest } from '../journal/run-manifest.js';
import type { Sink } from '../sinks/sink.js';

/**
 * The job's `limits`, checked in one place. `run` checks both before it asks, so that a yes is never
 * refused afterwards; `apply` checks them before its first write.
 */

/** Refuses a plan larger than `limits.maxChanges`. */
export function checkMaxChanges(manifest: RunManifest): void {
  const max = manifest.job.limits.maxChanges;
  if (max !== undefined && manifest.counts.changes > max) {
    throw new RefusedError(
      `the plan has ${manifest.counts.changes} changes, ${manifest.counts.changes - max} more than limits.maxChanges (${max})`,
      'Narrow the selection, or raise limits.maxChanges if this is intended',
    );
  }
}

/** Refuses a write whose API requests would take more than `limits.maxApiShare` of what is left today. */
export async function checkApiShare(manifest: RunManifest, sink: Sink): Promise<void> {
  const remaining = await sink.remainingApiRequests();
  if (remaining === undefined) return;
  const changes = manifest.counts.changes - (manifest.counts.updated ?? 0);
  const needed = sink.estimateCalls(changes);
  const share = manifest.job.limits.maxApiShare ?? 1;
  const allowed = Math.floor(remaining * share);
  if (needed > allowed) {
    throw new RefusedError(
      `writing ${changes} records needs about ${needed} API requests, ${needed - allowed} more than allowed (${Math.round(share * 100)}% of the ${remaining} remaining today)`,
      'Wait for the daily allowance to recover, use --api bulk, or raise limits.maxApiShare',
    );
  }
}
