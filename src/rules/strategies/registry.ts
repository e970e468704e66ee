import type { Place } from '../../errors.js';
import type { MappingFile } from '../mapping.js';
import type { AssignIssue } from './parts.js';
import type { CompanionExport, CountRequest, Strategy, TaggedAssign, WrittenAssign } from './strategy.js';
import type { TerritoryTable } from './territory-table.js';

type Rules<A> = ReadonlyArray<{ assign: A; place?: Place }>;
type Tables = ReadonlyMap<string, TerritoryTable>;

/** A list of strategies, and the questions the rest of leadshift asks of all of them at once. */
export interface Registry<A extends TaggedAssign> {
  readonly list: ReadonlyArray<Strategy<A>>;
  /** The strategy keys, in the list's order. */
  readonly keys: readonly string[];
  /** The strategy of a tagged spec. */
  of(spec: A): Strategy<A>;
  /** The strategies an `assign:` mapping names, as written. */
  namedIn(assign: WrittenAssign): Array<Strategy<A>>;
  /** Exactly one strategy per rule, then each strategy's own checks. Paths are relative to the assign. */
  check(assign: WrittenAssign): AssignIssue[];
  /** The tagged spec of an assign that passed the schema and `check`. */
  load(assign: WrittenAssign, resolvePath: (path: string) => string): A;
  /** Files the rules need read, each once. */
  files(rules: Rules<A>): string[];
  /** Territory tables the rules need read, each once. */
  tables(rules: Rules<A>): string[];
  /** People and queues the rules name, each once. */
  people(rules: Rules<A>, mappings: ReadonlyMap<string, MappingFile>, territories?: Tables): string[];
  /** Record fields the rules read, each once. */
  fields(rules: Rules<A>, territories?: Tables): string[];
  /** People whose open records are counted before planning. */
  counted(rules: Rules<A>): string[];
  /** Counts of other objects, or under conditions, that rules weigh their members by. */
  tallies(rules: Rules<A>): CountRequest[];
  /** Companion exports a CSV source needs for the rules. */
  exports(rules: Rules<A>): Set<CompanionExport>;
  /** What the source must read for the rules. */
  reads(rules: Rules<A>): { accountOwner: boolean; managers: boolean };
  /** The write API some rule needs, if any. */
  writeApi(rules: Rules<A>): 'rest' | undefined;
}

export function createRegistry<A extends TaggedAssign>(list: ReadonlyArray<Strategy<A>>): Registry<A> {
  const byKey = new Map<string, Strategy<A>>();
  for (const strategy of list) {
    for (const key of [strategy.key, ...Object.keys(strategy.options)]) {
      if (byKey.has(key)) throw new Error(`two rule strategies claim the assign key ${key}`);
    }
    byKey.set(strategy.key, strategy);
  }
  const keys = list.map((strategy) => strategy.key);
  const of = (spec: A): Strategy<A> => {
    const strategy = byKey.get(spec.strategy);
    if (!strategy) throw new Error(`no rule strategy is called ${spec.strategy}`);
    return strategy;
  };
  const namedIn = (assign: WrittenAssign) => list.filter((strategy) => assign[strategy.key] !== undefined);
  const each = <T>(rules: Rules<A>, pick: (strategy: Strategy<A>, spec: A) => T[]): T[] => [
    ...new Set(rules.flatMap((rule) => pick(of(rule.assign), rule.assign))),
  ];
  return {
    list,
    keys,
    of,
    namedIn,
    check: (assign) => [...checkOneStrategy(namedIn(assign), keys), ...list.flatMap((s) => s.check(assign))],
    load: (assign, resolvePath) => {
      const [strategy] = namedIn(assign);
      if (!strategy) throw new Error('assign without a strategy passed validation');
      return strategy.load(assign, resolvePath);
    },
    files: (rules) => each(rules, (strategy, spec) => strategy.files(spec)),
    tables: (rules) => each(rules, (strategy, spec) => strategy.tables(spec)),
    people: (rules, mappings, territories = new Map()) =>
      each(rules, (strategy, spec) => strategy.people(spec, mappings, territories)),
    fields: (rules, territories = new Map()) =>
      each(rules, (strategy, spec) => strategy.fields(spec, territories)),
    counted: (rules) => each(rules, (strategy, spec) => strategy.counted(spec)),
    tallies: (rules) =>
      rules.flatMap((rule, index) =>
        of(rule.assign).tallies(rule.assign, (leaf) => ({
          ...rule.place,
          key: rule.place?.key?.startsWith('--') ? rule.place.key : `rules[${index}].assign.${leaf}`,
        })),
      ),
    exports: (rules) => new Set(each(rules, (strategy) => [...strategy.exports])),
    reads: (rules) => {
      const used = rules.map((rule) => of(rule.assign).reads);
      return {
        accountOwner: used.some((reads) => reads.accountOwner),
        managers: used.some((reads) => reads.managers),
      };
    },
    writeApi: (rules) => each(rules, (strategy, spec) => [strategy.writeApi(spec)]).find(Boolean),
  };
}

function checkOneStrategy<A extends TaggedAssign>(
  named: ReadonlyArray<Strategy<A>>,
  keys: readonly string[],
): AssignIssue[] {
  if (named.length === 0) {
    return [
      { path: [], message: 'assign names no strategy', hint: `Give exactly one of ${keys.join(', ')}` },
    ];
  }
  const names = named.map((strategy) => strategy.key).join(', ');
  return named.slice(1).map((extra) => ({
    path: [extra.key],
    message: `assign has more than one strategy (${names})`,
    hint: 'A rule takes exactly one; split it into one rule per strategy, tried in order',
  }));
}
