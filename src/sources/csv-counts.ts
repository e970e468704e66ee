import { evaluateCondition } from '../conditions/index.js';
import { UnreadableValue } from '../conditions/types.js';
import { cellOf, openCsv } from '../csv/read.js';
import { InputError } from '../errors.js';
import { toId18 } from '../ids.js';
import type { FieldValue } from '../model.js';
import type { OwnedCount } from './source-kit.js';

/**
 * The export holding an object's records, if the job was given one. A lookup by object name, so that
 * another way of naming exports (a Data Export folder) plugs in without the counting changing.
 */
export type ExportOf = (object: string) => { path: string; label: string; flag: string } | undefined;

/** The flags that give an export of another object than the job's. */
const COMPANION_FLAGS: Record<string, string> = {
  opportunity: '--opportunities',
  contact: '--contacts',
  account: '--accounts',
};

/** Counts an export's records meeting the condition per owner: one pass, only the columns it names. */
export async function countOwnedInCsv(request: OwnedCount, exportOf: ExportOf): Promise<Map<string, number>> {
  const found = exportOf(request.object);
  if (!found) {
    const flag = COMPANION_FLAGS[request.object.toLowerCase()];
    throw new InputError({
      ...request.place,
      message: `counts ${request.object} records, and the job has no ${request.object} export`,
      hint: flag
        ? `Add ${flag} FILE (an export with OwnerId and the fields the condition reads), or count another object`
        : `Count the job's own object, or ${Object.values(COMPANION_FLAGS).join(' or ')} exports`,
    });
  }
  const table = await openCsv(found.path, found.label, { required: ['OwnerId'] });
  const fields = request.where.fields;
  const missing = fields.filter((field) => !table.index.has(field));
  if (missing.length > 0) {
    table.close();
    throw new InputError({
      ...request.place,
      message: `${found.label} has no column ${missing.map((field) => `"${field}"`).join(', ')}, which the condition "${request.where.text}" reads`,
      hint: `Export the field too, or change the condition (columns: ${table.header.join(', ')})`,
    });
  }
  const counts = new Map(request.ownerIds.map((id) => [id, 0]));
  const columns = fields.map((field) => [field, table.index.get(field) as number] as const);
  for await (const row of table.rows) {
    const ownerId = toId18(cellOf(table, row, 'OwnerId'));
    const before = ownerId === undefined ? undefined : counts.get(ownerId);
    if (before === undefined) continue;
    const values: Record<string, FieldValue> = {};
    for (const [field, at] of columns) values[field] = row.cells[at] ?? '';
    if (holds(request, values, found.label, row.line)) counts.set(ownerId as string, before + 1);
  }
  return counts;
}

function holds(
  request: OwnedCount,
  values: Record<string, FieldValue>,
  label: string,
  line: number,
): boolean {
  try {
    return evaluateCondition(request.where, values, { now: request.now });
  } catch (error) {
    if (!(error instanceof UnreadableValue)) throw error;
    throw new InputError({
      file: label,
      line,
      column: error.path,
      message: error.describe(request.where.text),
      hint: 'Export the field as Salesforce writes it (true/false, YYYY-MM-DD, 1234.5), or change the condition',
    });
  }
}
