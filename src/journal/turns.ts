import type { RoundRobinState } from '../rules/strategies/round-robin.js';
import { homeFile, runFile } from './run-files.js';
import { readJson, writeFileAtomic } from './run-home.js';

/**
 * Round-robin turns on disk: the run home's turns.json holds every member's credit as applied plans left
 * it; a run directory's turns.json holds the credits before and after its plan. The arithmetic of a pick
 * lives with the rule (rules/round-robin.ts); this module only reads, snapshots and commits.
 */
type Turns = Record<string, number[]>;

/** The home's turns, as the rules start from them. */
export async function readTurns(home: string): Promise<RoundRobinState> {
  return new Map(Object.entries((await readJson<Turns>(homeFile(home, 'turns'))) ?? {}));
}

/** A copy of the turns before planning, so that applying commits only this plan's moves. */
export function snapshotTurns(turns: RoundRobinState): Turns {
  return structuredClone(Object.fromEntries(turns));
}

/** Saves, in the run directory, the turns a plan started from and the turns it ended with. */
export async function writePlannedTurns(runDir: string, start: Turns, end: RoundRobinState): Promise<void> {
  await writeFileAtomic(
    runFile(runDir, 'plannedTurns'),
    `${JSON.stringify({ start, end: Object.fromEntries(end) }, null, 2)}\n`,
  );
}

/** The round-robin turns a plan used become the home's turns once that plan is applied. */
export async function commitTurns(runDir: string, home: string): Promise<void> {
  const planned = await readJson<{ start: Turns; end: Turns }>(runFile(runDir, 'plannedTurns'));
  if (!planned || Object.keys(planned.end).length === 0) return;
  const current = (await readJson<Turns>(homeFile(home, 'turns'))) ?? {};
  // Credits are sums of picks, so a plan's moves add onto whatever other runs applied meanwhile: two
  // plans made from the same turns and applied one after the other both count.
  for (const [key, end] of Object.entries(planned.end)) {
    const start = planned.start[key] ?? end.map(() => 0);
    const base = current[key] ?? start;
    current[key] = end.map((value, i) => (base[i] ?? 0) + value - (start[i] ?? 0));
  }
  await writeFileAtomic(homeFile(home, 'turns'), `${JSON.stringify(current, null, 2)}\n`);
}
