/**
 * 100,000 leads through the built binary against the in-process test org, over REST only and over Bulk
 * API 2.0. Slow, so it runs only with LEADSHIFT_SCALE=1 (`npm test` skips it). Prints the API calls the
 * org counted, by kind, and the wall time of each step.
 */

import { beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, show, worldsOfThisFile } from './helpers.js';

const enabled = process.env.LEADSHIFT_SCALE === '1';
const LEADS = 100_000;

const world = worldsOfThisFile();

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await work();
  return { value, seconds: Math.round((performance.now() - start) / 100) / 10 };
}

describe.skipIf(!enabled)('100k leads', () => {
  beforeAll(assertBuilt);

  for (const api of ['rest', 'bulk'] as const) {
    test(`plan and apply over ${api}`, { timeout: 1_900_000 }, async () => {
      const w = await world({ leads: LEADS, ownerOf: (i, p) => (i % 2 === 0 ? p.ana : p.dan) });
      await w.write('m.csv', 'from,to\nana@acme.com,carla@acme.com\n');
      const timeoutMs = 1_800_000;
      const plan = await timed(() =>
        w.run(
          [
            'plan',
            '--from',
            'salesforce',
            '--inactive-owners',
            '--map',
            'm.csv',
            '--to',
            'queue:Hopper',
            '--api',
            api,
            '--out',
            'p',
          ],
          { timeoutMs },
        ),
      );
      expect(plan.value.code, show(plan.value)).toBe(0);
      const planCalls = w.callsByKind();
      const from = w.requests().length;
      const apply = await timed(() => w.run(['apply', 'p'], { timeoutMs }));
      expect(apply.value.code, show(apply.value)).toBe(0);
      const applyCalls = w.callsByKind(from);
      const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
      console.log(
        [
          `--- ${LEADS} leads, write.api ${api}`,
          `plan:  ${plan.seconds} s, ${total(planCalls)} API calls ${JSON.stringify(planCalls)}`,
          `apply: ${apply.seconds} s, ${total(applyCalls)} API calls ${JSON.stringify(applyCalls)}`,
        ].join('\n'),
      );
      const { carla } = w.people;
      const owners = w.owners();
      const wrong = w.leads.filter((id, i) => owners.get(id) !== (i % 2 === 0 ? carla : w.queue));
      expect(wrong).toEqual([]);
      const results = await w.results(w.path('p'));
      expect(results).toHaveLength(LEADS);
      expect(results.every((r) => r.Status === 'updated')).toBe(true);
    });
  }
});
