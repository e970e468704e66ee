import { checkCascade, checkStampField, type Issue, quote } from './checks.js';
import { ROUND_ROBIN_OPTIONS, STRATEGY_KEYS } from './job-schema.js';
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
  const cascade = write?.cascade;
  if (Array.isArray(cascade)) {
    const object = typeof job.object === 'string' ? job.object : 'Lead';
    const issue = checkCascade(object, cascade.map(String));
    if (issue) issues.push({ ...issue, path: ['write', 'cascade'] });
  }
  return issues;
}

export function checkAssign(assign: Loose, at: KeyPath): PathIssue[] {
  const issues: PathIssue[] = [];
  const strategies = STRATEGY_KEYS.filter((key) => assign[key] !== undefined);
  if (strategies.length === 0) {
    issues.push({
      path: at,
      message: 'assign names no strategy',
      hint: `Give exactly one of ${STRATEGY_KEYS.join(', ')}`,
    });
  }
  for (const extra of strategies.slice(1)) {
    issues.push({
      path: [...at, extra],
      message: `assign has more than one strategy (${strategies.join(', ')})`,
      hint: 'A rule takes exactly one; split it into one rule per strategy, tried in order',
    });
  }
  if (assign.roundRobin === undefined) {
    for (const option of ROUND_ROBIN_OPTIONS.filter((key) => assign[key] !== undefined)) {
      issues.push({
        path: [...at, option],
        message: `${option} is an option of roundRobin, and this rule has no roundRobin`,
        hint: `Remove ${option}, or assign with roundRobin: [...]`,
      });
    }
  }
  const { roundRobin, weights } = assign;
  if (Array.isArray(roundRobin) && Array.isArray(weights) && roundRobin.length !== weights.length) {
    issues.push({
      path: [...at, 'weights'],
      message: `${weights.length} weights for ${roundRobin.length} people in roundRobin`,
      hint: 'Give one weight per person, in the same order',
    });
  }
  if (Array.isArray(roundRobin)) issues.push(...checkUnique(roundRobin, [...at, 'roundRobin']));
  return issues;
}

function checkUnique(people: unknown[], at: KeyPath): PathIssue[] {
  const seen = new Set<string>();
  const issues: PathIssue[] = [];
  people.forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    const normalized = entry.trim().toLowerCase();
    if (seen.has(normalized)) {
      issues.push({
        path: [...at, index],
        message: `${quote(entry)} is listed twice in roundRobin`,
        hint: 'List each person once; use weights to give someone a larger share',
      });
    }
    seen.add(normalized);
  });
  return issues;
}
