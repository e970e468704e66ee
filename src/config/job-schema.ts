import { z } from 'zod';
import { type Registry, strategies } from '../rules/strategies/index.js';
import { positiveInt, report, text } from '../rules/strategies/parts.js';
import type { TaggedAssign } from '../rules/strategies/strategy.js';
import {
  CASCADE_OBJECTS,
  checkBatchSize,
  checkFieldName,
  checkObjectName,
  checkStampTemplate,
  isIssue,
  parseSource,
  WRITE_APIS,
} from './checks.js';

/**
 * The job file's shape, as written (before paths are resolved and defaults filled). Every object is strict
 * so a typo is an error rather than a silently ignored setting.
 */

const person = text;
const condition = text;
const path = text;

/**
 * `assign:`: each strategy's key and options, from the registry, all optional here; the cross-checks
 * ask for exactly one strategy, so that every problem of a rule is reported in one pass.
 */
export function assignShapeOf<A extends TaggedAssign>(registry: Registry<A>): Record<string, z.ZodOptional> {
  return Object.fromEntries(
    registry.list.flatMap((strategy) =>
      [[strategy.key, strategy.schema] as const, ...Object.entries(strategy.options)].map(
        ([key, schema]) => [key, schema.optional()] as const,
      ),
    ),
  );
}

/** Advice for a strategy's values, by key path as in KEY_HINTS. */
export function assignHintsOf<A extends TaggedAssign>(registry: Registry<A>): Record<string, string> {
  return Object.fromEntries(
    registry.list.flatMap((strategy) =>
      Object.entries(strategy.hints).map(([key, hint]) => [`rules[].assign.${key}`, hint]),
    ),
  );
}

const assignShape = assignShapeOf(strategies);
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

/** What one object of `objects:` may set of its own; `Lead: {}` (or `Lead:`) takes the job's keys. */
const objectShape = {
  select: z.strictObject(selectShape).optional(),
  rules: z.array(z.strictObject(ruleShape)).optional(),
  write: z.strictObject(writeShape).optional(),
};

const objectsSchema = z
  .record(
    z.string().superRefine((value, ctx) => report(ctx, checkObjectName(value))),
    z.strictObject(objectShape).nullable(),
  )
  .refine((value) => Object.keys(value).length > 0, { error: 'names no object' });

const jobShape = {
  notify: z.enum(['email', 'task']).optional(),
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
  objects: objectsSchema.optional(),
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
  'objects.*': Object.keys(objectShape),
};

/** Advice for a value that failed a generic check (type, range, choice), by key path as above. */
export const KEY_HINTS: Record<string, string> = {
  object: 'Use the API name, e.g. Lead or My_Object__c',
  from: 'Use salesforce, or csv:PATH for a record export',
  'select.owners': 'List people by Id, username or email, e.g. [ana@acme.com]',
  'select.inactiveOwners': 'Write true or false',
  ...assignHintsOf(strategies),
  'write.api': 'Use rest, bulk, or auto (bulk from 2,000 records)',
  'write.stamp': 'Map field API names to template strings; quote values such as "true"',
  'write.cascade': 'List Contact and/or Opportunity',
  objects:
    'Map each object to its own keys, e.g. objects: { Lead: {}, Account: { write: { cascade: [Contact] } } }',
  notify: 'Write email (sent by the org) or task (an open Task for each new owner)',
  'limits.maxChanges': 'Give a whole number above 0, e.g. 5000',
  'limits.maxApiShare': 'Give a share above 0 and at most 1 of the remaining daily API requests, e.g. 0.5',
};
