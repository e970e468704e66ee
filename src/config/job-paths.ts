import { stat } from 'node:fs/promises';
import { InputError, type Problem } from '../errors.js';
import { strategies } from '../rules/strategies/index.js';
import type { JobSpec } from './job.js';
import type { JobFile } from './job-schema.js';
import type { JobFlags } from './merge-flags.js';
import { formatKeyPath, type KeyPath, lineAt, type YamlFile } from './yaml-doc.js';

const FILE_KEYS = ['users', 'queues', 'accounts', 'contacts', 'opportunities'] as const;

/** A file a job file names: its path, the text as written, and the key that names it. */
interface NamedFile {
  path: string;
  written: string;
  at: KeyPath;
  /** The flag that replaces the key's value, so that a file the flag replaces is not looked for. */
  flag?: keyof JobFlags;
}

/** The files each loaded job names, kept beside the job so that the job stays plain data. */
const named = new WeakMap<JobSpec, { yaml: YamlFile; files: NamedFile[] }>();

/** Notes where the job file names each file, for `refuseMissingJobFiles`. */
export function rememberJobFiles(job: JobSpec, raw: JobFile, yaml: YamlFile): void {
  const files: NamedFile[] = [];
  if (job.source.kind === 'csv' && raw.from)
    files.push({ path: job.source.path, written: raw.from, at: ['from'], flag: 'from' });
  for (const key of FILE_KEYS) {
    const path = job[key];
    const written = raw[key];
    if (path && written) files.push({ path, written, at: [key], flag: key });
  }
  files.push(...ruleFiles(job.rules, raw.rules, ['rules']));
  for (const part of job.objects ?? []) {
    const written = Object.entries(raw.objects ?? {}).find(
      ([name]) => name.toLowerCase() === part.object.toLowerCase(),
    );
    if (part.rules && written)
      files.push(...ruleFiles(part.rules, written[1]?.rules, ['objects', written[0], 'rules']));
  }
  named.set(job, { yaml, files });
}

function ruleFiles(rules: JobSpec['rules'], raw: JobFile['rules'], at: KeyPath): NamedFile[] {
  return rules.flatMap((rule, index) => {
    const assign = (raw?.[index]?.assign ?? {}) as Record<string, unknown>;
    const key = strategies.of(rule.assign).key;
    const value = assign[key];
    return strategies.files([rule]).map((path) => ({
      path,
      written: typeof value === 'string' ? value : path,
      at: [...at, index, 'assign', key],
    }));
  });
}

/**
 * Refuses a job whose file names a file that is not there, at the key that names it: the file's reader
 * would know only the path, and the user must find which line of the job to correct. A file replaced by
 * a flag (`--users`) is not looked for.
 */
export async function refuseMissingJobFiles(job: JobSpec, flags: JobFlags): Promise<void> {
  const entry = named.get(job);
  if (!entry) return;
  const problems: Problem[] = [];
  for (const { path, written, at, flag } of entry.files) {
    if ((flag && flags[flag] !== undefined) || (await exists(path))) continue;
    problems.push({
      file: entry.yaml.file,
      line: lineAt(entry.yaml, at),
      key: formatKeyPath(at),
      message: `${written} does not exist (looked for ${path})`,
      hint: "Check the path; a relative path is read from the job file's folder",
    });
  }
  if (problems.length > 0) throw new InputError(problems);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Any other failure (permissions) is reported by the reader of the file, which knows what it needs.
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}
