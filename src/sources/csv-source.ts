import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { type CsvTable, openCsv } from '../csv/read.js';
import { scanCsvColumns } from '../csv/scan.js';
import { InputError, type Place } from '../errors.js';
import type { SourceRecord } from '../model.js';
import { columnOf, layoutOf, OPENNESS, type RowFilter, RowSelector } from './csv-rows.js';
import type { WorkerJob, WorkerMessage } from './csv-select-worker.js';
import type { RecordSource, SelectContext, Selection } from './source.js';

/** From this size on, a second thread scans the export while the first plans (both cores pay off). */
const WORKER_FROM_BYTES = 32 * 1024 * 1024;
const WORKER_YOUNG_MB = 8;
const WORKER_OLD_MB = 64;

/** A condition's text and where it was written (a job file's line and key, or a flag). */
export interface ConditionPlace {
  text: string;
  place: Place;
}

/** A record export read from CSV; selectors are evaluated locally with the same parsed conditions. */
export class CsvRecordSource implements RecordSource {
  readonly description: string;
  private open = new Map<string, number>();
  private history = new Map<string, number>();
  private counted = false;

  constructor(
    private readonly path: string,
    private readonly label: string,
    private readonly object: string,
    private readonly workerFromBytes = WORKER_FROM_BYTES,
    private readonly conditionPlaces: ConditionPlace[] = [],
  ) {
    this.description = `csv:${label}`;
  }

  async *select(selection: Selection, context: SelectContext): AsyncIterable<SourceRecord[]> {
    const table = await this.header();
    checkColumns(table, selection, context.fields, this.conditionPlaces);
    const filter: RowFilter = {
      label: this.label,
      object: selection.object,
      layout: layoutOf(table.index, context.fields, selection.object, table.header),
      inactiveOwners: selection.inactiveOwners
        ? [...context.directory.allUsers()].filter((user) => !user.isActive).map((user) => user.id)
        : undefined,
      ownerIds: selection.ownerIds,
      accountOwnerField: selection.accountOwnerField,
      accountOwners: context.accountOwners,
      ...(context.plannedAccountOwners ? { plannedAccountOwners: context.plannedAccountOwners } : {}),
      where: selection.where,
      exclude: selection.exclude,
      now: context.now,
    };
    const { size } = await stat(this.path);
    const outcome: Outcome = { open: new Map(), history: new Map(), problems: [] };
    const batches =
      size >= this.workerFromBytes
        ? selectInWorker({ path: this.path, width: table.header.length, filter }, outcome)
        : selectHere(this.path, table.header.length, filter, outcome);
    for await (const records of batches) yield records;
    if (outcome.problems.length > 0) throw new InputError(outcome.problems);
    this.open = outcome.open;
    this.history = outcome.history;
    this.counted = true;
  }

  /** The selected owners' records that are not open, counted while selecting (read after `select`). */
  async historyCount(ownerIds: string[]): Promise<number | undefined> {
    if (!OPENNESS[this.object.toLowerCase()]) return undefined;
    return ownerIds.reduce((sum, id) => sum + (this.history.get(id) ?? 0), 0);
  }

  /**
   * Every open record of the export, selected or not, per owner: counted while selecting, or by a pass of
   * its own when asked before (load balancing needs the counts before the first record is decided).
   */
  async openCounts(ownerIds: string[]): Promise<Map<string, number>> {
    if (!this.counted) await this.countOpen();
    return new Map(ownerIds.map((id) => [id, this.open.get(id) ?? 0]));
  }

  private async countOpen(): Promise<void> {
    const table = await this.header();
    const layout = layoutOf(table.index, [], this.object);
    const selector = new RowSelector({
      label: this.label,
      object: this.object,
      layout,
      ownerIds: [],
      now: new Date(),
    });
    for await (const batch of scanCsvColumns(this.path, this.label, table.header.length, layout.columns))
      selector.count(batch);
    this.open = selector.open;
    this.counted = true;
  }

  /** The header, read and checked with csv-parse; the rows are scanned for only the columns needed. */
  private async header(): Promise<CsvTable> {
    // An export that cannot show which records are open (converted, closed, past) is refused, not read
    // as "all open".
    const openness = OPENNESS[this.object.toLowerCase()]?.columns;
    const required = ['Id', 'OwnerId', ...(openness ? [openness] : [])];
    const table = await openCsv(this.path, this.label, { required });
    table.close();
    return table;
  }
}

interface Outcome {
  open: Map<string, number>;
  history: Map<string, number>;
  problems: RowSelector['problems'];
}

async function* selectHere(
  path: string,
  width: number,
  filter: RowFilter,
  outcome: Outcome,
): AsyncIterable<SourceRecord[]> {
  const selector = new RowSelector(filter);
  for await (const batch of scanCsvColumns(path, filter.label, width, filter.layout.columns)) {
    const records = selector.take(batch);
    if (selector.full) break;
    if (records.length > 0) yield records;
  }
  Object.assign(outcome, { open: selector.open, history: selector.history, problems: selector.problems });
}

/** The same selection on a worker thread; each batch received is acknowledged, so at most a few wait. */
async function* selectInWorker(job: WorkerJob, outcome: Outcome): AsyncIterable<SourceRecord[]> {
  const worker = new Worker(new URL('./csv-select-worker.js', import.meta.url), {
    workerData: job,
    // The scan holds a few batches at a time; a small heap keeps the second thread from doubling the
    // process's memory (V8 otherwise grows each thread's heap well past what it needs).
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: WORKER_OLD_MB },
  });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      const message = queue.shift() as WorkerMessage;
      if (message.type === 'records') {
        worker.postMessage('ack');
        yield message.records;
      } else if (message.type === 'done') {
        Object.assign(outcome, { open: message.open, history: message.history, problems: message.problems });
        return;
      } else if (message.type === 'input-error') {
        throw new InputError(message.problems);
      } else {
        throw Object.assign(new Error(message.message), { stack: message.stack });
      }
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * Every field a condition or rule reads must be a column of the export, or the run would guess. The
 * problem is placed where the condition was written, when that is known, since that is what to change.
 */
function checkColumns(
  table: CsvTable,
  selection: Selection,
  fields: string[],
  places: ConditionPlace[],
): void {
  const missing = [...new Set(fields)].filter(
    (field) => columnOf(table.index, field, selection.object) === undefined,
  );
  if (missing.length === 0) return;
  const conditions = [selection.where, selection.exclude].filter((c) => c !== undefined);
  throw new InputError(
    missing.map((field) => {
      const text = conditions.find((c) => c.fields.includes(field))?.text;
      const written =
        places.find((p) => p.text === text) ??
        places.find((p) => p.text.toLowerCase().includes(field.toLowerCase()));
      const reader = written ?? (text ? { text, place: undefined } : undefined);
      const problem = {
        message: `${table.label} has no column "${field}"${reader ? `, which the condition "${reader.text}" reads` : ', which the rules read'}`,
        hint: `Export the field too, or change the condition (columns: ${table.header.join(', ')})`,
      };
      if (written?.place.file) return { ...written.place, ...problem };
      const key = written?.place.key;
      return { file: table.label, line: 1, ...(key ? { key } : {}), ...problem };
    }),
  );
}
