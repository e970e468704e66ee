import { queueNameOf, queueReference } from '../../directory/queue-reference.js';
import { fixedOwner } from './fixed-owner.js';
import { text } from './parts.js';
import { defineStrategy } from './strategy.js';

/** `queue: Hopper` (the `queue:` prefix is optional here): every record goes to the queue. */
export interface QueueAssign {
  strategy: 'queue';
  queue: string;
}

export const queueStrategy = defineStrategy<QueueAssign>({
  key: 'queue',
  schema: text,
  hints: {},
  exports: ['queues'],
  // init offers queues through `user: queue:NAME`.
  load: (assign) => ({ strategy: 'queue', queue: String(assign.queue) }),
  people: (spec) => [queueReference(spec.queue)],
  compile: (spec, place, options) => {
    const name = `queue ${queueNameOf(spec.queue) ?? spec.queue}`;
    return fixedOwner(name, queueReference(spec.queue), place.at('queue'), options);
  },
});
