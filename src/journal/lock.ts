import { mkdir, rm } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import lockfile from 'proper-lockfile';
import { RefusedError } from '../errors.js';
import { homeFile } from './run-files.js';
import { readJson, writeFileAtomic } from './run-home.js';

interface LockHolder {
  pid: number;
  host: string;
  user: string;
  command: string;
  since: string;
}

export type ReleaseLock = () => Promise<void>;

/**
 * One run at a time per run home. proper-lockfile keeps the lock fresh while we live and treats it as
 * stale once updates stop; a holder on this host whose process is gone is recovered at once.
 */
export async function acquireRunLock(home: string, command: string): Promise<ReleaseLock> {
  await mkdir(home, { recursive: true });
  const runs = homeFile(home, 'runs');
  await mkdir(runs, { recursive: true });
  const holderFile = homeFile(home, 'lockHolder');
  const options = { lockfilePath: homeFile(home, 'lock'), stale: 30_000, update: 10_000, realpath: false };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(runs, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const holder = await readJson<LockHolder>(holderFile);
    if (!holder || !isDeadLocalProcess(holder)) throw refusal(holder, home);
    await rm(homeFile(home, 'lock'), { recursive: true, force: true });
    release = await lockfile.lock(runs, options);
  }
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    user: userInfo().username,
    command,
    since: new Date().toISOString(),
  };
  await writeFileAtomic(holderFile, `${JSON.stringify(holder, null, 2)}\n`);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await rm(holderFile, { force: true });
    await release().catch(() => undefined);
  };
}

function isDeadLocalProcess(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function refusal(holder: LockHolder | undefined, home: string): RefusedError {
  const who = holder
    ? `${holder.user} on ${holder.host} (pid ${holder.pid}, "${holder.command}", since ${holder.since})`
    : 'another leadshift process';
  return new RefusedError(
    `another run holds the lock on ${home}: ${who}`,
    'Wait for it to finish, or use another --home',
  );
}
