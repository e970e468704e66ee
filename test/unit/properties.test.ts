import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RuleSpec } from '../../src/config/job.js';
import { type Directory, ownerRefusal } from '../../src/directory/directory.js';
import { InputError } from '../../src/errors.js';
import type { Decision, SourceRecord, User } from '../../src/model.js';
import { decideOwner } from '../../src/plan/decide.js';
import type { MappingFile } from '../../src/rules/mapping.js';
import type { RoundRobinState } from '../../src/rules/strategies/round-robin.js';
import type { Rule } from '../../src/rules/types.js';
import {
  compile,
  contextOf,
  directoryOf,
  lead,
  mappingFile,
  queue,
  ruleSpec,
  user,
  userId,
  when,
} from './builders.js';

/** Invariants of planning over random people, records and rule lists. */

type RawRule = { country?: string } & (
  | { kind: 'user'; who: number }
  | { kind: 'map'; rows: Array<[number, number]> }
  | { kind: 'roundRobin'; who: number[]; weights: number[] | undefined; capacity?: number; load: boolean }
  | { kind: 'queue' | 'keep' | 'manager' }
);

const country = fc.constantFrom('DE', 'FR', 'US');
const rawRule: fc.Arbitrary<RawRule> = fc
  .tuple(
    fc.oneof(
      fc.record({ kind: fc.constant('user' as const), who: fc.nat(20) }),
      fc.record({
        kind: fc.constant('map' as const),
        rows: fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { maxLength: 6 }),
      }),
      fc.record({
        kind: fc.constant('roundRobin' as const),
        who: fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }),
        weights: fc.option(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }), {
          nil: undefined,
        }),
        capacity: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        load: fc.boolean(),
      }),
      fc.record({ kind: fc.constantFrom('queue' as const, 'keep' as const, 'manager' as const) }),
    ),
    fc.option(country, { nil: undefined }),
  )
  .map(([rule, c]) => (c ? { ...rule, country: c } : rule));

const worldArb = fc.record({
  people: fc.array(fc.record({ active: fc.boolean(), manager: fc.option(fc.nat(20), { nil: undefined }) }), {
    minLength: 2,
    maxLength: 8,
  }),
  records: fc.array(fc.record({ owner: fc.nat(22), country }), { maxLength: 60 }),
  rules: fc.array(rawRule, { maxLength: 5 }),
  loads: fc.array(fc.nat(10), { minLength: 8, maxLength: 8 }),
});
type RawWorld = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

const hopper = queue({ n: 1, developerName: 'Hopper' });

interface World {
  directory: Directory;
  users: User[];
  leads: SourceRecord[];
  specs: RuleSpec[];
  mappings: Map<string, MappingFile>;
  loads: Map<string, number>;
}

/** Turns raw indices into a consistent world: rules only name active users, so they compile. */
function buildWorld(raw: RawWorld): World {
  const users = raw.people.map((p, i) => user({ n: 100 + i, isActive: i === 0 || p.active }));
  raw.people.forEach((p, i) => {
    const target = users[(p.manager ?? -1) % users.length];
    if (p.manager !== undefined && target) (users[i] as User).managerId = target.id;
  });
  const active = users.filter((u) => u.isActive);
  const activeName = (i: number) => (active[i % active.length] as User).username as string;
  const mappings = new Map<string, MappingFile>();
  const specs = raw.rules.map((rule, index): RuleSpec => {
    const extra = rule.country ? { when: when(`Country = '${rule.country}'`) } : {};
    switch (rule.kind) {
      case 'user':
        return ruleSpec({ user: activeName(rule.who) }, extra);
      case 'map': {
        const rows = new Map<string, string>();
        for (const [from, to] of rule.rows) {
          const fromName = (users[from % users.length] as User).username as string;
          if (fromName !== activeName(to) && !rows.has(fromName)) rows.set(fromName, activeName(to));
        }
        mappings.set(`map${index}.csv`, mappingFile([...rows]));
        return ruleSpec({ map: `map${index}.csv` }, extra);
      }
      case 'roundRobin': {
        const members = [...new Set(rule.who.map(activeName))];
        const weights = rule.weights?.slice(0, members.length);
        return ruleSpec(
          { roundRobin: members, weights, capacity: rule.capacity, balance: rule.load ? 'load' : undefined },
          extra,
        );
      }
      case 'queue':
        return ruleSpec({ queue: 'Hopper' }, extra);
      case 'keep':
        return ruleSpec({ keep: true }, extra);
      default:
        return ruleSpec({ manager: true }, extra);
    }
  });
  const ownerOf = (i: number): string =>
    i < users.length ? (users[i] as User).id : i % 2 === 0 ? hopper.id : userId(999);
  const leads = raw.records.map((r, i) =>
    lead({ n: 5000 + i, ownerId: ownerOf(r.owner), Country: r.country }),
  );
  const loads = new Map(users.map((u, i) => [u.id, raw.loads[i] ?? 0]));
  return { directory: directoryOf(users, [hopper]), users, leads, specs, mappings, loads };
}

/** One planning run: compile against `state`, decide each record once. Undefined if the rules are refused. */
function plan(world: World, state: RoundRobinState): { rules: Rule[]; decisions: Decision[] } | undefined {
  let rules: Rule[];
  try {
    rules = compile(world.specs, { directory: world.directory, mappings: world.mappings, roundRobin: state });
  } catch (error) {
    // Random mappings may close a circle; that is an input error, never a crash.
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/circle/);
    return undefined;
  }
  const context = contextOf(world.directory, { loads: world.loads });
  return { rules, decisions: world.leads.map((record) => decideOwner(record, rules, context)) };
}

const copyState = (state: RoundRobinState): RoundRobinState =>
  new Map(JSON.parse(JSON.stringify([...state])) as Array<[string, number[]]>);

const worlds = worldArb.map(buildWorld);

describe('planning invariants', () => {
  it('(a) the same input and the same starting turns give the same decisions and turns', () => {
    fc.assert(
      fc.property(worlds, (world) => {
        const warm: RoundRobinState = new Map();
        plan(world, warm);
        const [first, second] = [copyState(warm), copyState(warm)];
        expect(plan(world, first)?.decisions).toEqual(plan(world, second)?.decisions);
        expect([...first]).toEqual([...second]);
      }),
    );
  });

  it('(b) every new owner is known and may own the record: never an inactive or unknown user', () => {
    fc.assert(
      fc.property(worlds, (world) => {
        for (const decision of plan(world, new Map())?.decisions ?? []) {
          if (decision.kind !== 'assign') continue;
          const owner = world.directory.owner(decision.ownerId);
          expect(owner).toBeDefined();
          expect(owner && ownerRefusal(owner, 'Lead')).toBeUndefined();
        }
      }),
    );
  });

  it('(c) no round-robin member gets more than its capacity in one run', () => {
    fc.assert(
      fc.property(worlds, (world) => {
        const decisions = plan(world, new Map())?.decisions ?? [];
        world.specs.forEach((spec, index) => {
          if (!('roundRobin' in spec.assign) || spec.assign.capacity === undefined) return;
          const counts = new Map<string, number>();
          for (const d of decisions) {
            if (d.kind === 'assign' && d.rule === `round robin #${index + 1}`)
              counts.set(d.ownerId, (counts.get(d.ownerId) ?? 0) + 1);
          }
          for (const count of counts.values()) expect(count).toBeLessThanOrEqual(spec.assign.capacity);
        });
      }),
    );
  });

  it('(f) each record is decided once: plan Ids are unique and no change keeps the owner it had', () => {
    fc.assert(
      fc.property(worlds, (world) => {
        const decisions = plan(world, new Map())?.decisions;
        if (!decisions) return;
        expect(decisions).toHaveLength(world.leads.length);
        const changed = world.leads.filter((_, i) => decisions[i]?.kind === 'assign');
        expect(new Set(changed.map((r) => r.id)).size).toBe(changed.length);
        world.leads.forEach((record, i) => {
          const d = decisions[i];
          if (d?.kind === 'assign') expect(d.ownerId).not.toBe(record.ownerId);
        });
      }),
    );
  });
});

describe('round-robin fairness', () => {
  const team = Array.from({ length: 5 }, (_, i) => user({ n: 300 + i }));
  const previous = user({ n: 399, isActive: false });
  const directory = directoryOf([...team, previous]);
  const context = contextOf(directory);
  const setup = fc.record({
    weights: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
    runs: fc.array(fc.nat(120), { minLength: 1, maxLength: 3 }),
  });

  /** Assigns `count` records of the departed owner with one round-robin rule; the member Ids picked. */
  function run(weights: number[], count: number, state: RoundRobinState): string[] {
    const members = team.slice(0, weights.length).map((u) => u.username as string);
    const rules = compile([ruleSpec({ roundRobin: members, weights })], { directory, roundRobin: state });
    return Array.from({ length: count }, () => {
      const decision = decideOwner(lead({ ownerId: previous.id }), rules, context);
      if (decision.kind !== 'assign') throw new Error(`unexpected ${decision.kind}`);
      return decision.ownerId;
    });
  }

  function expectWithinOneOfShare(picked: string[], weights: number[]): void {
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((weight, i) => {
      const count = picked.filter((id) => id === team[i]?.id).length;
      expect(Math.abs(count - (picked.length * weight) / total)).toBeLessThan(1);
    });
  }

  it('(d) within one run, each member is within one of its weighted share at every point', () => {
    fc.assert(
      fc.property(setup, ({ weights, runs }) => {
        const picked = run(weights, runs[0] ?? 0, new Map());
        for (let n = 0; n <= picked.length; n++) expectWithinOneOfShare(picked.slice(0, n), weights);
      }),
    );
  });

  it('(e) runs that share the saved turns stay within one of the shares combined', () => {
    fc.assert(
      fc.property(setup, ({ weights, runs }) => {
        let state: RoundRobinState = new Map();
        const picked: string[] = [];
        for (const count of runs) {
          picked.push(...run(weights, count, state));
          // As turns.json carries it from one run to the next.
          state = copyState(state);
          expectWithinOneOfShare(picked, weights);
        }
      }),
    );
  });
});
