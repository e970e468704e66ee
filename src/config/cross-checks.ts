import { strategies } from '../rules/strategies/index.js';
import { checkCascade, checkCsvObject, checkStampField, type Issue } from './checks.js';
import type { KeyPath } from './yaml-doc.js';

/**
 * Checks that span several keys (one strategy per rule, weights per person, cascade only for Account).
 * They run on the raw parsed YAML beside the schema, not as zod refinements, because zod skips
 * refinements once a field has failed, and every problem should be reported in one pass.
 */

export interface PathIssue extends Issue {
  path: KeyPath;
}

type Loose = Record<string, unknown>;

function asMap(value: unknown): Loose | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
}

export function crossCheckJob(raw: unknown): PathIssue[] {
  const job = asMap(raw);
  if (!job) return [];
  const issues: PathIssue[] = [];
  const rules = Array.isArray(job.rules) ? job.rules : [];
  rules.forEach((rule, index) => {
    const assign = asMap(asMap(rule)?.assign);
    if (assign) issues.push(...checkAssign(assign, ['rules', index, 'assign']));
  });
  const write = asMap(job.write);
  const stamp = asMap(write?.stamp);
  for (const field of Object.keys(stamp ?? {})) {
    const issue = checkStampField(field);
    if (issue) issues.push({ ...issue, path: ['write', 'stamp', field] });
  }
  if (typeof job.object === 'string' && typeof job.from === 'string' && /^\s*csv:/i.test(job.from)) {
    const issue = checkCsvObject(job.object);
    if (issue) issues.push({ ...issue, path: ['object'] });
  }
  const cascade = write?.cascade;
  if (Array.isArray(cascade)) {
    const object = typeof job.object === 'string' ? job.object : 'Lead';
    const issue = checkCascade(object, cascade.map(String));
    if (issue) issues.push({ ...issue, path: ['write', 'cascade'] });
  }
  return issues;
}

/** One strategy per rule and each strategy's own checks, as the strategy registry states them. */
export function checkAssign(assign: Loose, at: KeyPath): PathIssue[] {
  return strategies.check(assign).map((issue) => ({ ...issue, path: [...at, ...issue.path] }));
}
