import { dirname, resolve } from 'node:path';
import type { Problem } from '../errors.js';
import { InputError } from '../errors.js';
import { strategies } from '../rules/strategies/index.js';
import { canonicalObject, isIssue, parseSource } from './checks.js';
import { crossCheckJob } from './cross-checks.js';
import type { AssignSpec, ConditionSpec, JobSpec, ObjectPart, RuleSpec, SourceSpec } from './job.js';
import { emptyJob } from './job.js';
import { inApplyOrder } from './job-parts.js';
import { rememberJobFiles } from './job-paths.js';
import { type JobFile, type JobFileRule, jobFileSchema } from './job-schema.js';
import { formatKeyPath, type KeyPath, lineAt, readYamlFile, type YamlFile } from './yaml-doc.js';
import { issueToProblems, pathIssueToProblem } from './zod-issues.js';

/**
 * Reads a job file, validates all of it, and resolves it into a JobSpec: defaults filled, relative paths
 * taken from the job file's folder, and every rule and condition tagged with the line it was written on.
 * Every problem in the file is reported in one InputError.
 */
export async function loadJobFile(path: string): Promise<JobSpec> {
  const absolute = resolve(path);
  const yaml = await readYamlFile(path, absolute);
  if (Array.isArray(yaml)) throw new InputError(yaml);
  let raw: unknown;
  try {
    raw = yaml.doc.toJS();
  } catch (error) {
    // toJS refuses alias bombs (one anchor expanded into millions of nodes) and aliases to nothing.
    throw new InputError({ file: path, message: `the job file cannot be read: ${(error as Error).message}` });
  }
  const parsed = jobFileSchema.safeParse(raw, { reportInput: true });
  const problems: Problem[] = [
    ...(parsed.error?.issues ?? []).flatMap((issue) => issueToProblems(yaml, issue)),
    ...crossCheckJob(raw).map((issue) => pathIssueToProblem(yaml, issue)),
  ];
  if (!parsed.success || problems.length > 0) throw new InputError(sortByLine(problems));
  const job = resolveJobFile(parsed.data, yaml, absolute);
  rememberJobFiles(job, parsed.data, yaml);
  return job;
}

function sortByLine(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function resolveJobFile(raw: JobFile, yaml: YamlFile, absolute: string): JobSpec {
  const folder = dirname(absolute);
  const fromFolder = (path: string): string => resolve(folder, path);
  const job = emptyJob();
  job.jobFile = absolute;
  if (raw.object) job.object = canonicalObject(raw.object);
  if (raw.from) job.source = resolveSource(raw.from, fromFolder);
  if (raw.org) job.org = raw.org;
  if (raw.users) job.users = fromFolder(raw.users);
  if (raw.queues) job.queues = fromFolder(raw.queues);
  if (raw.accounts) job.accounts = fromFolder(raw.accounts);
  if (raw.contacts) job.contacts = fromFolder(raw.contacts);
  if (raw.opportunities) job.opportunities = fromFolder(raw.opportunities);

  const select = raw.select ?? {};
  const condition = (text: string, path: KeyPath): ConditionSpec => ({
    text,
    place: { file: yaml.file, line: lineAt(yaml, path), key: formatKeyPath(path) },
  });
  job.select.inactiveOwners = select.inactiveOwners ?? false;
  job.select.owners = select.owners ?? [];
  if (select.accountOwner !== undefined) job.select.accountOwner = select.accountOwner;
  if (select.where) job.select.where = condition(select.where, ['select', 'where']);
  if (select.exclude) job.select.exclude = condition(select.exclude, ['select', 'exclude']);

  job.rules = (raw.rules ?? []).map((rule, index) =>
    resolveRule(rule, ['rules', index], yaml, fromFolder, condition),
  );

  const write = raw.write ?? {};
  if (write.api) job.write.api = write.api;
  if (write.batchSize !== undefined) job.write.batchSize = write.batchSize;
  job.write.stamp = { ...(write.stamp ?? {}) };
  job.write.cascade = [...new Set(write.cascade ?? [])];
  if (raw.limits?.maxChanges !== undefined) job.limits.maxChanges = raw.limits.maxChanges;
  if (raw.limits?.maxApiShare !== undefined) job.limits.maxApiShare = raw.limits.maxApiShare;
  if (raw.notify) job.notify = raw.notify;
  if (raw.objects) job.objects = resolveObjects(raw.objects, yaml, fromFolder, condition);
  if (job.objects) job.object = inApplyOrder(job.objects)[0]?.object ?? job.object;
  return job;
}

/** `objects:`: each object's own keys, resolved as the job's are; what it leaves out it takes from the job. */
function resolveObjects(
  objects: NonNullable<JobFile['objects']>,
  yaml: YamlFile,
  fromFolder: (path: string) => string,
  condition: (text: string, path: KeyPath) => ConditionSpec,
): ObjectPart[] {
  return Object.entries(objects).map(([name, keys]) => {
    const part: ObjectPart = { object: canonicalObject(name) };
    const at = ['objects', name];
    const select = keys?.select;
    if (select) {
      part.select = {};
      if (select.inactiveOwners !== undefined) part.select.inactiveOwners = select.inactiveOwners;
      if (select.owners) part.select.owners = select.owners;
      if (select.accountOwner !== undefined) part.select.accountOwner = select.accountOwner;
      if (select.where) part.select.where = condition(select.where, [...at, 'select', 'where']);
      if (select.exclude) part.select.exclude = condition(select.exclude, [...at, 'select', 'exclude']);
    }
    if (keys?.rules)
      part.rules = keys.rules.map((rule, index) =>
        resolveRule(rule, [...at, 'rules', index], yaml, fromFolder, condition),
      );
    const write = keys?.write;
    if (write) {
      part.write = {};
      if (write.api) part.write.api = write.api;
      if (write.batchSize !== undefined) part.write.batchSize = write.batchSize;
      if (write.stamp) part.write.stamp = { ...write.stamp };
      if (write.cascade) part.write.cascade = [...new Set(write.cascade)];
    }
    return part;
  });
}

export function resolveSource(text: string, resolvePath: (path: string) => string): SourceSpec {
  const source = parseSource(text);
  // The schema or the flag check has refused a bad source already; this only narrows the type.
  if (isIssue(source)) throw new InputError({ message: source.message, hint: source.hint });
  return source.kind === 'csv' ? { kind: 'csv', path: resolvePath(source.path) } : source;
}

function resolveRule(
  rule: JobFileRule,
  at: KeyPath,
  yaml: YamlFile,
  fromFolder: (path: string) => string,
  condition: (text: string, path: KeyPath) => ConditionSpec,
): RuleSpec {
  const spec: RuleSpec = {
    assign: toAssignSpec(rule.assign, fromFolder),
    place: { file: yaml.file, line: lineAt(yaml, at) },
  };
  if (rule.name) spec.name = rule.name;
  if (rule.when) spec.when = condition(rule.when, [...at, 'when']);
  return spec;
}

function toAssignSpec(raw: JobFileRule['assign'], fromFolder: (path: string) => string): AssignSpec {
  // The schema and the cross-checks have made sure exactly one strategy key is present.
  return strategies.load(raw, fromFolder);
}
