import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideOwner } from '../../src/plan/decide.js';
import { ruleShares } from '../../src/plan/shares.js';
import { strategies } from '../../src/rules/strategies/index.js';
import { performanceWeights } from '../../src/rules/strategies/round-robin-weighing.js';
import { countKey } from '../../src/rules/strategies/strategy.js';
import type { Rule, RuleContext } from '../../src/rules/types.js';
import { compile, contextOf, directoryOf, lead, ruleSpec, user } from './builders.js';

const team = [1, 2, 3, 4].map((n) => user({ n, username: `rep${n}@acme.com` }));
const directory = directoryOf(team);
const names = team.map((member) => member.username);
const WON = { object: 'Opportunity', where: 'IsWon = true AND CloseDate = LAST_N_DAYS:90' };
const OPEN_LEADS = 'IsConverted = false';
const OPEN_OPPS = 'IsClosed = false';
const keyOf = (object: string, where: string) => countKey({ object, where: { text: where, place: {} } });

function countsOf(entries: Array<[string, number[]]>): RuleContext['counts'] {
  return new Map(entries.map(([key, values]) => [key, new Map(team.map((m, i) => [m.id, values[i] ?? 0]))]));
}

function picks(rules: Rule[], count: number, context: RuleContext): number[] {
  const got = team.map(() => 0);
  for (let n = 0; n < count; n++) {
    const decision = decideOwner(lead(), rules, context);
    if (decision.kind !== 'assign') throw new Error(`no owner: ${decision.kind}`);
    const at = team.findIndex((member) => member.id === decision.ownerId);
    got[at] = (got[at] ?? 0) + 1;
  }
  return got;
}

describe('round robin weighed by performance', () => {
  it('gives a member with no matching records the smallest positive count, and everyone 1 when all have none', () => {
    const context = (values: number[]) =>
      contextOf(directory, { counts: countsOf([[keyOf(WON.object, WON.where), values]]) });
    const ids = team.map((member) => member.id);
    expect(performanceWeights(WON, ids, context([6, 0, 3, 9]))).toEqual([6, 3, 3, 9]);
    expect(performanceWeights(WON, ids, context([0, 0, 0, 0]))).toEqual([1, 1, 1, 1]);
  });

  it('asks for the count it weighs by, placed at the option', () => {
    const spec = ruleSpec({ roundRobin: names, weights: 'performance', performance: WON });
    const [request] = strategies.tallies([spec]);
    expect(request).toMatchObject({ object: 'Opportunity', where: { text: WON.where } });
    expect(request?.where.place.key).toBe('rules[0].assign.performance.where');
  });

  it('gives each member a share within one record of their weight, over any number of records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(20), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 200 }),
        (won, count) => {
          const context = contextOf(directory, { counts: countsOf([[keyOf(WON.object, WON.where), won]]) });
          const rules = compile([ruleSpec({ roundRobin: names, weights: 'performance', performance: WON })], {
            directory,
          });
          const got = picks(rules, count, context);
          const weights = performanceWeights(
            WON,
            team.map((m) => m.id),
            context,
          );
          const total = weights.reduce((a, b) => a + b, 0);
          got.forEach((received, i) => {
            expect(Math.abs(received - (count * (weights[i] ?? 0)) / total)).toBeLessThan(1);
          });
          const [shares] = ruleShares(rules, context, directory);
          expect(shares?.members.map((m) => m.received)).toEqual(got);
          expect(shares?.members.map((m) => m.value)).toEqual(weights);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('round robin balanced by a load over several objects', () => {
  it('counts open leads plus open opportunities, and evens the sum out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(30), { minLength: 4, maxLength: 4 }),
        fc.array(fc.nat(30), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 150 }),
        (leads, opps, count) => {
          const counts = countsOf([
            [keyOf('Lead', OPEN_LEADS), leads],
            [keyOf('Opportunity', OPEN_OPPS), opps],
          ]);
          const context = contextOf(directory, { counts });
          const load = { Lead: OPEN_LEADS, Opportunity: OPEN_OPPS };
          const rules = compile([ruleSpec({ roundRobin: names, balance: 'load', load })], { directory });
          const got = picks(rules, count, context);
          const after = got.map((received, i) => received + (leads[i] ?? 0) + (opps[i] ?? 0));
          const receivers = after.filter((_, i) => (got[i] ?? 0) > 0);
          // Whoever received anything ends within one of everyone else's load, or below theirs.
          for (const value of receivers)
            for (const other of after) expect(value).toBeLessThanOrEqual(other + 1);
          const [shares] = ruleShares(rules, context, directory);
          expect(shares?.basis).toBe('load');
          expect(shares?.members.map((m) => m.value)).toEqual(leads.map((n, i) => n + (opps[i] ?? 0)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('asks for one count per object, and leaves the default open-record count alone', () => {
    const spec = ruleSpec({
      roundRobin: names,
      balance: 'load',
      load: { Lead: OPEN_LEADS, Opportunity: OPEN_OPPS },
    });
    expect(strategies.tallies([spec]).map((r) => [r.object, r.where.text, r.where.place.key])).toEqual([
      ['Lead', OPEN_LEADS, 'rules[0].assign.load.Lead'],
      ['Opportunity', OPEN_OPPS, 'rules[0].assign.load.Opportunity'],
    ]);
    expect(strategies.counted([spec])).toEqual([]);
  });
});
