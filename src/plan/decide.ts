import { evaluateCondition } from '../conditions/index.js';
import { UnreadableValue } from '../conditions/types.js';
import { InputError } from '../errors.js';
import type { Decision, SourceRecord } from '../model.js';
import type { Rule, RuleContext, RuleTrace } from '../rules/types.js';

/**
 * Tries the rules in order; the first whose condition holds and that yields an owner wins, even when that
 * owner is the current one (then the record is kept). Pure but for the rules' own turn state. With `trace`, records each rule tried and why it matched or not.
 */
export function decideOwner(
  record: SourceRecord,
  rules: readonly Rule[],
  context: RuleContext,
  trace?: RuleTrace[],
): Decision {
  const reasons: string[] = [];
  for (const rule of rules) {
    if (rule.when && !whenHolds(rule, record, context)) {
      trace?.push({ rule: rule.name, result: 'condition not met', detail: rule.when.text });
      continue;
    }
    const outcome = rule.decide(record, context);
    switch (outcome.kind) {
      case 'assign':
        // The winning rule wants the owner the record already has: it is already right, and falling
        // through to a later rule would move it away from the owner this rule chose.
        if (outcome.ownerId === record.ownerId) {
          trace?.push({
            rule: rule.name,
            result: 'kept',
            detail: withExplanation(
              'already owned by the owner this rule gives',
              rule,
              record,
              context,
              trace,
            ),
          });
          return { kind: 'keep', rule: rule.name };
        }
        trace?.push({
          rule: rule.name,
          result: 'assigned',
          detail: withExplanation(context.directory.label(outcome.ownerId), rule, record, context, trace),
        });
        return { kind: 'assign', ownerId: outcome.ownerId, rule: rule.name };
      case 'keep':
        trace?.push({ rule: rule.name, result: 'kept', detail: 'the rule keeps the current owner' });
        return { kind: 'keep', rule: rule.name };
      case 'salesforceRules':
        trace?.push({ rule: rule.name, result: 'salesforce rules', detail: 'Salesforce decides on write' });
        return { kind: 'salesforceRules', rule: rule.name, assignmentRuleId: outcome.assignmentRuleId };
      case 'pass':
        trace?.push({
          rule: rule.name,
          result: 'passed',
          detail: withExplanation(outcome.reason, rule, record, context, trace),
        });
        reasons.push(`${rule.name}: ${outcome.reason}`);
    }
  }
  return { kind: 'unassigned', reason: reasons.length > 0 ? reasons.join('; ') : 'no rule applies' };
}

/** Only `--explain` pays for a rule's explanation (a territory table lists the rows it passed over). */
function withExplanation(
  detail: string,
  rule: Rule,
  record: SourceRecord,
  context: RuleContext,
  trace: RuleTrace[] | undefined,
): string {
  if (!trace || !rule.explain) return detail;
  return `${detail}: ${rule.explain(record, context)}`;
}

/** A rule's condition over a value it cannot read stops the run at the record, as a selection's does. */
function whenHolds(rule: Rule, record: SourceRecord, context: RuleContext): boolean {
  const when = rule.when as NonNullable<Rule['when']>;
  try {
    return evaluateCondition(when, record.fields, { now: context.now });
  } catch (error) {
    if (!(error instanceof UnreadableValue)) throw error;
    throw new InputError({
      ...rule.place,
      message: `record ${record.id}${record.line ? ` (line ${record.line} of the export)` : ''}, field ${error.path}: ${error.describe(when.text)}`,
      hint: 'Export the field as Salesforce writes it (true/false, YYYY-MM-DD, 1234.5), or change the condition',
    });
  }
}
