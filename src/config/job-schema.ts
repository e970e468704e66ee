import { z } from 'zod';
import {
  CASCADE_OBJECTS,
  checkAssignmentRuleId,
  checkBatchSize,
  checkFieldName,
  checkObjectName,
  checkStampTemplate,
  type Issue,
  isIssue,
  parseSource,
  WRITE_APIS,
} from './checks.js';

/**
 * The job file's shape, as written (before paths are resolved and defaults filled). Every object is strict
 * so a typo is an error rather than a silently ignored setting.
 */

export const STRATEGY_KEYS = [
  'user',
  'map',
  'queue',
  'keep',
  'manager',
  'accountOwner',
  'roundRobin',
  'salesforceRules',
] as const;
export const ROUND_ROBIN_OPTIONS = ['weights', 'balance', 'capacity'] as const;

type Refine = z.core.$RefinementCtx;

function report(ctx: Refine, issue: Issue | undefined, path: PropertyKey[] = []): void {
  if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path, params: { hint: issue.hint } });
}

const text = z.string().trim().min(1);
const positiveInt = z.number().int().positive();
const person = text;
const condition = text;
const path = text;

const assignShape = {
  user: person.optional(),
  map: path.optional(),
  queue: text.optional(),
  keep: z.literal(true).optional(),
  manager: z.literal(true).optional(),
  accountOwner: z.literal(true).optional(),
  roundRobin: z.array(person).min(1).optional(),
  salesforceRules: z
    .union([z.literal(true), z.string()], { error: 'expected true or an AssignmentRule Id' })
    .superRefine((value, ctx) => {
      if (typeof value === 'string') report(ctx, checkAssignmentRuleId(value));
    })
    .optional(),
  weights: z.array(positiveInt).min(1).optional(),
  balance: z.literal('load').optional(),
  capacity: positiveInt.optional(),
};

const assignSchema = z.strictObject(assignShape);

const ruleShape = { name: text.optional(), when: condition.optional(), assign: assignSchema };

const selectShape = {
  inactiveOwners: z.boolean().optional(),
  // A single person is accepted as shorthand for a one-item list.
  owners: z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(person)).optional(),
  accountOwner: z
    .union([z.literal(true), z.string()], { error: 'expected true or a lookup field name' })
    .superRefine((value, ctx) => {
      if (typeof value === 'string') report(ctx, checkFieldName(value));
    })
    .optional(),
  where: condition.optional(),
  exclude: condition.optional(),
};

const writeShape = {
  api: z.enum(WRITE_APIS).optional(),
  batchSize: z
    .number()
    .superRefine((value, ctx) => report(ctx, checkBatchSize(value)))
    .optional(),
  stamp: z
    .record(
      z.string(),
      z.string().superRefine((value, ctx) => report(ctx, checkStampTemplate(value))),
    )
    .optional(),
  cascade: z.array(z.enum(CASCADE_OBJECTS)).optional(),
};

const limitsShape = {
  maxChanges: positiveInt.optional(),
  maxApiShare: z.number().gt(0).lte(1).optional(),
};

const jobShape = {
  object: text.superRefine((value, ctx) => report(ctx, checkObjectName(value))).optional(),
  from: text
    .superRefine((value, ctx) => {
      const source = parseSource(value);
      if (isIssue(source)) report(ctx, source);
    })
    .optional(),
  org: text.optional(),
  users: path.optional(),
  queues: path.optional(),
  accounts: path.optional(),
  contacts: path.optional(),
  opportunities: path.optional(),
  select: z.strictObject(selectShape).optional(),
  rules: z.array(z.strictObject(ruleShape)).optional(),
  write: z.strictObject(writeShape).optional(),
  limits: z.strictObject(limitsShape).optional(),
};

export const jobFileSchema = z.strictObject(jobShape);

export type JobFile = z.infer<typeof jobFileSchema>;
export type JobFileRule = NonNullable<JobFile['rules']>[number];

/** The keys allowed in each mapping, by key path with list indexes written `[]`, for unknown-key advice. */
export const ALLOWED_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(jobShape),
  select: Object.keys(selectShape),
  'rules[]': Object.keys(ruleShape),
  'rules[].assign': Object.keys(assignShape),
  write: Object.keys(writeShape),
  limits: Object.keys(limitsShape),
};

/** Advice for a value that failed a generic check (type, range, choice), by key path as above. */
export const KEY_HINTS: Record<string, string> = {
  object: 'Use the API name, e.g. Lead or My_Object__c',
  from: 'Use salesforce, or csv:PATH for a record export',
  'select.owners': 'List people by Id, username or email, e.g. [ana@acme.com]',
  'select.inactiveOwners': 'Write true or false',
  'rules[].assign.keep': 'keep takes only true; remove the rule to stop keeping records',
  'rules[].assign.manager': 'manager takes only true',
  'rules[].assign.accountOwner': 'accountOwner takes only true',
  'rules[].assign.roundRobin': 'List the people in turn, e.g. [anna@acme.com, ben@acme.com]',
  'rules[].assign.weights': 'Give one whole number per person in roundRobin, e.g. [2, 1]',
  'rules[].assign.balance': 'The only balance is load (fewest open records first)',
  'rules[].assign.capacity': 'Give the most new records per person per run, e.g. 200',
  'write.api': 'Use rest, bulk, or auto (bulk from 2,000 records)',
  'write.stamp': 'Map field API names to template strings; quote values such as "true"',
  'write.cascade': 'List Contact and/or Opportunity',
  'limits.maxChanges': 'Give a whole number above 0, e.g. 5000',
  'limits.maxApiShare': 'Give a share above 0 and at most 1 of the remaining daily API requests, e.g. 0.5',
};
