import { rm } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { acquireRunLock } from '../journal/lock.js';
import { pathExists } from '../journal/run-home.js';

/**
 * Runs `work` holding the run home's lock. Bad input found while working (a broken row deep in an export)
 * must leave nothing behind: a run home this call created is removed again.
 */
export async function withRunLock<T>(home: string, command: string, work: () => Promise<T>): Promise<T> {
  const existed = await pathExists(home);
  const release = await acquireRunLock(home, command);
  try {
    return await work();
  } catch (error) {
    await release();
    if (error instanceof InputError && !existed) await rm(home, { recursive: true, force: true });
    throw error;
  } finally {
    await release();
  }
}
