import { basename } from 'node:path';
import { type Directory, ownerRefusal } from '../../directory/directory.js';
import { InputError, type Problem } from '../../errors.js';
import type { SourceRecord } from '../../model.js';
import type { RuleOutcome } from '../types.js';
import { text } from './parts.js';
import { type CompiledRule, type CompileOptions, type CompilePlace, defineStrategy } from './strategy.js';
import { UnreadableCell } from './territory-cells.js';
import { indexTerritories, refusal, valuesOf } from './territory-index.js';
import type { TerritoryTable } from './territory-table.js';

/** `territory: territories.csv`: the first row of a table of field values that matches the record. */
export interface TerritoryAssign {
  strategy: 'territory';
  /** Absolute once loaded, like a mapping file's path. */
  territory: string;
}

/** Earlier rows an explanation lists before it says how many more did not match either. */
const EXPLAINED_ROWS = 20;

export const territoryStrategy = defineStrategy<TerritoryAssign>({
  key: 'territory',
  schema: text,
  hints: { territory: 'Name a territory table: a CSV with a column per field and an Owner column' },
  exports: ['users'],
  init: {
    choice: 'a territory table (field values → owner)',
    ask: async (asker, relativePath) => ({
      territory: relativePath(await asker.ask('Path of the territory CSV', 'territories.csv')),
    }),
  },
  load: (assign, resolvePath) => ({
    strategy: 'territory',
    territory: resolvePath(String(assign.territory)),
  }),
  tables: (spec) => [spec.territory],
  people: (spec, _mappings, territories) =>
    (territories.get(spec.territory)?.rows ?? []).map((row) => row.owner),
  fields: (spec, territories) =>
    (territories.get(spec.territory)?.fields ?? []).map((field) => field.toLowerCase()),
  compile: (spec, place, options) => compileTerritory(spec, place, options),
});

function compileTerritory(spec: TerritoryAssign, place: CompilePlace, options: CompileOptions): CompiledRule {
  const table = options.territories?.get(spec.territory);
  if (!table)
    throw new InputError({
      ...place.at('territory'),
      message: `territory table ${spec.territory} was not read`,
    });
  const problems = [...unknownFields(table, options.knownFields), ...ownerProblems(table, options)];
  if (problems.length > 0) throw new InputError(problems);
  const owners = table.rows.map((row) => ownerIdOf(row.owner, options.directory));
  const paths = table.fields.map((field) => field.toLowerCase());
  const index = indexTerritories(table);
  const name = `territory ${basename(table.label)}`;
  const firstRow = (record: SourceRecord): number => {
    try {
      return index.first(valuesOf(record.fields, paths));
    } catch (error) {
      if (!(error instanceof UnreadableCell)) throw error;
      throw new InputError({
        file: table.label,
        recordId: record.id,
        message: `record ${record.id}${record.line ? ` (line ${record.line} of the export)` : ''}: ${error.message}, which a range of the table compares`,
        hint: 'Export the field as Salesforce writes it (1234.5, YYYY-MM-DD), or change the range',
      });
    }
  };
  return {
    name,
    decide: (record): RuleOutcome => {
      const at = firstRow(record);
      if (at < 0) return { kind: 'pass', reason: `no row of ${basename(table.label)} matches` };
      return { kind: 'assign', ownerId: owners[at] as string };
    },
    explain: (record) => explainRecord(table, record, firstRow(record)),
  };
}

function explainRecord(table: TerritoryTable, record: SourceRecord, at: number): string {
  const paths = table.fields.map((field) => field.toLowerCase());
  const values = valuesOf(record.fields, paths);
  const shown = paths.map((path) => record.fields[path]);
  const earlier = at < 0 ? table.rows : table.rows.slice(0, at);
  const reasons = earlier
    .slice(0, EXPLAINED_ROWS)
    .map((row) => `line ${row.line}: ${refusal(row, values, table.fields, shown)}`);
  if (earlier.length > EXPLAINED_ROWS)
    reasons.push(`${earlier.length - EXPLAINED_ROWS} more rows did not match`);
  const matched =
    at < 0 ? 'no row matches' : `line ${table.rows[at]?.line} matches (${table.rows[at]?.owner})`;
  return reasons.length > 0 ? `${matched}; ${reasons.join('; ')}` : matched;
}

function unknownFields(table: TerritoryTable, known: ReadonlySet<string> | undefined): Problem[] {
  if (!known) return [];
  return table.fields
    .filter((field) => !known.has(field.toLowerCase()))
    .map((field) => ({
      file: table.label,
      line: 1,
      column: field,
      message: `${JSON.stringify(field)} is not a field the records have`,
      hint: 'Name a field of the object by its API name (custom fields end in __c), or export that column too',
    }));
}

/** Every row's owner must be able to own the object: checked now, each row named. */
function ownerProblems(table: TerritoryTable, options: CompileOptions): Problem[] {
  return table.rows.flatMap((row) => {
    const found = options.directory.find(row.owner);
    const refused = found.kind === 'found' ? ownerRefusal(found.owner, options.object) : undefined;
    const message = found.kind !== 'found' ? found.reason : refused ? `"${row.owner}" ${refused}` : undefined;
    if (!message) return [];
    return [
      {
        file: table.label,
        line: row.line,
        column: 'Owner',
        message,
        hint: 'Name an active user by username, email or Id, or a queue (queue:NAME) that takes this object',
      },
    ];
  });
}

function ownerIdOf(reference: string, directory: Directory): string {
  const found = directory.find(reference);
  if (found.kind !== 'found') throw new Error(`territory owner ${reference} was checked but is not known`);
  return found.owner.kind === 'user' ? found.owner.user.id : found.owner.queue.id;
}
