import type { Directory } from '../directory/directory.js';
import type { Rule, RuleContext } from '../rules/types.js';

/** What a rule that spreads records weighed each member by, and the share of this plan they got. */
export interface RuleShares {
  rule: string;
  basis: 'load' | 'weight';
  members: Array<{
    ownerId: string;
    owner: string;
    /** The member's load before the run (basis load), or their weight. */
    value: number;
    /** The weight's part of all weights, in percent; for load, none (fewest first decides). */
    share?: number;
    received: number;
  }>;
}

/** Read after planning, when the rules have counted their turns. */
export function ruleShares(rules: readonly Rule[], context: RuleContext, directory: Directory): RuleShares[] {
  return rules.flatMap((rule) => {
    if (!rule.shares) return [];
    const { basis, members } = rule.shares(context);
    const total = members.reduce((sum, member) => sum + member.value, 0);
    return [
      {
        rule: rule.name,
        basis,
        members: members.map((member) => ({
          ...member,
          owner: directory.label(member.ownerId),
          ...(basis === 'weight' && total > 0
            ? { share: Math.round((1000 * member.value) / total) / 10 }
            : {}),
        })),
      },
    ];
  });
}
