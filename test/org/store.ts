// In-memory records and metadata of the test org.

import { IdFactory, to18 } from './ids.js';
import {
  addField,
  buildObject,
  CUSTOM_OBJECT_FIELDS,
  type FieldDef,
  type FieldType,
  type ObjectDef,
  parseFieldSpec,
  STANDARD_OBJECTS,
} from './schema.js';

export type Rec = Record<string, unknown>;

/** `2024-01-02T03:04:05.000+0000`, the REST API's datetime format. */
export function sfDateTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** Parses Salesforce and ISO datetime strings; undefined when not a datetime. */
export function parseDateTime(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/.exec(v);
  if (!m) return undefined;
  let tz = m[4] ?? 'Z';
  if (tz !== 'Z' && !tz.includes(':')) tz = `${tz.slice(0, 3)}:${tz.slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${tz}`);
  return Number.isNaN(t) ? undefined : t;
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function inferType(key: string, value: unknown): FieldType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (value instanceof Date || parseDateTime(value) !== undefined) return 'datetime';
  if (typeof value === 'string' && DATE_RE.test(value)) return 'date';
  if (/Id$|__c$/.test(key) && to18(value) !== undefined) return 'reference';
  return 'string';
}

export class Store {
  readonly ids = new IdFactory();
  private objects = new Map<string, ObjectDef>();
  private data = new Map<string, Map<string, Rec>>();
  runningUserId = '';

  constructor(readonly now: () => Date = () => new Date()) {
    for (const [name, specs] of Object.entries(STANDARD_OBJECTS)) {
      this.objects.set(name.toLowerCase(), buildObject(name, this.ids.prefixFor(name), specs));
    }
  }

  describe(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  objectNames(): string[] {
    return [...this.objects.values()].map((o) => o.name);
  }

  /** Returns the object, creating a custom (or bare) one for test seeding when unknown. */
  ensureObject(name: string): ObjectDef {
    const existing = this.describe(name);
    if (existing) return existing;
    const specs = name.endsWith('__c') ? CUSTOM_OBJECT_FIELDS : [];
    const def = buildObject(name, this.ids.prefixFor(name), specs);
    this.objects.set(name.toLowerCase(), def);
    return def;
  }

  /** Declares fields, e.g. `defineFields('Lead', ['Region__c:string', 'Partner__c:reference::Account'])`. */
  defineFields(object: string, specs: (string | (Partial<FieldDef> & { name: string }))[]): void {
    const def = this.ensureObject(object);
    for (const spec of specs) {
      const field =
        typeof spec === 'string'
          ? parseFieldSpec(spec)
          : { ...parseFieldSpec(`${spec.name}:${spec.type ?? 'string'}`), ...spec };
      if (field.type === 'reference' && !field.referenceTo) field.referenceTo = ['User'];
      addField(def, field);
    }
  }

  field(def: ObjectDef, name: string): FieldDef | undefined {
    return def.fields.get(name.toLowerCase());
  }

  table(object: string): Map<string, Rec> {
    const def = this.ensureObject(object);
    let t = this.data.get(def.name);
    if (!t) {
      t = new Map();
      this.data.set(def.name, t);
    }
    return t;
  }

  /** A copy of every record, for a composite request with allOrNone to roll back to. */
  snapshot(): Map<string, Map<string, Rec>> {
    return new Map(
      [...this.data].map(([name, t]) => [name, new Map([...t].map(([id, r]) => [id, { ...r }]))]),
    );
  }

  /** Back to a snapshot, changing records in place so that references to them stay valid. */
  restore(snapshot: Map<string, Map<string, Rec>>): void {
    for (const [name, table] of this.data) {
      const before = snapshot.get(name) ?? new Map<string, Rec>();
      for (const [id, rec] of table) {
        const old = before.get(id);
        if (!old) table.delete(id);
        else {
          for (const key of Object.keys(rec)) delete rec[key];
          Object.assign(rec, old);
        }
      }
    }
  }

  insert(object: string, records: Rec[]): string[] {
    const def = this.ensureObject(object);
    const table = this.table(def.name);
    const stamp = sfDateTime(this.now());
    return records.map((input) => {
      const rec: Rec = {};
      for (const [key, raw] of Object.entries(input)) {
        let field = this.field(def, key);
        if (!field) {
          field = parseFieldSpec(`${key}:${inferType(key, raw)}`);
          if (field.type === 'reference') {
            const target = this.ids.objectForPrefix(String(raw).slice(0, 3));
            field.referenceTo = [target ?? 'User'];
          }
          addField(def, field);
        }
        rec[field.name] = normalise(field, raw);
      }
      const given = to18(rec.Id);
      if (given && def.custom && table.size === 0 && !this.ids.objectForPrefix(given.slice(0, 3))) {
        this.ids.register(def.name, given.slice(0, 3));
        def.keyPrefix = this.ids.prefixFor(def.name);
      }
      const id = given ?? this.ids.next(def.keyPrefix);
      rec.Id = id;
      for (const f of def.fields.values()) {
        if (rec[f.name] !== undefined) continue;
        if (f.type === 'boolean') rec[f.name] = f.name === 'IsActive' && def.name !== 'AssignmentRule';
        else rec[f.name] = null;
      }
      if (def.name === 'AssignmentRule' && input.Active === undefined) rec.Active = true;
      rec.CreatedDate ??= stamp;
      rec.LastModifiedDate ??= stamp;
      rec.SystemModstamp ??= rec.LastModifiedDate;
      rec.CreatedById ??= this.runningUserId || null;
      rec.LastModifiedById ??= this.runningUserId || null;
      if (def.fields.has('ownerid') && def.name !== 'Group') rec.OwnerId ??= this.runningUserId || null;
      if (def.name === 'User') rec.UserType ??= 'Standard';
      if (def.name === 'Lead') rec.Status ??= 'Open - Not Contacted';
      if (def.name === 'Task') rec.Status ??= 'Not Started';
      computeName(def, rec);
      deriveActivityFields(def, rec);
      table.set(id, rec);
      return id;
    });
  }

  get(object: string, id: string): Rec | undefined {
    const def = this.describe(object);
    const key = to18(id);
    if (!def || !key) return undefined;
    return this.data.get(def.name)?.get(key);
  }

  /** Finds a record of any object by Id (uses the key prefix). */
  lookup(id: unknown): { object: string; rec: Rec } | undefined {
    const key = to18(id);
    if (!key) return undefined;
    const object = this.ids.objectForPrefix(key.slice(0, 3));
    if (!object) return undefined;
    const rec = this.data.get(object)?.get(key);
    return rec ? { object, rec } : undefined;
  }

  all(object: string): Rec[] {
    const def = this.describe(object);
    if (!def) return [];
    return [...(this.data.get(def.name)?.values() ?? [])];
  }

  touch(rec: Rec, userId = this.runningUserId): void {
    const stamp = this.now();
    let t = stamp.getTime();
    const prev = parseDateTime(rec.LastModifiedDate);
    if (prev !== undefined && prev >= t) t = prev + 1;
    rec.LastModifiedDate = sfDateTime(new Date(t));
    rec.SystemModstamp = rec.LastModifiedDate;
    rec.LastModifiedById = userId;
  }
}

export function normalise(field: FieldDef, raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return null;
  if (field.type === 'boolean' && typeof raw === 'string') return /^(true|1)$/i.test(raw);
  if (
    ['int', 'double', 'currency', 'percent'].includes(field.type) &&
    typeof raw === 'string' &&
    !Number.isNaN(Number(raw))
  ) {
    return Number(raw);
  }
  if (field.type === 'datetime') {
    const t = parseDateTime(raw);
    return t === undefined ? raw : sfDateTime(new Date(t));
  }
  if (field.type === 'id' || field.type === 'reference') return to18(raw) ?? raw;
  return raw;
}

export function computeName(def: ObjectDef, rec: Rec): void {
  if (!def.fields.has('firstname') || !def.fields.has('lastname')) return;
  const parts = [rec.FirstName, rec.LastName].filter((p) => typeof p === 'string' && p !== '');
  if (parts.length) rec.Name = parts.join(' ');
}

/** Statuses that close a Task (TaskStatus.IsClosed). */
export const CLOSED_TASK_STATUSES = new Set(['Completed']);

const MINUTE = 60_000;

/**
 * The fields Salesforce derives on activities: a Task's IsClosed from its Status; an Event's start, end,
 * duration and activity date from one another. An all-day event starts and ends at midnight GMT of its
 * first and last day, so a one-day event's EndDateTime is the midnight that begins that day.
 */
export function deriveActivityFields(def: ObjectDef, rec: Rec): void {
  if (def.name === 'Task') {
    rec.IsClosed = CLOSED_TASK_STATUSES.has(String(rec.Status));
    return;
  }
  if (def.name !== 'Event') return;
  const given = parseDateTime(rec.StartDateTime);
  if (rec.IsAllDayEvent === true && typeof rec.ActivityDate !== 'string' && given !== undefined)
    rec.ActivityDate = new Date(given).toISOString().slice(0, 10);
  if (rec.IsAllDayEvent === true && typeof rec.ActivityDate === 'string') {
    const day = Date.parse(`${rec.ActivityDate}T00:00:00Z`);
    const days = typeof rec.DurationInMinutes === 'number' ? Math.max(1, rec.DurationInMinutes / 1440) : 1;
    rec.StartDateTime = sfDateTime(new Date(day));
    rec.EndDateTime = sfDateTime(new Date(day + (days - 1) * 1440 * MINUTE));
    rec.ActivityDateTime = null;
    rec.DurationInMinutes = days * 1440;
    return;
  }
  const start = parseDateTime(rec.StartDateTime ?? rec.ActivityDateTime);
  if (start === undefined) return;
  let end = parseDateTime(rec.EndDateTime);
  if (end === undefined && typeof rec.DurationInMinutes === 'number')
    end = start + rec.DurationInMinutes * MINUTE;
  end ??= start;
  rec.StartDateTime = sfDateTime(new Date(start));
  rec.ActivityDateTime = rec.StartDateTime;
  rec.EndDateTime = sfDateTime(new Date(end));
  rec.DurationInMinutes = Math.round((end - start) / MINUTE);
  rec.ActivityDate = new Date(start).toISOString().slice(0, 10);
}
