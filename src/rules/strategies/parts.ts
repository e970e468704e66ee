import { z } from 'zod';

/**
 * Pieces the strategy modules share with the job file's schema: value schemas, the issue shape and the
 * way a value is quoted in a message, so a rule's key is refused the way any other key is.
 */

export interface Issue {
  message: string;
  hint?: string;
}

/** An issue at a key path below one rule's `assign` (`['weights']`, `['roundRobin', 1]`). */
export interface AssignIssue extends Issue {
  path: Array<string | number>;
}

export const text = z.string().trim().min(1);
export const positiveInt = z.number().int().positive();

type Refine = z.core.$RefinementCtx;

/** Adds an issue to a zod refinement, carrying its hint to the problem the user sees. */
export function report(ctx: Refine, issue: Issue | undefined, path: PropertyKey[] = []): void {
  if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path, params: { hint: issue.hint } });
}

export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** `a, b ,c` → `['a', 'b', 'c']`, for answers typed as lists. */
export function splitList(answer: string): string[] {
  return answer
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
