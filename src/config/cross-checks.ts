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
  const issues: PathIssue[] = [
    ...checkObjectKeys(job, [], typeof job.object === 'string' ? job.object : 'Lead'),
  ];
  const csv = typeof job.from === 'string' && /^\s*csv:/i.test(job.from);
  if (typeof job.object === 'string' && csv) {
    const issue = checkCsvObject(job.object);
    if (issue) issues.push({ ...issue, path: ['object'] });
  }
  const objects = asMap(job.objects);
  if (objects && job.object !== undefined) {
    issues.push({
      path: ['object'],
      message: 'a job names either one object (object:) or several (objects:), not both',
      hint: `Remove object:, or list ${String(job.object)} under objects:`,
    });
  }
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(objects ?? {})) {
    const twice = seen.get(name.toLowerCase());
    if (twice !== undefined)
      issues.push({
        path: ['objects', name],
        message: `${name} is listed twice (also as ${twice})`,
        hint: 'List each object once',
      });
    seen.set(name.toLowerCase(), name);
    const issue = csv ? checkCsvObject(name) : undefined;
    if (issue) issues.push({ ...issue, path: ['objects', name] });
    const part = asMap(value) ?? {};
    issues.push(...checkObjectKeys(part, ['objects', name], name));
  }
  return issues;
}

/** The checks of the keys a job and each object of `objects:` share: rules, stamps and cascade. */
function checkObjectKeys(keys: Loose, at: KeyPath, object: string): PathIssue[] {
  const issues: PathIssue[] = [];
  const rules = Array.isArray(keys.rules) ? keys.rules : [];
  rules.forEach((rule, index) => {
    const assign = asMap(asMap(rule)?.assign);
    if (assign) issues.push(...checkAssign(assign, [...at, 'rules', index, 'assign']));
  });
  const write = asMap(keys.write);
  const stamp = asMap(write?.stamp);
  for (const field of Object.keys(stamp ?? {})) {
    const issue = checkStampField(field);
    if (issue) issues.push({ ...issue, path: [...at, 'write', 'stamp', field] });
  }
  const cascade = write?.cascade;
  // A job of several objects gives its own cascade to its Account only.
  if (Array.isArray(cascade) && !(at.length === 0 && keys.objects !== undefined)) {
    const issue = checkCascade(object, cascade.map(String));
    if (issue) issues.push({ ...issue, path: [...at, 'write', 'cascade'] });
  }
  return issues;
}

/** One strategy per rule and each strategy's own checks, as the strategy registry states them. */
export function checkAssign(assign: Loose, at: KeyPath): PathIssue[] {
  return strategies.check(assign).map((issue) => ({ ...issue, path: [...at, ...issue.path] }));
}
