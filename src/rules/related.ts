import { ownerRefusal } from '../directory/directory.js';
import { toId18 } from '../ids.js';
import type { SourceRecord } from '../model.js';
import type { Rule, RuleContext, RuleOutcome } from './types.js';

type Compiled = Pick<Rule, 'name' | 'decide'>;

/** The owner's manager; an inactive manager hands on to theirs, up the chain. */
export function managerRule(object: string): Compiled {
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

/** The lookup that leads from a record to its account. */
export function accountField(object: string, named?: string): string | undefined {
  if (named) return named;
  return object === 'Lead' || object === 'Account' ? undefined : 'AccountId';
}

/** The owner of the record's account, from the record's `<lookup>.OwnerId` or the accounts export. */
/** The relationship a lookup field is read through in SOQL: AccountId → Account, Account__c → Account__r. */
export function relationshipOf(field: string): string {
  return field.toLowerCase().endsWith('__c') ? `${field.slice(0, -3)}__r` : field.replace(/Id$/i, '');
}

export function accountOwnerOf(
  record: SourceRecord,
  field: string,
  context: Pick<RuleContext, 'accountOwners'>,
): string | undefined {
  const relationship = relationshipOf(field);
  // CSV exports may carry 15-character Ids; the directory and the accounts export are keyed by 18.
  const fromQuery = record.fields[`${relationship.toLowerCase()}.ownerid`];
  if (typeof fromQuery === 'string' && fromQuery) return toId18(fromQuery) ?? fromQuery;
  const accountId = record.fields[field.toLowerCase()];
  if (typeof accountId !== 'string' || !accountId) return undefined;
  return context.accountOwners?.get(toId18(accountId) ?? accountId);
}

export function accountOwnerRule(field: string): Compiled {
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
