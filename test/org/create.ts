// POST /sobjects/{Object}: creating one record, with Salesforce's checks on the fields given.

import { checkBody, checkReference } from './dml.js';
import { RecordFailure, recordError, SfError } from './errors.js';
import { type Ctx, json, type Reply, sObjectBody } from './http.js';
import type { ObjectDef } from './schema.js';
import { deriveActivityFields, type Rec } from './store.js';

/** Values Salesforce fills in when a create leaves them out (picklist defaults). */
const DEFAULTS: Record<string, Rec> = {
  Task: { Status: 'Not Started' },
};

function prepare(ctx: Ctx, def: ObjectDef, values: Rec): Rec {
  const readOnly = Object.keys(values).filter((k) => !def.fields.get(k.toLowerCase())?.createable);
  if (readOnly.length)
    throw recordError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  const record: Rec = { ...(DEFAULTS[def.name] ?? {}), ...values };
  record.OwnerId ??= ctx.userId;
  const missing = [...def.fields.values()]
    .filter((f) => f.createable && !f.nillable && f.type !== 'boolean')
    .filter((f) => record[f.name] === undefined || record[f.name] === null || record[f.name] === '')
    .map((f) => f.name);
  if (missing.length)
    throw recordError(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  for (const [name, value] of Object.entries(record)) {
    const field = def.fields.get(name.toLowerCase());
    if (field?.type === 'reference' && value !== null)
      record[name] = checkReference(ctx.state, def, field, value, ctx.userId);
  }
  deriveActivityFields(def, record);
  return record;
}

export function createRecord(ctx: Ctx, def: ObjectDef): Reply {
  ctx.kind = 'create';
  const body = sObjectBody(ctx);
  const values = checkBody(def, body);
  if (values.Id !== undefined)
    throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
  let record: Rec;
  try {
    record = prepare(ctx, def, values);
  } catch (error) {
    if (error instanceof RecordFailure)
      throw new SfError(400, error.error.statusCode, error.error.message, error.error.fields);
    throw error;
  }
  const [id] = ctx.state.store.insert(def.name, [
    { ...record, CreatedById: ctx.userId, LastModifiedById: ctx.userId },
  ]);
  return json(201, { id, success: true, errors: [] });
}
