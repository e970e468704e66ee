import { queueNameOf, queueReference } from '../../directory/queue-reference.js';
import { fixedOwner } from './fixed-owner.js';
import { text } from './parts.js';
import type { Strategy } from './strategy.js';

/** `queue: Hopper` (the `queue:` prefix is optional here): every record goes to the queue. */
export interface QueueAssign {
  strategy: 'queue';
  queue: string;
}

export const queueStrategy: Strategy<QueueAssign> = {
  key: 'queue',
  schema: text,
  options: {},
  hints: {},
  exports: ['queues'],
  reads: { accountOwner: false, managers: false },
  // init offers queues through `user: queue:NAME`.
  init: undefined,
  check: () => [],
  load: (assign) => ({ strategy: 'queue', queue: String(assign.queue) }),
  files: () => [],
  people: (spec) => [queueReference(spec.queue)],
  fields: () => [],
  counted: () => [],
  tallies: () => [],
  tables: () => [],
  writeApi: () => undefined,
  compile: (spec, place, options) => {
    const name = `queue ${queueNameOf(spec.queue) ?? spec.queue}`;
    return fixedOwner(name, queueReference(spec.queue), place.at('queue'), options);
  },
};
