// Field paths in SOQL (`OwnerId`, `Owner.IsActive`, `Account.Owner.Name`, `Partner__r.OwnerId`).

import { invalidField } from './errors.js';
import {
  type FieldDef,
  type FieldType,
  NAME_OBJECT_FIELDS,
  type ObjectDef,
  parseFieldSpec,
} from './schema.js';
import type { Rec, Store } from './store.js';

export interface Step {
  ref: FieldDef;
  relName: string;
  target: ObjectDef;
}

export interface ResolvedPath {
  canonical: string;
  steps: Step[];
  leaf: FieldDef;
}

const NAME_OBJECT: ObjectDef = {
  name: 'Name',
  label: 'Name',
  keyPrefix: '',
  custom: false,
  fields: new Map(
    Object.entries(NAME_OBJECT_FIELDS).map(([name, type]) => [
      name.toLowerCase(),
      { ...parseFieldSpec(`${name}:${type}:r`), type: type as FieldType },
    ]),
  ),
};

const noColumn = (field: string, entity: string) =>
  invalidField(
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export function resolvePath(store: Store, base: ObjectDef, raw: string, alias?: string): ResolvedPath {
  let parts = raw.split('.');
  // A field may be prefixed by the query's alias or by its object's name (`Lead.Country` FROM Lead).
  const first = parts[0]?.toLowerCase();
  if (parts.length > 1 && (first === alias?.toLowerCase() || first === base.name.toLowerCase()))
    parts = parts.slice(1);
  let obj = base;
  const steps: Step[] = [];
  const names: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const seg = parts[i] ?? '';
    const ref = [...obj.fields.values()].find((f) => f.relationshipName?.toLowerCase() === seg.toLowerCase());
    if (!ref?.referenceTo || obj === NAME_OBJECT) {
      throw invalidField(
        `Didn't understand relationship '${seg}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const target =
      ref.referenceTo.length > 1 ? NAME_OBJECT : (store.describe(ref.referenceTo[0] ?? '') ?? NAME_OBJECT);
    steps.push({ ref, relName: ref.relationshipName ?? seg, target });
    names.push(ref.relationshipName ?? seg);
    obj = target;
  }
  const last = parts[parts.length - 1] ?? '';
  const leaf = obj.fields.get(last.toLowerCase());
  if (!leaf) throw noColumn(last, obj.name);
  names.push(leaf.name);
  return { canonical: names.join('.'), steps, leaf };
}

/** The Name-object view of a User or Group (queue). */
function nameView(object: string, rec: Rec): Rec {
  const out: Rec = {};
  for (const f of Object.keys(NAME_OBJECT_FIELDS)) out[f] = null;
  out.Id = rec.Id;
  out.Name = rec.Name ?? null;
  if (object === 'User') {
    for (const f of [
      'Alias',
      'Email',
      'FirstName',
      'LastName',
      'Phone',
      'ProfileId',
      'Title',
      'UserRoleId',
      'Username',
    ]) {
      out[f] = rec[f] ?? null;
    }
    out.IsActive = rec.IsActive === true;
    out.Type = 'User';
  } else {
    out.Email = rec.Email ?? null;
    out.IsActive = false;
    out.Type = object === 'Group' ? (rec.Type ?? 'Queue') : object;
  }
  return out;
}

export interface Parent {
  rec: Rec;
  actualType: string;
}

function parentOf(store: Store, rec: Rec, step: Step): Parent | undefined {
  const id = rec[step.ref.name];
  if (id === null || id === undefined) return undefined;
  const found = store.lookup(id);
  if (!found || found.rec.IsDeleted === true) return undefined;
  if (step.target === NAME_OBJECT)
    return { rec: nameView(found.object, found.rec), actualType: found.object };
  if (found.object !== step.target.name) return undefined;
  return { rec: found.rec, actualType: found.object };
}

export function pathValue(store: Store, rec: Rec, path: ResolvedPath): unknown {
  let cur: Rec | undefined = rec;
  for (const step of path.steps) {
    cur = parentOf(store, cur, step)?.rec;
    if (!cur) return null;
  }
  return cur[path.leaf.name] ?? null;
}

/** Builds the REST JSON shape of `rec` for the selected paths (nested parents with attributes). */
export function projectRecord(
  store: Store,
  object: string,
  rec: Rec,
  paths: ResolvedPath[],
  version: string,
): Rec {
  const out: Rec = {
    attributes: { type: object, url: `/services/data/v${version}/sobjects/${object}/${rec.Id}` },
  };
  for (const path of paths) {
    let src: Rec | undefined = rec;
    let dst: Rec = out;
    let dead = false;
    for (const step of path.steps) {
      const existing = dst[step.relName];
      if (existing === null) {
        dead = true;
        break;
      }
      const parent: Parent | undefined = src ? parentOf(store, src, step) : undefined;
      if (!parent) {
        if (existing === undefined) dst[step.relName] = null;
        dead = true;
        break;
      }
      if (existing === undefined) {
        dst[step.relName] = {
          attributes: {
            type: step.target.name,
            url: `/services/data/v${version}/sobjects/${parent.actualType}/${parent.rec.Id}`,
          },
        };
      }
      dst = dst[step.relName] as Rec;
      src = parent.rec;
    }
    if (!dead && src) dst[path.leaf.name] = src[path.leaf.name] ?? null;
  }
  return out;
}
