import { z } from 'zod';
import type { Strategy } from './strategy.js';

/** `keep: true`: the records the rule takes stay with their owner, and no later rule sees them. */
export interface KeepAssign {
  strategy: 'keep';
  keep: true;
}

export const keepStrategy: Strategy<KeepAssign> = {
  key: 'keep',
  schema: z.literal(true),
  options: {},
  hints: { keep: 'keep takes only true; remove the rule to stop keeping records' },
  exports: [],
  reads: { accountOwner: false, managers: false },
  init: undefined,
  check: () => [],
  load: () => ({ strategy: 'keep', keep: true }),
  files: () => [],
  people: () => [],
  fields: () => [],
  counted: () => [],
  tallies: () => [],
  tables: () => [],
  writeApi: () => undefined,
  compile: () => ({ name: 'keep', decide: () => ({ kind: 'keep' }) }),
};
