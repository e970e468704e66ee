import { queueNameOf } from '../../directory/queue-reference.js';
import { fixedOwner } from './fixed-owner.js';
import { text } from './parts.js';
import type { Strategy } from './strategy.js';

/** `user: ana@acme.com` (or `user: queue:NAME`): one owner for every record the rule takes. */
export interface UserAssign {
  strategy: 'user';
  user: string;
}

export const userStrategy: Strategy<UserAssign> = {
  key: 'user',
  schema: text,
  options: {},
  hints: {},
  exports: ['users'],
  reads: { accountOwner: false, managers: false },
  init: {
    choice: 'one person or queue',
    ask: async (asker) => ({ user: await asker.ask('Username, email, or queue:NAME') }),
  },
  check: () => [],
  load: (assign) => ({ strategy: 'user', user: String(assign.user) }),
  files: () => [],
  people: (spec) => [spec.user],
  fields: () => [],
  counted: () => [],
  tallies: () => [],
  tables: () => [],
  writeApi: () => undefined,
  compile: (spec, place, options) => {
    const queue = queueNameOf(spec.user);
    const name = queue !== undefined ? `queue ${queue}` : `user ${spec.user}`;
    return fixedOwner(name, spec.user, place.at('user'), options);
  },
};
