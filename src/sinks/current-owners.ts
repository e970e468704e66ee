import { type ScannedRow, scanNamedColumns } from '../csv/scan.js';
import { toId18 } from '../ids.js';
import { IdTable } from '../journal/id-table.js';

export interface FreshnessFiles {
  /** The current export, and how messages name it. */
  exportPath: string;
  exportLabel: string;
  planPath: string;
  planLabel: string;
  /** The plan's own object: only its records are in the export. */
  object: string;
  /** The plan's change count, to size what is kept. */
  changes: number;
}

/** Answers by plan position (0: the export does not have the record, n: owner n - 1). */
type ByRow = { kind: 'row'; owners: Uint32Array };
/** Answers by packed Id, for an export in another order than the plan. */
type ById = { kind: 'id'; owners: IdTable };

/**
 * The owners, in a current export, of the records a plan touches; the whole export is read when the
 * sink opens, so a bad row in it is found before anything is written.
 *
 * A plan is written in its export's order, so the two files are read side by side (a merge) and each
 * planned record keeps only the index of its owner (owners are few), by its position in the plan. If
 * the export runs out before a planned Id turns up, the export is in another order (a newer one, sorted
 * otherwise) or lacks the record: the plan's Ids then go into a packed-Id table, filled in a second
 * pass over the export.
 */
export class CurrentOwners {
  private constructor(
    private readonly answers: ByRow | ById,
    private readonly owners: string[],
  ) {}

  static async read(files: FreshnessFiles): Promise<CurrentOwners> {
    const owners = new OwnerIndex();
    const answers = (await merged(files, owners)) ?? (await byId(files, owners));
    return new CurrentOwners(answers, owners.list);
  }

  /** The record's owner in the export; undefined when the export does not have it. */
  ownerOf(change: { id: string; row?: number }): string | undefined {
    const { answers } = this;
    const value =
      answers.kind === 'row'
        ? change.row === undefined
          ? undefined
          : answers.owners[change.row]
        : answers.owners.get(change.id);
    return value ? this.owners[value - 1] : undefined;
  }
}

/** The merge: undefined when the export is not in the plan's order. */
async function merged(files: FreshnessFiles, owners: OwnerIndex): Promise<ByRow | undefined> {
  const byRow = new Uint32Array(files.changes);
  const plan = rowsOf(files.planPath, files.planLabel, ['Id', 'Object']);
  const current = rowsOf(files.exportPath, files.exportLabel, ['Id', 'OwnerId'], true);
  try {
    let position = 0;
    for await (const cells of plan) {
      const row = position++;
      const object = (cells[1] as string).trim();
      if (object !== '' && object !== files.object) continue;
      const id = toId18((cells[0] as string).trim());
      if (!id || row >= byRow.length) return undefined;
      const owner = await seek(current, id);
      if (owner === undefined) return undefined;
      byRow[row] = owners.indexOf(owner) + 1;
    }
    // The rest of the export is read too: a bad row anywhere in it stops the apply before it writes.
    for (;;) if ((await current.next()).done) break;
    return { kind: 'row', owners: byRow };
  } finally {
    await current.return(undefined);
  }
}

/** Reads the export on until `id`; its owner there, or undefined once the export runs out. */
async function seek(current: AsyncIterator<string[]>, id: string): Promise<string | undefined> {
  const id15 = id.slice(0, 15);
  for (;;) {
    const read = await current.next();
    if (read.done) return undefined;
    const text = (read.value[0] as string).trim();
    // The cheap test first; an export may spell Ids with 15 characters, or upper-case the suffix.
    if (text.startsWith(id15) && toId18(text) === id) return (read.value[1] as string).trim();
  }
}

async function byId(files: FreshnessFiles, owners: OwnerIndex): Promise<ById> {
  const planned = new IdTable(files.changes, 32);
  for await (const cells of rowsOf(files.planPath, files.planLabel, ['Id', 'Object'])) {
    const object = (cells[1] as string).trim();
    if (object === '' || object === files.object) planned.set((cells[0] as string).trim(), 0);
  }
  for await (const cells of rowsOf(files.exportPath, files.exportLabel, ['Id', 'OwnerId'], true)) {
    const id = (cells[0] as string).trim();
    // Most of an export is not in the plan: the lookup comes first, the Id check only for a hit.
    if (planned.get(id) === undefined || !toId18(id)) continue;
    planned.set(id, owners.indexOf((cells[1] as string).trim()) + 1);
  }
  return { kind: 'id', owners: planned };
}

/** The named cells of every record, as one iterator (the scanner hands them out in batches). */
function rowsOf(path: string, label: string, names: string[], required = false): AsyncGenerator<string[]> {
  return cellsOf(scanNamedColumns(path, label, names, required ? { required: names } : {}));
}

async function* cellsOf(batches: AsyncIterable<ScannedRow[]>): AsyncGenerator<string[]> {
  for await (const batch of batches) for (const row of batch) yield row.cells;
}

/** Owners by index: an export names a few owners a million times; each spelling is made an Id once. */
class OwnerIndex {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  indexOf(text: string): number {
    let at = this.index.get(text);
    if (at === undefined) {
      at = this.list.push(toId18(text) ?? text) - 1;
      this.index.set(text, at);
    }
    return at;
  }
}
