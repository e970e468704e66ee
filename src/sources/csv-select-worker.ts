/**
 * The CSV source's second core: scans and selects the rows of a large export while the main thread
 * decides owners and writes the plan. Batches go out in order, a few at a time, so a fast scan cannot
 * fill the main thread's memory with records it has not planned yet.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanCsvColumns } from '../csv/scan.js';
import { InputError } from '../errors.js';
import type { SourceRecord } from '../model.js';
import { type RowFilter, RowSelector } from './csv-rows.js';

export interface WorkerJob {
  path: string;
  width: number;
  filter: RowFilter;
}

export type WorkerMessage =
  | { type: 'records'; records: SourceRecord[] }
  | {
      type: 'done';
      open: Map<string, number>;
      history: Map<string, number>;
      problems: RowSelector['problems'];
    }
  | { type: 'input-error'; problems: InputError['problems'] }
  | { type: 'crash'; message: string; stack?: string };

/** Batches the main thread may hold before the scan waits for it. */
export const IN_FLIGHT = 4;
/** Records per message: fewer, larger messages cost less to pass between threads. */
const RECORDS_PER_MESSAGE = 1000;

const port = parentPort;
if (port) {
  const job = workerData as WorkerJob;
  let credits = IN_FLIGHT;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  const send = async (message: WorkerMessage) => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    port.postMessage(message);
  };
  void (async () => {
    try {
      const selector = new RowSelector(job.filter);
      let pending: SourceRecord[] = [];
      for await (const batch of scanCsvColumns(
        job.path,
        job.filter.label,
        job.width,
        job.filter.layout.columns,
      )) {
        pending.push(...selector.take(batch));
        if (selector.full) break;
        if (pending.length >= RECORDS_PER_MESSAGE) {
          await send({ type: 'records', records: pending });
          pending = [];
        }
      }
      if (pending.length > 0 && selector.problems.length === 0)
        await send({ type: 'records', records: pending });
      port.postMessage({
        type: 'done',
        open: selector.open,
        history: selector.history,
        problems: selector.problems,
      } satisfies WorkerMessage);
    } catch (error) {
      const message: WorkerMessage =
        error instanceof InputError
          ? { type: 'input-error', problems: error.problems }
          : { type: 'crash', message: (error as Error).message, stack: (error as Error).stack };
      port.postMessage(message);
    }
  })();
}
