import { cellOf, openCsv } from '../csv/read.js';
import type { Directory } from '../directory/directory.js';
import { ownerRefusal } from '../directory/directory.js';
import { InputError, type Problem } from '../errors.js';

/** One row of a mapping file, as written. */
export interface MappingRow {
  line: number;
  from: string;
  to: string;
}

export interface MappingFile {
  label: string;
  rows: MappingRow[];
}

/** Reads `from,to` (or `OldOwnerId,NewOwnerId`) rows; people stay unresolved until the directory is ready. */
export async function readMappingFile(path: string, label: string): Promise<MappingFile> {
  const table = await openCsv(path, label, {
    required: [
      ['from', 'OldOwnerId'],
      ['to', 'NewOwnerId'],
    ],
  });
  refuseUnknownColumns(table.header, label);
  const fromColumn = table.index.has('from') ? 'from' : 'OldOwnerId';
  const toColumn = table.index.has('to') ? 'to' : 'NewOwnerId';
  const rows: MappingRow[] = [];
  const problems: Problem[] = [];
  for await (const row of table.rows) {
    const from = cellOf(table, row, fromColumn);
    const to = cellOf(table, row, toColumn);
    if (!from || !to) {
      problems.push({
        file: label,
        line: row.line,
        column: from ? toColumn : fromColumn,
        message: 'is empty',
        hint: 'Every row needs both an old and a new owner; delete rows that are not ready',
      });
      continue;
    }
    rows.push({ line: row.line, from, to });
  }
  if (problems.length > 0) throw new InputError(problems);
  return { label, rows };
}

const MAPPING_COLUMNS = ['from', 'to', 'OldOwnerId', 'NewOwnerId'];

/** A column leadshift does not read may be a misspelt one it should read: refused rather than ignored. */
function refuseUnknownColumns(header: string[], label: string): void {
  const allowed = new Set(MAPPING_COLUMNS.map((name) => name.toLowerCase()));
  const unknown = header.filter((name) => name !== '' && !allowed.has(name.toLowerCase()));
  if (unknown.length === 0) return;
  throw new InputError({
    file: label,
    line: 1,
    message: `the header has ${unknown.length === 1 ? 'a column' : 'columns'} leadshift does not read: ${unknown.map((n) => `"${n}"`).join(', ')}`,
    hint: `A mapping file has the columns from,to (or OldOwnerId,NewOwnerId) and nothing else; remove or rename the others`,
  });
}

/**
 * Resolves a mapping to old owner Id → final new owner Id. Chains are followed (A→B, B→C gives A→C);
 * a cycle, a chain ending at someone who cannot own `object`, an unknown person, or two rows sending one
 * person to different places is an input error that names the lines involved.
 */
export function resolveMapping(file: MappingFile, directory: Directory, object: string): Map<string, string> {
  const problems: Problem[] = [];
  const edges = new Map<string, { to: string; line: number }>();
  for (const row of file.rows) {
    const from = lookup(row.from, row.line, 'from', file.label, directory, problems);
    const to = lookup(row.to, row.line, 'to', file.label, directory, problems);
    if (!from || !to) continue;
    const earlier = edges.get(from);
    if (earlier && earlier.to !== to) {
      problems.push({
        file: file.label,
        line: row.line,
        message: `"${row.from}" is mapped twice to different owners (line ${earlier.line} sends it to ${directory.label(earlier.to)}, this line to ${directory.label(to)})`,
        hint: 'Keep one of the two rows',
      });
      continue;
    }
    if (from === to) {
      problems.push({
        file: file.label,
        line: row.line,
        message: `"${row.from}" is mapped to itself`,
        hint: 'Remove the row',
      });
      continue;
    }
    edges.set(from, { to, line: row.line });
  }
  if (problems.length > 0) throw new InputError(problems);
  return followChains(edges, file.label, directory, object);
}

function lookup(
  reference: string,
  line: number,
  column: string,
  label: string,
  directory: Directory,
  problems: Problem[],
): string | undefined {
  const found = directory.find(reference);
  if (found.kind === 'found') return found.owner.kind === 'user' ? found.owner.user.id : found.owner.queue.id;
  problems.push({
    file: label,
    line,
    column,
    message: found.reason,
    hint:
      found.kind === 'ambiguous'
        ? 'Name the user by username or Id instead'
        : 'Check the spelling, or add the user to the users export',
  });
  return undefined;
}

function followChains(
  edges: Map<string, { to: string; line: number }>,
  label: string,
  directory: Directory,
  object: string,
): Map<string, string> {
  const problems: Problem[] = [];
  const resolved = new Map<string, string>();
  for (const [from, first] of edges) {
    const path = [from];
    const lines = [first.line];
    let target = first.to;
    let cycle = false;
    for (let next = edges.get(target); next; next = edges.get(target)) {
      if (path.includes(target)) {
        cycle = true;
        break;
      }
      path.push(target);
      lines.push(next.line);
      target = next.to;
    }
    const chain = [...path, target].map((id) => directory.label(id)).join(' → ');
    if (cycle) {
      problems.push({
        file: label,
        line: first.line,
        message: `the mapping goes round in a circle: ${chain} (lines ${lines.join(', ')})`,
        hint: 'Break the cycle by sending one of them to an active user',
      });
      continue;
    }
    const owner = directory.owner(target);
    const refusal = owner ? ownerRefusal(owner, object) : 'is unknown';
    if (refusal) {
      const via = lines.length > 1 ? ` (${chain}, lines ${lines.join(', ')})` : '';
      problems.push({
        file: label,
        line: first.line,
        message: `${directory.label(from)} is mapped to ${directory.label(target)}, which ${refusal}${via}`,
        hint: 'Map it to an active user, or remove the row',
      });
      continue;
    }
    resolved.set(from, target);
  }
  if (problems.length > 0) throw new InputError(problems);
  return resolved;
}
