import { stat } from 'node:fs/promises';
import type { Problem } from '../errors.js';
import { strategies } from '../rules/strategies/index.js';
import type { JobSpec } from './job.js';
import type { JobFile } from './job-schema.js';
import { formatKeyPath, type KeyPath, lineAt, type YamlFile } from './yaml-doc.js';

const FILE_KEYS = ['users', 'queues', 'accounts', 'contacts', 'opportunities'] as const;

/**
 * Every file the job names that is not there, at the key that names it: the reader of the file would
 * know only the path, and the user must find which line of the job to correct.
 */
export async function missingJobFiles(job: JobSpec, raw: JobFile, yaml: YamlFile): Promise<Problem[]> {
  const named: Array<{ path: string; written: string; at: KeyPath }> = [];
  if (job.source.kind === 'csv' && raw.from)
    named.push({ path: job.source.path, written: raw.from, at: ['from'] });
  for (const key of FILE_KEYS) {
    const path = job[key];
    const written = raw[key];
    if (path && written) named.push({ path, written, at: [key] });
  }
  job.rules.forEach((rule, index) => {
    const assign = (raw.rules?.[index]?.assign ?? {}) as Record<string, unknown>;
    const key = strategies.of(rule.assign).key;
    const written = typeof assign[key] === 'string' ? (assign[key] as string) : undefined;
    for (const path of strategies.files([rule]))
      named.push({ path, written: written ?? path, at: ['rules', index, 'assign', key] });
  });
  const problems: Problem[] = [];
  for (const { path, written, at } of named) {
    if (await exists(path)) continue;
    problems.push({
      file: yaml.file,
      line: lineAt(yaml, at),
      key: formatKeyPath(at),
      message: `${written} does not exist (looked for ${path})`,
      hint: "Check the path; a relative path is read from the job file's folder",
    });
  }
  return problems;
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
