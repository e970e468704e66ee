/**
 * SOQL conditions with one meaning everywhere: parsed once by a real SOQL parser, written back
 * into queries for Salesforce, and evaluated by the same tree on CSV rows.
 */
export { checkConditions, describedFields } from './described.js';
export { type EvalContext, evaluateCondition } from './evaluate.js';
export { parseCondition } from './parse.js';
export { andConditions, conditionToSoql, soqlString } from './soql.js';
export type { Condition } from './tree.js';
export { type DescribedFields, fieldTypeOfDescribe } from './types.js';
