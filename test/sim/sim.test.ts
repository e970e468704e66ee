/**
 * The simulation tier: seeded random scenarios (test/sim/scenario.ts) run against the test org with the
 * built binary, invariants checked after every step (test/sim/runner.ts).
 *
 *   LEADSHIFT_SIM_RUNS=2000 npx vitest run test/sim      more cases (default 6)
 *   LEADSHIFT_SIM_SEED=123 LEADSHIFT_SIM_RUNS=1 ...       replay one case
 *   LEADSHIFT_SIM_LOG=/tmp/sim.jsonl                       one line per case with its violations
 */
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/cli.js';
import { KNOWN_VIOLATIONS } from './known.js';
import { SimCase } from './runner.js';
import { scenarioFor } from './scenario.js';

const RUNS = Number(process.env.LEADSHIFT_SIM_RUNS ?? 6);
const FIRST_SEED = Number(process.env.LEADSHIFT_SIM_SEED ?? 20_261_203);
const LOG = process.env.LEADSHIFT_SIM_LOG;
const WORKERS = Math.max(1, Math.min(RUNS, Number(process.env.LEADSHIFT_SIM_WORKERS ?? 2)));

async function runCase(seed: number): Promise<string[]> {
  const scenario = scenarioFor(seed);
  const sim = await SimCase.start(scenario);
  try {
    await sim.runAll();
  } finally {
    await sim.close();
  }
  if (LOG) appendFileSync(LOG, `${JSON.stringify({ seed, violations: sim.violations, log: sim.log })}\n`);
  return sim.violations
    .filter((v) => !Object.keys(KNOWN_VIOLATIONS).some((known) => v.kind.startsWith(known)))
    .map(
      (v) =>
        `seed ${seed} (replay: LEADSHIFT_SIM_SEED=${seed} LEADSHIFT_SIM_RUNS=1): ${v.kind}: ${v.detail}\n` +
        `  scenario ${JSON.stringify(scenario)}\n  steps: ${sim.log.join('; ')}`,
    );
}

describe('simulation: random plans, applies, kills, faults, edits and undos against the test org', () => {
  it(`${RUNS} seeded cases from seed ${FIRST_SEED} keep every promise`, { timeout: 0 }, async () => {
    assertBuilt();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        const seed = FIRST_SEED + next++;
        failures.push(...(await runCase(seed)));
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});
