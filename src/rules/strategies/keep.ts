import { z } from 'zod';
import { defineStrategy } from './strategy.js';

/** `keep: true`: the records the rule takes stay with their owner, and no later rule sees them. */
export interface KeepAssign {
  strategy: 'keep';
  keep: true;
}

export const keepStrategy = defineStrategy<KeepAssign>({
  key: 'keep',
  schema: z.literal(true),
  hints: { keep: 'keep takes only true; remove the rule to stop keeping records' },
  load: () => ({ strategy: 'keep', keep: true }),
  compile: () => ({ name: 'keep', decide: () => ({ kind: 'keep' }) }),
});
