// Record updates with Salesforce's validation, shared by sObject Rows, Collections and Bulk 2.0.

import { recordError, SfError } from './errors.js';
import { recordOwnerChange, userHasPermission } from './history.js';
import { isValidId, to18 } from './ids.js';
import type { FieldDef, ObjectDef } from './schema.js';
import type { OrgState } from './state.js';
import { computeName, DATE_RE, deriveActivityFields, normalise, parseDateTime, type Rec } from './store.js';

/** `false`: no assignment rules; `true`: the active rule; a string: that rule Id. */
export type AutoAssign = boolean | string;

export function parseAutoAssign(header: string | undefined): AutoAssign {
  if (header === undefined) return true;
  const v = header.trim();
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  if (isValidId(v) && v.startsWith('01Q')) return to18(v) ?? v;
  throw new SfError(400, 'INVALID_HEADER_TYPE', `Sforce-Auto-Assign header value is invalid: ${v}`);
}

const ACTIVITIES = new Set(['Task', 'Event']);

const label = (f: FieldDef) => (f.name.endsWith('Id') ? `${f.name.slice(0, -2)} ID` : f.name);

/** Top-level (request-level) checks on the JSON body: unknown fields and value types. */
export function checkBody(def: ObjectDef, values: Rec): Rec {
  const out: Rec = {};
  for (const [key, raw] of Object.entries(values)) {
    if (key === 'attributes') continue;
    const field = def.fields.get(key.toLowerCase());
    if (!field)
      throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`);
    out[field.name] = coerce(field, raw);
  }
  return out;
}

function coerce(field: FieldDef, raw: unknown): unknown {
  if (raw === null) return null;
  const bad = () =>
    new SfError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${field.type} from ${typeof raw} value ${JSON.stringify(raw)} or request may be missing a required field`,
    );
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw bad();
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      if (Number.isNaN(n)) throw bad();
      return n;
    }
    case 'date':
      if (typeof raw === 'string' && DATE_RE.test(raw)) return raw;
      throw bad();
    case 'datetime':
      if (parseDateTime(raw) !== undefined) return normalise(field, raw);
      throw bad();
    default:
      if (typeof raw === 'object') throw bad();
      return String(raw);
  }
}

export function checkReference(
  state: OrgState,
  def: ObjectDef,
  field: FieldDef,
  value: unknown,
  userId: string,
): string {
  const id = to18(value);
  const prefixObject = id ? state.store.ids.objectForPrefix(id.slice(0, 3)) : undefined;
  // Activities are assigned to people: a queue's Id in Task or Event OwnerId fails as a wrong-type Id
  // ("Assigned To ID"), though Task's Owner reads as polymorphic.
  if (field.name === 'OwnerId' && prefixObject === 'Group' && ACTIVITIES.has(def.name)) {
    throw recordError(
      'FIELD_INTEGRITY_EXCEPTION',
      `Assigned To ID: id value of incorrect type: ${String(value)}`,
      [field.name],
    );
  }
  if (!id || !prefixObject || !field.referenceTo?.includes(prefixObject)) {
    throw recordError('MALFORMED_ID', `${label(field)}: id value of incorrect type: ${String(value)}`, [
      field.name,
    ]);
  }
  const target = state.store.get(prefixObject, id);
  if (!target || target.IsDeleted === true) {
    throw recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
  }
  if (field.name === 'OwnerId') {
    // "Update Records with Inactive Owners" lets its holders keep or set an inactive owner.
    const mayUseInactive = userHasPermission(state, userId, 'PermissionsUpdateWithInactiveOwner');
    if (prefixObject === 'User' && target.IsActive !== true && !mayUseInactive) {
      throw recordError(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${id}] as owner of [${def.name.toLowerCase()}]`,
      );
    }
    if (prefixObject === 'Group') {
      const allowed =
        target.Type === 'Queue' &&
        state.store
          .all('QueueSobject')
          .some(
            (q) => to18(q.QueueId) === id && String(q.SobjectType).toLowerCase() === def.name.toLowerCase(),
          );
      if (!allowed)
        throw recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
    }
  }
  return id;
}

export interface PreparedUpdate {
  def: ObjectDef;
  rec: Rec;
  changes: Rec;
  /** The user making the change (history rows and LastModifiedById). */
  userId: string;
}

/** Record-level validation of one update. Throws RecordFailure (or SfError for missing records in Rows). */
export function prepareUpdate(
  state: OrgState,
  def: ObjectDef,
  rawId: unknown,
  changes: Rec,
  userId = state.store.runningUserId,
): PreparedUpdate {
  const id = to18(rawId);
  if (id) for (const hook of state.beforeWrite) hook(def.name, id, changes);
  if (!id || id.slice(0, 3) !== def.keyPrefix) {
    throw recordError('MALFORMED_ID', `${def.name} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
  }
  const rec = state.store.get(def.name, id);
  if (!rec) throw recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  if (rec.IsDeleted === true) throw recordError('ENTITY_IS_DELETED', 'entity is deleted');
  const lock = state.locks.get(id) ?? 0;
  if (lock > 0) {
    state.locks.set(id, lock - 1);
    throw recordError(
      'UNABLE_TO_LOCK_ROW',
      `unable to obtain exclusive access to this record or 1 records: ${id}`,
    );
  }
  if (def.name === 'Lead' && rec.IsConverted === true) {
    throw recordError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
  }
  const readOnly = Object.keys(changes).filter(
    (k) => k !== 'Id' && !def.fields.get(k.toLowerCase())?.updateable,
  );
  if (readOnly.length) {
    throw recordError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }
  const missing = Object.keys(changes).filter(
    (k) => changes[k] === null && !def.fields.get(k.toLowerCase())?.nillable,
  );
  if (missing.length)
    throw recordError(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  const out: Rec = {};
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'Id') continue;
    const field = def.fields.get(k.toLowerCase());
    if (!field) continue;
    out[field.name] =
      field.type === 'reference' && v !== null ? checkReference(state, def, field, v, userId) : v;
  }
  return { def, rec, changes: out, userId };
}

/** Applies a prepared update: fields, audit stamps, assignment rules, then triggers. */
export function commitUpdate(state: OrgState, p: PreparedUpdate, autoAssign: AutoAssign): void {
  const oldOwner = p.rec.OwnerId;
  Object.assign(p.rec, p.changes);
  computeName(p.def, p.rec);
  deriveActivityFields(p.def, p.rec);
  state.store.touch(p.rec, p.userId);
  if (p.def.name === 'Lead' && autoAssign !== false && state.leadRule) {
    const ruleMatches = autoAssign === true || autoAssign === state.leadRuleId;
    if (ruleMatches) {
      const owner = state.leadRule.assign({ ...p.rec });
      const id = owner === undefined ? undefined : to18(owner);
      if (id) p.rec.OwnerId = id;
    }
  }
  for (const trigger of state.triggers.get(p.def.name) ?? []) {
    const before = JSON.stringify(p.rec);
    trigger(p.rec);
    if (JSON.stringify(p.rec) !== before) {
      computeName(p.def, p.rec);
      for (const [k, v] of Object.entries(p.rec)) {
        const f = p.def.fields.get(k.toLowerCase());
        if (f) p.rec[k] = normalise(f, v);
      }
    }
  }
  recordOwnerChange(state, p.def.name, p.rec, oldOwner, p.userId);
}
