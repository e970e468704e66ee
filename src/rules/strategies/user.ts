import { queueNameOf } from '../../directory/queue-reference.js';
import { fixedOwner } from './fixed-owner.js';
import { text } from './parts.js';
import { defineStrategy } from './strategy.js';

/** `user: ana@acme.com` (or `user: queue:NAME`): one owner for every record the rule takes. */
export interface UserAssign {
  strategy: 'user';
  user: string;
}

export const userStrategy = defineStrategy<UserAssign>({
  key: 'user',
  schema: text,
  hints: {},
  exports: ['users'],
  init: {
    choice: 'one person or queue',
    ask: async (asker) => ({ user: await asker.ask('Username, email, or queue:NAME') }),
  },
  load: (assign) => ({ strategy: 'user', user: String(assign.user) }),
  people: (spec) => [spec.user],
  compile: (spec, place, options) => {
    const queue = queueNameOf(spec.user);
    const name = queue !== undefined ? `queue ${queue}` : `user ${spec.user}`;
    return fixedOwner(name, spec.user, place.at('user'), options);
  },
});
