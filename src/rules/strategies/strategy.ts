import type { z } from 'zod';
import type { Directory } from '../../directory/directory.js';
import type { Place } from '../../errors.js';
import type { MappingFile } from '../mapping.js';
import type { Rule } from '../types.js';
import type { AssignIssue } from './parts.js';
import type { RoundRobinState } from './round-robin.js';
import type { TerritoryTable } from './territory-table.js';

/** What every strategy's spec carries: its key, as the tag of the `assign` union. */
export interface TaggedAssign {
  strategy: string;
}

/** A validated `assign:` mapping as written in the job file, before it is tagged. */
export type WrittenAssign = Readonly<Record<string, unknown>>;

/** A companion export a CSV source must be given for the rule to resolve. */
export type CompanionExport = 'users' | 'queues' | 'accounts';

export interface CompileOptions {
  directory: Directory;
  object: string;
  /** Files the strategies asked for, already read, by path. */
  mappings: ReadonlyMap<string, MappingFile>;
  /** Where writes go: Salesforce's own assignment rules only run on a Salesforce write. */
  target: 'salesforce' | 'csv';
  /** Turns kept between runs for round-robin rules. */
  roundRobin: RoundRobinState;
  /** The lookup to the account, for account-owner rules on leads (`select.accountOwner: FIELD`). */
  accountField?: string;
  /** Territory tables the strategies asked for, already read, by path. */
  territories?: ReadonlyMap<string, TerritoryTable>;
  /**
   * The fields the source can read, of those the rules name (lower-cased): the export's columns, or
   * the object's describe on Salesforce. Absent when the source was not asked.
   */
  knownFields?: ReadonlySet<string>;
}

/**
 * Records of an object per owner that a rule weighs its members by (`load:`, `weights: performance`),
 * counted before planning: a SOQL aggregate on Salesforce, the object's export on CSV.
 */
export interface CountRequest {
  /** The people counted, as written. */
  members: string[];
  object: string;
  /** The condition the counted records meet, and where it was written. */
  where: { text: string; place: Place };
}

/** The key a count is kept under in the rule context, the same for the same object and condition. */
export function countKey(request: Pick<CountRequest, 'object' | 'where'>): string {
  return `${request.object.toLowerCase()}|${request.where.text}`;
}

/** Where one rule was written, for the messages its strategy raises while compiling. */
export interface CompilePlace {
  /** The rule's position in the job, from 0. */
  index: number;
  /** The place of a key under `assign` (`rules[2].assign.map`, or the flag that made the rule). */
  at(leaf: string): Place;
}

export type CompiledRule = Pick<Rule, 'name' | 'decide' | 'explain' | 'shares'>;

/** The part of a prompt `init` needs to ask about one rule. */
export interface Asker {
  ask(message: string, fallback?: string): Promise<string>;
}

export interface InitQuestion {
  /** The line in init's "Who gets them?" menu. */
  choice: string;
  /** Asks for the rule's values; returns the `assign:` mapping as the job file will hold it. */
  ask(asker: Asker, relativePath: (file: string) => string): Promise<Record<string, unknown>>;
}

/**
 * Everything leadshift knows about one way of choosing a new owner. A module under
 * src/rules/strategies/ implements it and src/rules/strategies/index.ts lists it; the job schema, the
 * checks, preparing a run, the sources' field lists and `init` read it from there. Every member is
 * required, so a strategy that leaves one out does not compile.
 */
export interface Strategy<S extends TaggedAssign> {
  /** The key under `assign:` that names the strategy, and the tag of its spec. */
  readonly key: S['strategy'];
  /** The value written under the key. */
  readonly schema: z.ZodType;
  /** Keys that may be written beside the strategy key (roundRobin's `weights`), with their schemas. */
  readonly options: Readonly<Record<string, z.ZodType>>;
  /** Advice for a value the schema refused, by key (the strategy key or one of its options). */
  readonly hints: Readonly<Record<string, string>>;
  /** Companion exports a CSV source needs for this rule. */
  readonly exports: readonly CompanionExport[];
  /** What the source must read for this rule, beyond the conditions' fields. */
  readonly reads: { readonly accountOwner: boolean; readonly managers: boolean };
  /** The `init` question, or undefined when init does not offer the strategy. */
  readonly init: InitQuestion | undefined;
  /** Checks across the keys of one assign, on the raw YAML; paths are relative to the assign. */
  check(assign: WrittenAssign): AssignIssue[];
  /** The tagged spec from a validated assign; `resolvePath` takes a path from where it was written. */
  load(assign: WrittenAssign, resolvePath: (path: string) => string): S;
  /** Files to read before compiling, by path. */
  files(spec: S): string[];
  /** Territory tables to read before compiling, by path. */
  tables(spec: S): string[];
  /** People and queues the rule names, so that a source reading people on demand loads them. */
  people(
    spec: S,
    mappings: ReadonlyMap<string, MappingFile>,
    territories: ReadonlyMap<string, TerritoryTable>,
  ): string[];
  /** Record fields the rule reads (lower-cased API names), which the source must select. */
  fields(spec: S, territories: ReadonlyMap<string, TerritoryTable>): string[];
  /** People whose open records are counted before planning (round robin balanced by load). */
  counted(spec: S): string[];
  /** Records of other objects, or under conditions, counted per member before planning. */
  tallies(spec: S, at: (leaf: string) => Place): CountRequest[];
  /** The write API the rule needs whatever `write.api` auto would pick, if any. */
  writeApi(spec: S): 'rest' | undefined;
  compile(spec: S, place: CompilePlace, options: CompileOptions): CompiledRule;
}

/** The members most strategies leave at "nothing": a strategy module states only what it has. */
type Defaulted =
  | 'options'
  | 'exports'
  | 'reads'
  | 'init'
  | 'check'
  | 'files'
  | 'tables'
  | 'people'
  | 'fields'
  | 'counted'
  | 'tallies'
  | 'writeApi';

/** A strategy from the members it has; the others read nothing, name nobody and need no write API. */
export function defineStrategy<S extends TaggedAssign>(
  strategy: Omit<Strategy<S>, Defaulted> & Partial<Pick<Strategy<S>, Defaulted>>,
): Strategy<S> {
  return {
    options: {},
    exports: [],
    reads: { accountOwner: false, managers: false },
    init: undefined,
    check: () => [],
    files: () => [],
    tables: () => [],
    people: () => [],
    fields: () => [],
    counted: () => [],
    tallies: () => [],
    writeApi: () => undefined,
    ...strategy,
  };
}
