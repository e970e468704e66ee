import { makeId } from '../../bench/data.js';
import type { RuleSpec } from '../../src/config/job.js';
import { Directory } from '../../src/directory/directory.js';
import type { FieldValue, Queue, SourceRecord, User } from '../../src/model.js';
import { type CompileOptions, compileRules } from '../../src/rules/compile.js';
import type { MappingFile, MappingRow } from '../../src/rules/mapping.js';
import { strategies } from '../../src/rules/strategies/index.js';
import type { RoundRobinState } from '../../src/rules/strategies/round-robin.js';
import type { WrittenAssign } from '../../src/rules/strategies/strategy.js';
import type { Rule, RuleContext } from '../../src/rules/types.js';

/** Small builders for the pure rule and planning tests. Every Id is a valid 18-character Id. */

export const userId = (n: number): string => makeId('005', n);
const queueId = (n: number): string => makeId('00G', n);
const leadId = (n: number): string => makeId('00Q', n);
export const accountId = (n: number): string => makeId('001', n);

let counter = 1000;
const next = (): number => counter++;

/** An active user `userN@acme.com`; pass `n` for a stable Id, or any User field to override. */
export function user(fields: Partial<User> & { n?: number } = {}): User {
  const { n = next(), ...rest } = fields;
  return { id: userId(n), isActive: true, username: `user${n}@acme.com`, name: `User ${n}`, ...rest };
}

/** A queue that takes leads, named `QueueN` (DeveloperName) / `Queue N` (Name). */
export function queue(fields: Partial<Queue> & { n?: number } = {}): Queue {
  const { n = next(), ...rest } = fields;
  return { id: queueId(n), developerName: `Queue${n}`, name: `Queue ${n}`, objects: ['Lead'], ...rest };
}

/** A lead owned by `ownerId` (or a fresh user Id), with lower-cased field names as sources deliver them. */
export function lead(
  fields: { n?: number; id?: string; ownerId?: string; line?: number } & Record<string, FieldValue> = {},
): SourceRecord {
  const { n = next(), id, ownerId, line, ...rest } = fields;
  const record: SourceRecord = {
    id: typeof id === 'string' ? id : leadId(n),
    ownerId: typeof ownerId === 'string' ? ownerId : userId(next()),
    fields: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k.toLowerCase(), v])),
  };
  if (typeof line === 'number') record.line = line;
  return record;
}

export function directoryOf(users: User[], queues: Queue[] = []): Directory {
  const directory = new Directory();
  for (const u of users) directory.addUser(u);
  for (const q of queues) directory.addQueue(q);
  return directory;
}

/** A rule spec as the job loader would produce it from `assign` as written, placed at `job.yaml line 10`. */
export function ruleSpec(assign: WrittenAssign, extra: Partial<Omit<RuleSpec, 'assign'>> = {}): RuleSpec {
  return { assign: strategies.load(assign, (path) => path), place: { file: 'job.yaml', line: 10 }, ...extra };
}

export function when(text: string): RuleSpec['when'] {
  return { text, place: { file: 'job.yaml', line: 11, key: 'when' } };
}

export function mappingFile(rows: Array<[from: string, to: string]>, label = 'owners.csv'): MappingFile {
  const list: MappingRow[] = rows.map(([from, to], i) => ({ line: i + 2, from, to }));
  return { label, rows: list };
}

export type CompileSetup = Partial<CompileOptions> & { directory: Directory };

/** compileRules with sane defaults: object Lead, target csv, no mappings, a fresh round-robin state. */
export function compile(specs: RuleSpec[], options: CompileSetup): Rule[] {
  return compileRules(specs, {
    object: 'Lead',
    target: 'csv',
    mappings: new Map(),
    roundRobin: new Map() as RoundRobinState,
    ...options,
  });
}

export function contextOf(directory: Directory, extra: Partial<RuleContext> = {}): RuleContext {
  return { directory, object: 'Lead', now: new Date('2024-05-15T12:00:00Z'), ...extra };
}
