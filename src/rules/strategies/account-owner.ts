import { z } from 'zod';
import { accountField, accountOwnerOf } from '../../directory/account-owners.js';
import { ownerRefusal } from '../../directory/directory.js';
import { InputError } from '../../errors.js';
import type { RuleOutcome } from '../types.js';
import { type CompiledRule, defineStrategy } from './strategy.js';

/** `accountOwner: true`: the owner of the record's account (`select.accountOwner: FIELD` names the lookup). */
export interface AccountOwnerAssign {
  strategy: 'accountOwner';
  accountOwner: true;
}

export const accountOwnerStrategy = defineStrategy<AccountOwnerAssign>({
  key: 'accountOwner',
  schema: z.literal(true),
  hints: { accountOwner: 'accountOwner takes only true' },
  exports: ['accounts'],
  reads: { accountOwner: true, managers: false },
  init: {
    choice: "the account's owner",
    ask: async () => ({ accountOwner: true }),
  },
  load: () => ({ strategy: 'accountOwner', accountOwner: true }),
  compile: (_spec, place, options) => {
    const field = accountField(options.object, options.accountField);
    if (!field) {
      throw new InputError({
        ...place.at('accountOwner'),
        message: `${options.object} records have no standard account lookup`,
        hint: 'Name the lookup field with select.accountOwner: FIELD (or --account-owner FIELD)',
      });
    }
    return accountOwnerRule(field);
  },
});

function accountOwnerRule(field: string): CompiledRule {
  return {
    name: 'account owner',
    decide: (record, context): RuleOutcome => {
      const ownerId = accountOwnerOf(record, field, context);
      if (!ownerId) return { kind: 'pass', reason: 'the record has no account, or its account is unknown' };
      const owner = context.directory.owner(ownerId);
      const refusal = owner ? ownerRefusal(owner, context.object) : 'is not a known user';
      return refusal
        ? { kind: 'pass', reason: `the account owner ${context.directory.label(ownerId)} ${refusal}` }
        : { kind: 'assign', ownerId };
    },
  };
}
