import { accountOwnerStrategy } from './account-owner.js';
import { keepStrategy } from './keep.js';
import { managerStrategy } from './manager.js';
import { mapStrategy } from './map.js';
import { queueStrategy } from './queue.js';
import { roundRobinStrategy } from './round-robin.js';
import { salesforceRulesStrategy } from './salesforce-rules.js';
import type { Strategy, TaggedAssign } from './strategy.js';
import { territoryStrategy } from './territory.js';
import { userStrategy } from './user.js';

/**
 * Every rule strategy, in the order messages list them ("Give exactly one of user, map, …") and init
 * offers them. Adding a strategy is a module beside this file and one line here.
 */
export const STRATEGIES = [
  userStrategy,
  mapStrategy,
  queueStrategy,
  keepStrategy,
  managerStrategy,
  accountOwnerStrategy,
  roundRobinStrategy,
  territoryStrategy,
  salesforceRulesStrategy,
] as const;

type SpecOf<T> = T extends Strategy<infer S> ? S : never;

/** One rule's `assign`, tagged by `strategy` with the key the job file names it by. */
export type AssignSpec = SpecOf<(typeof STRATEGIES)[number]>;

export type StrategyKey = AssignSpec['strategy'];

export const STRATEGY_KEYS: readonly StrategyKey[] = STRATEGIES.map((strategy) => strategy.key);

export { createRegistry, type Registry } from './registry.js';

import { createRegistry } from './registry.js';

/** The registry the job schema, the checks, prepare and init use. */
export const strategies = createRegistry<AssignSpec>(STRATEGIES);

export type { TaggedAssign };
