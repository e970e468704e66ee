import { parseCondition } from '../conditions/index.js';
import type { RuleSpec } from '../config/job.js';
import type { Directory } from '../directory/directory.js';
import { InputError, type Problem } from '../errors.js';
import { displayPath } from '../paths.js';
import { strategies } from '../rules/strategies/index.js';
import { countKey } from '../rules/strategies/strategy.js';
import { readTerritoryTable, type TerritoryTable } from '../rules/strategies/territory-table.js';
import type { SourceKit } from '../sources/source-kit.js';

/** Every territory table the rules name, read and checked; all their problems are reported at once. */
export async function readTerritories(
  rules: readonly RuleSpec[],
  cwd: string,
): Promise<Map<string, TerritoryTable>> {
  const tables = new Map<string, TerritoryTable>();
  const problems: Problem[] = [];
  for (const path of strategies.tables(rules)) {
    try {
      tables.set(path, await readTerritoryTable(path, displayPath(path, cwd)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return tables;
}

/**
 * The fields the source can read, of those the territory tables name, so a misspelt column is refused
 * at the table's header rather than at the export's or by the query.
 */
export async function knownTableFields(
  rules: readonly RuleSpec[],
  tables: ReadonlyMap<string, TerritoryTable>,
  kit: SourceKit,
): Promise<ReadonlySet<string> | undefined> {
  if (tables.size === 0 || !kit.knownFields) return undefined;
  return kit.knownFields(strategies.fields(rules, tables));
}

/**
 * The records per member that rules weigh their members by (`load:`, `weights: performance`), counted
 * once per object and condition however many rules ask.
 */
export async function countTallies(
  rules: readonly RuleSpec[],
  kit: SourceKit,
  directory: Directory,
  now: Date,
): Promise<Map<string, Map<string, number>> | undefined> {
  const requests = strategies.tallies(rules);
  if (requests.length === 0) return undefined;
  const counts = new Map<string, Map<string, number>>();
  const problems: Problem[] = [];
  for (const request of requests) {
    const key = countKey(request);
    const ownerIds = request.members.flatMap((reference) => {
      const found = directory.find(reference);
      return found.kind === 'found'
        ? [found.owner.kind === 'user' ? found.owner.user.id : found.owner.queue.id]
        : [];
    });
    const known = counts.get(key);
    if (known && ownerIds.every((id) => known.has(id))) continue;
    try {
      const where = parseCondition(request.where.text, request.where.place);
      const counted = await kit.countOwned({
        object: request.object,
        where,
        place: request.where.place,
        ownerIds,
        now,
      });
      counts.set(key, new Map([...(known ?? []), ...counted]));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return counts;
}
