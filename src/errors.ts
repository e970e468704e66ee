/**
 * The tool's own error classes. Exit codes are decided in one place (cli/main.ts) from these classes,
 * as README.md lists them: 2 bad input, 3 some records failed, 4 refused or stopped, 130 interrupted, 1
 * anything else.
 */

/** Where a problem was found: every field is optional, and the message names whichever are known. */
export interface Place {
  file?: string;
  line?: number;
  column?: number | string;
  key?: string;
  recordId?: string;
}

export interface Problem extends Place {
  /** What was wrong, including the value received, e.g. `"jdoe@acme.com" is an inactive user`. */
  message: string;
  /** What to do about it, e.g. `Map it to an active user, or remove the row.` */
  hint?: string;
}

export function formatPlace(place: Place): string {
  const parts: string[] = [];
  if (place.file) parts.push(place.file);
  if (place.line !== undefined) parts.push(`line ${place.line}`);
  if (place.column !== undefined) parts.push(`column ${place.column}`);
  if (place.key) parts.push(`key ${place.key}`);
  if (place.recordId) parts.push(`record ${place.recordId}`);
  return parts.join(', ');
}

export function formatProblem(problem: Problem): string {
  const where = formatPlace(problem);
  const text = where ? `${where}: ${problem.message}` : problem.message;
  if (!problem.hint) return text;
  return /[.?!]$/.test(text) ? `${text} ${problem.hint}` : `${text}. ${problem.hint}`;
}

/** Bad usage or bad input. Raised before anything is written; exit 2. Carries every problem found. */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}

/** A deliberate refusal: lock held, limit exceeded, confirmation declined, no terminal to ask; exit 4. */
export class RefusedError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(hint ? `${message}. ${hint}` : message);
    this.name = 'RefusedError';
    this.hint = hint;
  }
}

/**
 * Salesforce stopped the work: an outage that outlasted the retries, a dropped network, the daily API
 * allowance spent, a session gone, or a request it refused that is no record's fault. Nothing wrong was
 * written and results.csv is true; exit 4. `runDir` is set where the work can be resumed with apply.
 */
export class StoppedError extends Error {
  readonly hint: string | undefined;
  /** Set by apply, which knows the run directory the stop can be resumed from. */
  runDir: string | undefined;
  constructor(message: string, options: { hint?: string; runDir?: string } = {}) {
    super(message);
    this.name = 'StoppedError';
    this.hint = options.hint;
    this.runDir = options.runDir;
  }
}

/** The run was stopped by a signal after the journal was flushed; exit 130. */
export class InterruptedError extends Error {
  readonly runDir: string | undefined;
  constructor(message: string, runDir?: string) {
    super(message);
    this.name = 'InterruptedError';
    this.runDir = runDir;
  }
}

/** Collects problems so that all of them are reported at once. */
export class ProblemList {
  readonly items: Problem[] = [];
  /** The same problem found twice (for each object of a job) is said once. */
  add(problem: Problem): void {
    const same = (other: Problem) => JSON.stringify(other) === JSON.stringify(problem);
    if (!this.items.some(same)) this.items.push(problem);
  }
  get size(): number {
    return this.items.length;
  }
  throwIfAny(): void {
    if (this.items.length > 0) throw new InputError(this.items);
  }
}
