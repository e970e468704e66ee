import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { emptyJob, type JobSpec } from '../../src/config/job.js';
import { ALLOWED_KEYS, assignShapeOf, KEY_HINTS } from '../../src/config/job-schema.js';
import { sourceNeeds } from '../../src/core/prepare.js';
import { queueNameOf, queueReference } from '../../src/directory/queue-reference.js';
import { decideOwner } from '../../src/plan/decide.js';
import { compileRules } from '../../src/rules/compile.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import {
  type AssignSpec,
  createRegistry,
  STRATEGIES,
  STRATEGY_KEYS,
  type StrategyKey,
  strategies,
} from '../../src/rules/strategies/index.js';
import { keepStrategy } from '../../src/rules/strategies/keep.js';
import { text } from '../../src/rules/strategies/parts.js';
import type { Strategy, WrittenAssign } from '../../src/rules/strategies/strategy.js';
import { resolveTarget } from '../../src/rules/targets.js';
import type { RuleOutcome } from '../../src/rules/types.js';
import { contextOf, directoryOf, lead, mappingFile, user } from './builders.js';

/** One valid `assign:` per strategy. Typed by key, so a new strategy without an example does not compile. */
const EXAMPLES: Record<StrategyKey, WrittenAssign> = {
  user: { user: 'ana@acme.com' },
  map: { map: 'owners.csv' },
  queue: { queue: 'Hopper' },
  keep: { keep: true },
  manager: { manager: true },
  accountOwner: { accountOwner: true },
  roundRobin: { roundRobin: ['ana@acme.com', 'ben@acme.com'], weights: [2, 1], balance: 'load' },
  territory: { territory: 'territories.csv' },
  salesforceRules: { salesforceRules: '01Q000000000001AAA' },
};

const assignSchema = z.strictObject(assignShapeOf(strategies));
const place = { file: 'job.yaml', line: 3 };
const rulesOf = (...assigns: WrittenAssign[]): Array<RuleSpec<AssignSpec>> =>
  assigns.map((assign) => ({ assign: strategies.load(assign, (path) => `/jobs/${path}`), place }));

describe('strategy registry', () => {
  it('lists every strategy once, by a key no other strategy uses for itself or an option', () => {
    const claimed = STRATEGIES.flatMap((strategy) => [strategy.key, ...Object.keys(strategy.options)]);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect([...STRATEGY_KEYS].sort()).toEqual(Object.keys(EXAMPLES).sort());
    expect(strategies.keys).toEqual(STRATEGY_KEYS);
  });

  it('refuses a list in which two strategies claim one key', () => {
    const twin = { ...keepStrategy, hints: {} };
    expect(() => createRegistry<AssignSpec>([...STRATEGIES, twin])).toThrow(
      'two rule strategies claim the assign key keep',
    );
  });

  it.each(STRATEGY_KEYS)(
    '%s: the schema takes its example, loads it tagged, and finds the module by the tag',
    (key) => {
      const example = EXAMPLES[key];
      expect(assignSchema.safeParse(example).success).toBe(true);
      expect(strategies.check(example)).toEqual([]);
      const spec = strategies.load(example, (path) => `/jobs/${path}`);
      expect(spec.strategy).toBe(key);
      expect(strategies.of(spec).key).toBe(key);
    },
  );

  it.each(STRATEGIES.map((strategy) => [strategy.key, strategy] as const))(
    '%s: its own schema refuses a number and nothing, and its keys are allowed and advised in the job file',
    (key, strategy) => {
      expect(strategy.schema.safeParse(42).success).toBe(false);
      expect(strategy.schema.safeParse(undefined).success).toBe(false);
      const keys = [key, ...Object.keys(strategy.options)];
      expect(ALLOWED_KEYS['rules[].assign']).toEqual(expect.arrayContaining(keys));
      for (const [hinted, hint] of Object.entries(strategy.hints)) {
        expect(keys).toContain(hinted);
        expect(KEY_HINTS[`rules[].assign.${hinted}`]).toBe(hint);
      }
    },
  );

  it('asks for exactly one strategy per assign, naming them in the registry order', () => {
    expect(strategies.check({})).toEqual([
      {
        path: [],
        message: 'assign names no strategy',
        hint: `Give exactly one of ${STRATEGY_KEYS.join(', ')}`,
      },
    ]);
    const issues = strategies.check({ queue: 'Hopper', user: 'ana@acme.com', keep: true });
    expect(issues.map((issue) => issue.path)).toEqual([['queue'], ['keep']]);
    expect(issues[0]?.message).toBe('assign has more than one strategy (user, queue, keep)');
  });

  it('collects what the rules need: files, people, counts, exports, reads and the write API', () => {
    const rules = rulesOf(
      EXAMPLES.map,
      EXAMPLES.queue,
      EXAMPLES.roundRobin,
      EXAMPLES.manager,
      EXAMPLES.accountOwner,
      { salesforceRules: true },
    );
    const mappings = new Map([['/jobs/owners.csv', mappingFile([['old@acme.com', 'ana@acme.com']])]]);
    expect(strategies.files(rules)).toEqual(['/jobs/owners.csv']);
    expect(strategies.people(rules, mappings)).toEqual([
      'old@acme.com',
      'ana@acme.com',
      'queue:Hopper',
      'ben@acme.com',
    ]);
    expect(strategies.counted(rules)).toEqual(['ana@acme.com', 'ben@acme.com']);
    expect([...strategies.exports(rules)].sort()).toEqual(['accounts', 'queues', 'users']);
    expect(strategies.reads(rules)).toEqual({ accountOwner: true, managers: true });
    expect(strategies.writeApi(rules)).toBe('rest');
    expect(strategies.writeApi(rulesOf(EXAMPLES.salesforceRules, EXAMPLES.keep))).toBeUndefined();
    expect(strategies.reads(rulesOf(EXAMPLES.keep))).toEqual({ accountOwner: false, managers: false });
  });
});

describe('what the source is told the rules need', () => {
  const jobOf = (object: string, assigns: WrittenAssign[], accountOwner?: string): JobSpec => {
    const job = emptyJob();
    job.object = object;
    job.rules = rulesOf(...assigns);
    if (accountOwner) job.select.accountOwner = accountOwner;
    return job;
  };

  it('names the account lookup only when a rule reads account owners', () => {
    expect(sourceNeeds(jobOf('Contact', [EXAMPLES.accountOwner])).accountLookup).toBe('AccountId');
    expect(sourceNeeds(jobOf('Lead', [EXAMPLES.accountOwner], 'Partner_Account__c')).accountLookup).toBe(
      'Partner_Account__c',
    );
    expect(sourceNeeds(jobOf('Contact', [EXAMPLES.keep], 'Partner_Account__c'))).toEqual({
      exports: { users: false, queues: false, accounts: false },
      managers: false,
    });
  });

  it('asks for managers and the exports the strategies declare', () => {
    expect(sourceNeeds(jobOf('Lead', [EXAMPLES.manager, EXAMPLES.queue]))).toEqual({
      exports: { users: true, queues: true, accounts: false },
      managers: true,
    });
  });
});

describe('queue references', () => {
  it.each([
    ['queue:Hopper', 'Hopper'],
    ['QUEUE: Hopper ', 'Hopper'],
    ['ana@acme.com', undefined],
    ['queueing@acme.com', undefined],
  ])('%s names the queue %s', (reference, name) => {
    expect(queueNameOf(reference)).toBe(name);
  });

  it('adds the prefix once', () => {
    expect(queueReference('Hopper')).toBe('queue:Hopper');
    expect(queueReference('Queue:Hopper')).toBe('queue:Hopper');
  });
});

/** A strategy that exists only here: the owner named in a field of the record. */
interface NamedByAssign {
  strategy: 'namedBy';
  namedBy: string;
}

const namedByStrategy: Strategy<NamedByAssign> = {
  key: 'namedBy',
  schema: text,
  options: {},
  hints: { namedBy: 'Name the field that holds the new owner' },
  exports: ['users'],
  reads: { accountOwner: false, managers: false },
  init: undefined,
  check: () => [],
  load: (assign) => ({ strategy: 'namedBy', namedBy: String(assign.namedBy) }),
  files: () => [],
  people: () => [],
  fields: (spec) => [spec.namedBy.toLowerCase()],
  counted: () => [],
  tallies: () => [],
  tables: () => [],
  writeApi: () => undefined,
  compile: (spec, at, options) => ({
    name: `owner from ${spec.namedBy}`,
    decide: (record): RuleOutcome => {
      const named = record.fields[spec.namedBy.toLowerCase()];
      if (typeof named !== 'string' || !named) return { kind: 'pass', reason: `${spec.namedBy} is empty` };
      const ownerId = resolveTarget(named, at.at('namedBy'), options.directory, options.object);
      return { kind: 'assign', ownerId };
    },
  }),
};

describe('a strategy added through the registry interface alone', () => {
  const registry = createRegistry<AssignSpec | NamedByAssign>([...STRATEGIES, namedByStrategy]);
  const ana = user({ n: 1, username: 'ana@acme.com' });
  const old = user({ n: 2, username: 'old@acme.com', isActive: false });
  const directory = directoryOf([ana, old]);

  it('is a job file key, checked, loaded and asked for its fields', () => {
    const written = { namedBy: 'Partner_Rep__c' };
    expect(z.strictObject(assignShapeOf(registry)).safeParse(written).success).toBe(true);
    expect(assignSchema.safeParse(written).success).toBe(false);
    expect(registry.check(written)).toEqual([]);
    expect(registry.check({ ...written, keep: true })[0]?.message).toBe(
      'assign has more than one strategy (keep, namedBy)',
    );
    const spec = registry.load(written, (path) => path);
    expect(spec).toEqual({ strategy: 'namedBy', namedBy: 'Partner_Rep__c' });
    expect(registry.fields([{ assign: spec }])).toEqual(['partner_rep__c']);
  });

  it('compiles beside the built-in strategies and plans records', () => {
    const specs = [
      { assign: registry.load({ namedBy: 'Partner_Rep__c' }, (path) => path), place },
      { assign: registry.load({ keep: true }, (path) => path), place },
    ];
    const rules = compileRules(
      specs,
      { directory, object: 'Lead', mappings: new Map(), target: 'csv', roundRobin: new Map() },
      registry,
    );
    const context = contextOf(directory);
    const named = lead({ ownerId: old.id, partner_rep__c: 'ana@acme.com' });
    const empty = lead({ ownerId: old.id });
    expect(decideOwner(named, rules, context)).toEqual({
      kind: 'assign',
      ownerId: ana.id,
      rule: 'owner from Partner_Rep__c',
    });
    expect(decideOwner(empty, rules, context)).toEqual({ kind: 'keep', rule: 'keep' });
  });
});
