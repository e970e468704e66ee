import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { RuleOutcome } from '../types.js';
import { type Issue, quote, report } from './parts.js';
import { defineStrategy } from './strategy.js';

/** `salesforceRules: true` (the active assignment rule) or an AssignmentRule Id: Salesforce decides. */
export interface SalesforceRulesAssign {
  strategy: 'salesforceRules';
  salesforceRules: true | string;
}

const ASSIGNMENT_RULE_ID = /^01Q[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

export function checkAssignmentRuleId(value: string): Issue | undefined {
  if (ASSIGNMENT_RULE_ID.test(value)) return undefined;
  return {
    message: `${quote(value)} is not an AssignmentRule Id`,
    hint: 'Give a 15- or 18-character Id starting with 01Q, or true for the active assignment rule',
  };
}

export const salesforceRulesStrategy = defineStrategy<SalesforceRulesAssign>({
  key: 'salesforceRules',
  schema: z
    .union([z.literal(true), z.string()], { error: 'expected true or an AssignmentRule Id' })
    .superRefine((value, ctx) => {
      if (typeof value === 'string') report(ctx, checkAssignmentRuleId(value));
    }),
  hints: {},
  init: {
    choice: "Salesforce's assignment rules",
    ask: async () => ({ salesforceRules: true }),
  },
  load: (assign) => ({
    strategy: 'salesforceRules',
    salesforceRules: typeof assign.salesforceRules === 'string' ? assign.salesforceRules : true,
  }),
  // Bulk API 2.0 takes only a rule Id, never "the active rule".
  writeApi: (spec) => (spec.salesforceRules === true ? 'rest' : undefined),
  compile: (spec, place, options) => {
    const at = place.at('salesforceRules');
    if (options.target !== 'salesforce') {
      throw new InputError({
        ...at,
        message:
          "Salesforce's assignment rules only run when writing to Salesforce, and this run writes a CSV file",
        hint: 'Use --from salesforce, or choose another rule',
      });
    }
    if (!['Lead', 'Case'].includes(options.object)) {
      throw new InputError({
        ...at,
        message: `Salesforce has assignment rules for leads and cases only, not ${options.object}`,
      });
    }
    const assignmentRuleId = spec.salesforceRules === true ? undefined : spec.salesforceRules;
    return {
      name: 'by Salesforce assignment rules',
      decide: (): RuleOutcome => ({ kind: 'salesforceRules', assignmentRuleId }),
    };
  },
});
