/** Temporary folders, and reading back the CSV files leadshift writes. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';

const made: string[] = [];

export async function tempDir(prefix = 'leadshift-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Every file and folder under `dir`, relative, sorted: to prove a command wrote nothing. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}

/** A CSV file as records keyed by its header; a missing file has none. */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  if (!existsSync(path)) return [];
  const [header = [], ...body] = parseCsv(await readFile(path, 'utf8'));
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}
