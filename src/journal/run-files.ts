import { join } from 'node:path';

/**
 * Every file of a run directory, by what it holds. Nothing else in leadshift spells these names: a new
 * file of the run directory is added here first (DESIGN.md, "Extending leadshift").
 */
export const RUN_FILES = {
  /** The planned changes, one row per record: what apply writes, exactly. */
  plan: 'plan.csv',
  /** Selected records no rule could place, with the reason. */
  unassigned: 'unassigned.csv',
  /** The run manifest: what was asked, what was found, what happened. */
  manifest: 'run.json',
  /** One row per record written or skipped, flushed per request: true after a crash. */
  results: 'results.csv',
  /** What each new owner received. */
  digest: 'digest.csv',
  /**
   * What an apply sent to Salesforce before it knew the outcome: the Ids of each request, and each Bulk
   * job's Id as soon as the job exists. A resume reads it to tell its own writes from other people's and
   * to find a Bulk job still running.
   */
  writes: 'writes.jsonl',
  /** The plan that reverses the applied run. */
  undo: 'undo.csv',
  /** The CSV sink's file for Data Loader, for the plan's own object. */
  update: 'update.csv',
  /** The round-robin turns before and after this plan; committed to the run home once applied. */
  plannedTurns: 'turns.json',
  /** The plan as one self-contained page for reviewers; rewritten with the results after apply. */
  page: 'plan.html',
  /** Each new owner's notification: sent, failed or skipped, one line per attempt (`leadshift notify`). */
  notify: 'notify.jsonl',
} as const;

export type RunFile = keyof typeof RUN_FILES;

/** Every file and folder of a run home. */
export const HOME_FILES = {
  /** One run directory per run. */
  runs: 'runs',
  /** The round-robin turns every applied plan has moved on. */
  turns: 'turns.json',
  /** proper-lockfile's lock directory. */
  lock: 'lock',
  /** Who holds the lock, for the refusal message. */
  lockHolder: 'lock.json',
} as const;

export type HomeFile = keyof typeof HOME_FILES;

export function runFile(runDir: string, file: RunFile): string {
  return join(runDir, RUN_FILES[file]);
}

export function homeFile(home: string, file: HomeFile): string {
  return join(home, HOME_FILES[file]);
}

/** Data Loader loads one object per file: cascaded records of `object` go to their own update file. */
export function updateFileOf(object: string): string {
  return `update-${object}.csv`;
}
