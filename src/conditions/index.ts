/**
 * SOQL conditions with one meaning everywhere (STYLE 6): parsed once by a real SOQL parser, written back
 * into queries for Salesforce, and evaluated by the same tree on CSV rows.
 */
export { type EvalContext, evaluateCondition } from './evaluate.js';
export { parseCondition } from './parse.js';
export { andConditions, conditionToSoql } from './soql.js';
export type { Condition } from './tree.js';
