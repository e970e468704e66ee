import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { loadJobFile } from '../../src/config/load-job.js';
import { InputError } from '../../src/errors.js';

/** Temporary job files for the config tests; each test gets a fresh folder. */

export interface TempDir {
  dir: string;
  /** Writes a job file and returns its path relative to the working directory, as a user would type it. */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function makeTempDir(): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), 'leadshift-config-'));
  return {
    dir,
    async write(name, text) {
      const absolute = join(dir, name);
      await writeFile(absolute, text, 'utf8');
      return relative(process.cwd(), absolute);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function loadError(path: string): Promise<InputError> {
  const error = await loadJobFile(path).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

export interface Expected {
  line: number;
  key?: string;
  text: string;
}

/** Asserts that one problem names the file, the line, the key and says `text`, in the message users see. */
export function expectProblem(error: InputError, file: string, expected: Expected): void {
  const where = [file, `line ${expected.line}`].join(', ');
  const lines = error.message.split('\n');
  const match = lines.find(
    (line) =>
      line.startsWith(where) &&
      (expected.key === undefined || line.includes(`key ${expected.key}:`)) &&
      line.includes(expected.text),
  );
  expect(
    match,
    `no problem at ${where} key ${expected.key} saying ${expected.text} in:\n${error.message}`,
  ).toBeDefined();
}

export const SPEC_EXAMPLE = `object: Lead
from: salesforce            # or csv:exports/leads.csv with users:, queues:, accounts:
select:
  inactiveOwners: true
  exclude: "Exclude_From_Reassignment__c = true"
rules:
  - assign: { map: mappings/departed-reps.csv }
  - name: DACH
    when: "Country IN ('DE','AT','CH')"
    assign: { roundRobin: [anna@acme.com, ben@acme.com], weights: [2, 1], balance: load, capacity: 200 }
  - assign: { queue: Unassigned_Leads }
write:
  api: auto                 # rest | bulk | auto (bulk from 2,000 records)
  batchSize: 200
  stamp: { Reassignment_Reason__c: "{rule}" }
limits:
  maxChanges: 5000          # refuse to apply a plan larger than this
  maxApiShare: 0.5          # refuse when the run would use more than half the remaining daily API requests
`;
