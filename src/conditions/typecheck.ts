/**
 * Gives every comparison its field's type and refuses what Salesforce refuses: a literal of a type the
 * field cannot hold (`IsConverted = 'true'`, `CreatedDate > 2024-01-01`, `CloseDate LIKE '2024%'`,
 * `Id = 'bogus'`), and one field compared with literals of two types (it has one type, so one of them
 * would be rejected). Fields leadshift does not know take the type of their literals.
 */
import { toId18 } from '../ids.js';
import type { ConditionSource } from './locate.js';
import type { Comparison, ConditionNode, Literal } from './tree.js';
import {
  comparisonsIn,
  type DescribedFields,
  type FieldType,
  knownType,
  TYPE_NAMES,
  typesOf,
} from './types.js';

export function assignTypes(tree: ConditionNode, src: ConditionSource, described?: DescribedFields): void {
  const comparisons = comparisonsIn(tree);
  const byPath = new Map<string, Comparison[]>();
  for (const comparison of comparisons) {
    const list = byPath.get(comparison.path) ?? [];
    list.push(comparison);
    byPath.set(comparison.path, list);
  }
  for (const [path, list] of byPath) {
    const known = described ? describedType(path, list, described, src) : knownType(path);
    const type = known ?? inferred(list, src);
    for (const comparison of list) {
      comparison.fieldType = type;
      comparison.assumed = known === undefined && type !== undefined;
      if (type) for (const literal of comparison.values) check(comparison, literal, type, src);
    }
  }
}

/**
 * The described type of a field of the object itself (`Country`, `Lead.Country`); a path through a
 * relationship keeps the built-in table, since its object was not described.
 */
function describedType(
  path: string,
  list: Comparison[],
  described: DescribedFields,
  src: ConditionSource,
): FieldType | undefined {
  const prefix = `${described.object.toLowerCase()}.`;
  const own = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  if (own.includes('.')) return knownType(path);
  const type = described.types.get(own);
  if (type) return type;
  const field = list[0]?.field ?? path;
  return src.failAt(
    src.find(field),
    `${described.object} has no field ${field}`,
    'Check the API name in Setup (custom fields end in __c).',
  );
}

/** The one type every literal of an unknown field agrees on; text when they would allow Id or text. */
function inferred(list: Comparison[], src: ConditionSource): FieldType | undefined {
  let allowed: readonly FieldType[] | undefined;
  for (const comparison of list) {
    for (const literal of comparison.values) {
      if (literal.type === 'null') continue;
      const types = typesOf(literal);
      const both: readonly FieldType[] = allowed ? allowed.filter((t) => types.includes(t)) : types;
      if (both.length === 0) {
        const first = allowed?.[0] as FieldType;
        const hint = `${comparison.field} has one type; compare it with ${TYPE_NAMES[first]} throughout.`;
        src.failAt(
          src.find(comparison.field),
          `${comparison.field} is compared with ${TYPE_NAMES[first]} and with ${describe(literal)}`,
          hint,
        );
      }
      allowed = both;
    }
  }
  if (!allowed) return undefined;
  // A datetime literal beside a date literal was refused above; a relative literal alone fits both.
  return allowed.includes('datetime') && allowed.includes('date') ? 'datetime' : allowed[0];
}

function check(comparison: Comparison, literal: Literal, type: FieldType, src: ConditionSource): void {
  const at = src.find(comparison.field);
  if (comparison.op === 'LIKE' && type !== 'string') {
    src.failAt(
      at,
      `LIKE works on text, and ${comparison.field} holds ${TYPE_NAMES[type]}`,
      'Use = or a range (>=, <) instead.',
    );
  }
  if (!typesOf(literal).includes(type)) {
    const hint =
      type === 'datetime'
        ? `Write a date-time such as 2024-01-31T00:00:00Z, or a date literal such as LAST_N_DAYS:30.`
        : `Write ${TYPE_NAMES[type]}${type === 'boolean' ? ' without quotes' : ''}.`;
    src.failAt(
      at,
      `${comparison.field} holds ${TYPE_NAMES[type]}, and cannot be compared with ${describe(literal)}`,
      hint,
    );
  }
  if (type === 'id' && literal.type === 'string' && literal.value !== '' && !toId18(literal.value)) {
    const hint = 'Ids have 15 or 18 letters and digits, e.g. 00Q5g00000AbCdEFGH.';
    src.failAt(
      src.find(`'${literal.value}'`) ?? at,
      `'${literal.value}' is not a Salesforce Id, and ${comparison.field} holds Ids`,
      hint,
    );
  }
}

function describe(literal: Literal): string {
  switch (literal.type) {
    case 'string':
      return `text '${literal.value}'`;
    case 'pattern':
      return 'a LIKE pattern';
    case 'number':
      return `the number ${literal.text}`;
    case 'boolean':
      return literal.value ? 'TRUE' : 'FALSE';
    case 'date':
      return `the date ${literal.text}`;
    case 'datetime':
      return `the date-time ${literal.text}`;
    case 'relative':
      return 'a date literal';
    case 'null':
      return 'null';
  }
}
