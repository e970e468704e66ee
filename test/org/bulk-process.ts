// Bulk API 2.0 ingest processing: the uploaded CSV applied row by row, with per-row results.

import type { IngestJob } from './bulk-ingest.js';
import { DELIMITERS, parseCsv } from './csv.js';
import { checkBody, commitUpdate, prepareUpdate } from './dml.js';
import { RecordFailure, SfError } from './errors.js';
import { to18 } from './ids.js';
import type { ObjectDef } from './schema.js';
import type { OrgState } from './state.js';
import type { Rec } from './store.js';

function cellValue(def: ObjectDef, column: string, raw: string): unknown {
  if (raw === '#N/A') return null;
  const f = def.fields.get(column.toLowerCase());
  if (f?.type === 'boolean') {
    if (/^(true|1)$/i.test(raw)) return true;
    if (/^(false|0)$/i.test(raw)) return false;
  }
  return raw;
}

function errorText(e: { statusCode: string; message: string; fields: string[] }): string {
  return `${e.statusCode}:${e.message}:${e.fields.length ? `${e.fields.join(',')} --` : '--'}`;
}

/** Parses and checks the uploaded CSV; returns the job-level failure message when it is unusable. */
function readUpload(
  job: IngestJob,
  def: ObjectDef | undefined,
): string | { head: string[]; data: string[][] } {
  const text = job.data ?? '';
  if (!def || text.trim() === '') return 'InvalidBatch : Failed to parse CSV header. No data was uploaded';
  if (job.info.lineEnding === 'LF' && text.includes('\r\n')) {
    return 'InvalidBatch : LineEnding is invalid on user data. Current LineEnding setting is LF';
  }
  if (job.info.lineEnding === 'CRLF' && /(^|[^\r])\n/.test(text)) {
    return 'InvalidBatch : LineEnding is invalid on user data. Current LineEnding setting is CRLF';
  }
  let rows: string[][];
  try {
    rows = parseCsv(text, DELIMITERS[job.info.columnDelimiter] ?? ',');
  } catch (e) {
    return `InvalidBatch : Failed to parse CSV: ${(e as Error).message}`;
  }
  const [head = [], ...data] = rows;
  const unknown = head.find((col) => !def.fields.has(col.toLowerCase()));
  if (unknown !== undefined) return `InvalidBatch : Field name not found : ${unknown}`;
  const needsId = ['update', 'delete', 'hardDelete'].includes(job.info.operation);
  if (needsId && !head.some((h) => h.toLowerCase() === 'id'))
    return 'InvalidBatch : Field name not found : Id';
  return { head, data };
}

export function processJob(state: OrgState, job: IngestJob): void {
  if (job.info.state !== 'InProgress') return;
  const def = state.store.describe(job.info.object);
  const upload = readUpload(job, def);
  if (typeof upload === 'string' || !def) {
    job.info.state = 'Failed';
    job.info.errorMessage = typeof upload === 'string' ? upload : 'InvalidBatch : Unknown object';
    return;
  }
  const { head, data } = upload;
  job.header = head;
  const idCol = head.findIndex((h) => h.toLowerCase() === 'id');
  const op = job.info.operation;
  const withId = job.version >= 53;
  const autoAssign = typeof job.info.assignmentRuleId === 'string' ? job.info.assignmentRuleId : false;
  for (const row of data) {
    if (row.length !== head.length) {
      job.failed.push([
        ...(withId ? [''] : []),
        'INVALID_FIELD:Column count does not match the header:--',
        ...row,
      ]);
      continue;
    }
    const rawId = idCol >= 0 ? (row[idCol] ?? '') : '';
    try {
      const values: Rec = {};
      head.forEach((col, i) => {
        const raw = row[i] ?? '';
        if (raw !== '' && i !== idCol) values[col] = cellValue(def, col, raw);
      });
      let id: string;
      if (op === 'update') {
        const p = prepareUpdate(state, def, rawId, checkBody(def, values), String(job.info.createdById));
        commitUpdate(state, p, autoAssign);
        id = String(p.rec.Id);
      } else if (op === 'insert') {
        id = state.store.insert(def.name, [checkBody(def, values)])[0] ?? '';
      } else if (op === 'delete' || op === 'hardDelete') {
        const p = prepareUpdate(state, def, rawId, {}, String(job.info.createdById));
        p.rec.IsDeleted = true;
        state.store.touch(p.rec);
        id = String(p.rec.Id);
      } else {
        throw new RecordFailure({
          statusCode: 'UNSUPPORTED_OPERATION',
          message: 'upsert is not supported by the test org',
          fields: [],
        });
      }
      job.success.push([id, op === 'insert' ? 'true' : 'false', ...row]);
    } catch (e) {
      const err =
        e instanceof RecordFailure
          ? e.error
          : e instanceof SfError
            ? { statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }
            : { statusCode: 'UNKNOWN_EXCEPTION', message: String(e), fields: [] };
      job.failed.push([...(withId ? [to18(rawId) ?? ''] : []), errorText(err), ...row]);
    }
  }
  job.success.reverse();
  job.failed.reverse();
  job.info.state = 'JobComplete';
}
