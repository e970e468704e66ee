import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { homeFile } from './run-files.js';

/** `--home`, then `$LEADSHIFT_HOME`, then `./.leadshift`. */
export function resolveHome(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string {
  return resolve(cwd, flag ?? env.LEADSHIFT_HOME ?? '.leadshift');
}

/** `20261124T233512Z-3f9a1c`: sorts by time, unique across runs started in the same second. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function runsDir(home: string): string {
  return homeFile(home, 'runs');
}

export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Writes a file whole or not at all: a crash leaves the old version, never half a file. */
export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A run directory that appears only when complete: files are written into a hidden sibling and renamed
 * into place at the end, so bad input found half-way through an export leaves nothing behind.
 */
export class StagedDir {
  private constructor(
    readonly finalPath: string,
    readonly path: string,
  ) {}

  static async create(finalPath: string): Promise<StagedDir> {
    const staging = join(dirname(finalPath), `.staging-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { recursive: true });
    return new StagedDir(finalPath, staging);
  }

  async commit(): Promise<string> {
    await rm(this.finalPath, { recursive: true, force: true });
    await rename(this.path, this.finalPath);
    return this.finalPath;
  }

  async discard(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
