/** Reading --json output: one document in the Salesforce CLI's envelope. */
import { expect } from 'vitest';

export interface Failure {
  status: number;
  name: string;
  message: string;
  exitCode: number;
  actions: string[];
  data: { problems?: Array<{ file?: string; line?: number; message: string; hint?: string }> } & Record<
    string,
    unknown
  >;
  warnings: string[];
}

/** The `result` of a success (status 0, or 3 when some records failed), after checking the envelope. */
export function resultOf<T = Record<string, unknown>>(stdout: string, status = 0): T {
  const doc = JSON.parse(stdout) as { status: number; result: T; warnings: string[] };
  expect(Object.keys(doc).sort()).toEqual(['result', 'status', 'warnings']);
  expect(doc.status).toBe(status);
  expect(Array.isArray(doc.warnings)).toBe(true);
  return doc.result;
}

export function failureOf(stdout: string): Failure {
  const doc = JSON.parse(stdout) as Failure;
  expect(Object.keys(doc).sort()).toEqual([
    'actions',
    'data',
    'exitCode',
    'message',
    'name',
    'status',
    'warnings',
  ]);
  expect(doc.status).toBe(doc.exitCode);
  return doc;
}
