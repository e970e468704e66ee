import { z } from 'zod';
import { ownerRefusal } from '../../directory/directory.js';
import type { RuleOutcome } from '../types.js';
import { type CompiledRule, defineStrategy } from './strategy.js';

/** `manager: true`: the owner's manager; an inactive manager hands on to theirs, up the chain. */
export interface ManagerAssign {
  strategy: 'manager';
  manager: true;
}

export const managerStrategy = defineStrategy<ManagerAssign>({
  key: 'manager',
  schema: z.literal(true),
  hints: { manager: 'manager takes only true' },
  exports: ['users'],
  reads: { accountOwner: false, managers: true },
  init: {
    choice: "the owner's manager",
    ask: async () => ({ manager: true }),
  },
  load: () => ({ strategy: 'manager', manager: true }),
  compile: (_spec, _place, options) => managerRule(options.object),
});

function managerRule(object: string): CompiledRule {
  return {
    name: 'manager',
    decide: (record, context): RuleOutcome => {
      const owner = context.directory.user(record.ownerId);
      if (!owner) return { kind: 'pass', reason: 'the owner is not a known user' };
      const seen = new Set([owner.id]);
      let managerId = owner.managerId;
      while (managerId && !seen.has(managerId)) {
        seen.add(managerId);
        const manager = context.directory.user(managerId);
        if (!manager) return { kind: 'pass', reason: `manager ${managerId} is not a known user` };
        if (!ownerRefusal({ kind: 'user', user: manager }, object)) {
          return { kind: 'assign', ownerId: manager.id };
        }
        managerId = manager.managerId;
      }
      return { kind: 'pass', reason: 'the owner has no active manager' };
    },
  };
}
