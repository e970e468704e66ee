import type { z } from 'zod';
import type { Problem } from '../errors.js';
import { quote } from './checks.js';
import type { PathIssue } from './cross-checks.js';
import { ALLOWED_KEYS, KEY_HINTS } from './job-schema.js';
import { suggestClosest } from './suggest.js';
import { formatKeyPath, lineAt, type YamlFile } from './yaml-doc.js';

/** Turns zod's issues into the tool's problems: file, line, key path, what was wrong, what to do. */

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
};

/** `rules[].assign`: the path with indexes blanked, to look up allowed keys and hints. */
function shapePath(path: readonly PropertyKey[]): string {
  // An object of `objects:` has the job's own select, rules and write keys.
  if (path[0] === 'objects' && path.length > 2) return shapePath(path.slice(2));
  if (path[0] === 'objects' && path.length === 2) return 'objects.*';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += '[]';
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

export function issueToProblems(yaml: YamlFile, issue: Issue): Problem[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => unknownKeyProblem(yaml, path, key));
  }
  const described = describeIssue(issue);
  const hint = described.hint ?? KEY_HINTS[shapePath(path)];
  return [
    {
      file: yaml.file,
      line: lineAt(yaml, path),
      ...(path.length > 0 ? { key: formatKeyPath(path) } : {}),
      message: described.message,
      ...(hint ? { hint } : {}),
    },
  ];
}

export function pathIssueToProblem(yaml: YamlFile, issue: PathIssue): Problem {
  const { path, message, hint } = issue;
  return {
    file: yaml.file,
    line: lineAt(yaml, path),
    ...(path.length > 0 ? { key: formatKeyPath(path) } : {}),
    message,
    ...(hint ? { hint } : {}),
  };
}

/** A key that belongs in another mapping, e.g. `inactiveOwners` written at the top level. */
function suggestElsewhere(key: string, here: string): string | undefined {
  for (const [shape, keys] of Object.entries(ALLOWED_KEYS)) {
    if (shape === here || shape.includes('[]')) continue;
    const closest = suggestClosest(key, keys);
    if (closest) return `${shape}.${closest}`;
  }
  return undefined;
}

function unknownKeyProblem(yaml: YamlFile, parent: readonly PropertyKey[], key: string): Problem {
  const allowed = ALLOWED_KEYS[shapePath(parent)] ?? [];
  const closest = suggestClosest(key, allowed) ?? suggestElsewhere(key, shapePath(parent));
  const where = parent.length > 0 ? `in ${formatKeyPath(parent)}` : 'at the top level';
  return {
    file: yaml.file,
    line: lineAt(yaml, [...parent, key], true),
    key: formatKeyPath([...parent, key]),
    message: closest ? `unknown key "${key}"; did you mean "${closest}"?` : `unknown key "${key}"`,
    hint: `Allowed keys ${where}: ${allowed.join(', ')}`,
  };
}

function describeIssue(issue: Issue): { message: string; hint?: string } {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return { message: 'this key is required and missing' };
      return { message: `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${quote(input)}` };
    case 'invalid_value': {
      const choices = issue.values.map((value) => quote(value));
      const closest = typeof input === 'string' ? suggestClosest(input, issue.values.map(String)) : undefined;
      const suggestion = closest ? `; did you mean "${closest}"?` : '';
      const expected = choices.length === 1 ? choices[0] : `one of ${choices.join(', ')}`;
      return { message: `${quote(input)} is not allowed here${suggestion}`, hint: `Use ${expected}` };
    }
    case 'too_small':
      return { message: tooSmallMessage(issue, input) };
    case 'too_big':
      return {
        message: `${quote(input)} is too large: the most is ${String(issue.maximum)}${issue.inclusive ? '' : ' (exclusive)'}`,
      };
    case 'custom': {
      const hint = (issue.params as { hint?: string } | undefined)?.hint;
      return hint ? { message: issue.message, hint } : { message: issue.message };
    }
    default:
      // Unions carry their own message; the remaining codes do not arise from this schema.
      return { message: `${issue.message}, got ${quote(input)}` };
  }
}

function tooSmallMessage(issue: Extract<Issue, { code: 'too_small' }>, input: unknown): string {
  if (issue.origin === 'string') return 'the value is empty';
  if (issue.origin === 'array') return 'the list is empty';
  const bound = issue.inclusive ? `at least ${String(issue.minimum)}` : `above ${String(issue.minimum)}`;
  return `${quote(input)} is too small: it must be ${bound}`;
}
