/**
 * The `result` of each command's --json envelope, defined once in zod. The JSON Schema files next to
 * this one are generated from it (`node --import tsx scripts/write-schemas.ts`), and a test checks both
 * that they are current and that every command's output matches.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

const counts = z.strictObject({
  selected: count,
  changes: count,
  unassigned: count,
  kept: count,
  updated: count.optional(),
  failed: count.optional(),
  skipped: count.optional(),
  overridden: count.optional(),
  conflict: count.optional(),
});

const status = z.enum([
  'planned',
  'applying',
  'applied',
  'partial',
  'interrupted',
  'declined',
  'refused',
  'failed',
]);

const explanation = z.strictObject({
  id: z.string(),
  found: z.boolean(),
  ownerId: z.string().optional(),
  owner: z.string().optional(),
  trace: z.array(z.strictObject({ rule: z.string(), result: z.string(), detail: z.string() })),
  decision: z.record(z.string(), z.unknown()).optional(),
});

export const planResult = z.strictObject({
  command: z.string(),
  runId: z.string(),
  runDir: z.string(),
  /** plan.html in the run directory. */
  page: z.string(),
  status,
  object: z.string(),
  source: z.string(),
  target: z.enum(['csv', 'salesforce']),
  counts,
  changes: z.array(
    z.strictObject({
      oldOwnerId: z.string(),
      oldOwner: z.string(),
      newOwnerId: z.string(),
      newOwner: z.string(),
      rule: z.string(),
      count,
    }),
  ),
  unassigned: z.array(z.strictObject({ reason: z.string(), count })),
  receivers: z.array(
    z.strictObject({
      ownerId: z.string(),
      owner: z.string(),
      before: count,
      received: count,
      givenAway: count,
      after: count,
    }),
  ),
  explanation: explanation.optional(),
});

const notifyReport = z.strictObject({
  channel: z.enum(['email', 'task']),
  sent: count,
  failed: count,
  skipped: count,
  alreadySent: count,
  owners: z.array(
    z.strictObject({
      ownerId: z.string(),
      owner: z.string(),
      status: z.enum(['sent', 'failed', 'skipped']),
      records: count,
      reason: z.string().optional(),
    }),
  ),
});

export const applyResult = planResult.omit({ explanation: true }).extend({
  apiCalls: z.record(z.string(), count).optional(),
  notify: notifyReport.optional(),
});

export const notifyResult = z.strictObject({
  runId: z.string(),
  runDir: z.string(),
  page: z.string(),
  notify: notifyReport,
});

export const ownersResult = z.strictObject({
  objects: z.array(z.string()),
  owners: z.array(
    z.strictObject({
      ownerId: z.string(),
      owner: z.string(),
      records: z.record(z.string(), count),
      mappedTo: z.string().optional(),
      mapping: z.string().optional(),
    }),
  ),
  uncovered: count,
  counts: z.strictObject({ owners: count, uncovered: count, records: count }),
});

export const runsResult = z.strictObject({
  runs: z.array(
    z.strictObject({
      runId: z.string(),
      runDir: z.string(),
      kind: z.enum(['plan', 'undo']),
      status,
      object: z.string(),
      source: z.string(),
      ranBy: z.string(),
      startedAt: z.string(),
      endedAt: z.string().optional(),
      counts,
    }),
  ),
  counts: z.strictObject({ runs: count }),
});

/** What a failed command prints under --json, whatever the command. */
export const failure = z.strictObject({
  status: z.number().int().positive(),
  name: z.string(),
  message: z.string(),
  exitCode: z.number().int().positive(),
  actions: z.array(z.string()),
  data: z.record(z.string(), z.unknown()),
  warnings: z.array(z.string()),
});

/** Schema file name → shape. `run` prints a plan on --dry-run and an apply result otherwise. */
export const RESULT_SHAPES = {
  'plan.result.json': planResult,
  'run.result.json': z.union([applyResult, planResult]),
  'apply.result.json': applyResult,
  'undo.result.json': applyResult,
  'owners.result.json': ownersResult,
  'runs.result.json': runsResult,
  'notify.result.json': notifyResult,
  'failure.json': failure,
} as const;

export function jsonSchemaOf(shape: z.ZodType): unknown {
  return z.toJSONSchema(shape, { io: 'output' });
}
