/**
 * Field types, where they are known, and the literal types Salesforce accepts for each (SOQL's
 * "Comparison Operators" and "Date Formats and Date Literals" pages: a date value filters only date
 * fields, a dateTime value only dateTime fields, text in quotes only text, Id and picklist fields, a
 * boolean field only TRUE, FALSE or null). A CSV export says nothing of its columns' types, so standard
 * fields are typed from this table and other columns by the literals compared with them.
 */
import type { Comparison, ConditionNode, Literal } from './tree.js';

export type FieldType = 'string' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

const KNOWN: Record<string, FieldType> = {};
const declare = (type: FieldType, names: string) => {
  for (const name of names.split(' ')) KNOWN[name] = type;
};
declare(
  'id',
  'id ownerid accountid contactid leadid opportunityid createdbyid lastmodifiedbyid recordtypeid managerid ' +
    'convertedaccountid convertedcontactid convertedopportunityid whoid whatid parentid campaignid ' +
    'masterrecordid userid',
);
declare(
  'boolean',
  'isconverted isclosed iswon isdeleted isactive isescalated isunreadbyowner hasoptedoutofemail',
);
declare(
  'datetime',
  'createddate lastmodifieddate systemmodstamp lastvieweddate lastreferenceddate enddatetime startdatetime',
);
declare('date', 'converteddate closedate activitydate lastactivitydate');
declare('number', 'numberofemployees annualrevenue amount probability expectedrevenue');

/**
 * An object's fields as Salesforce's describe reports them: lower-cased API name to type. With it a
 * condition is typed as the org types it, custom fields included, and a field the object lacks is refused
 * before any query is sent.
 */
export interface DescribedFields {
  object: string;
  types: ReadonlyMap<string, FieldType>;
}

/** A describe field type ("Field Types", SOAP API Developer Guide) as the literals it accepts. */
export function fieldTypeOfDescribe(type: string): FieldType {
  switch (type.toLowerCase()) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'string';
  }
}

/** The type of a field path as Salesforce defines it, when leadshift knows it without asking. */
export function knownType(path: string): FieldType | undefined {
  const last = path.split('.').at(-1) ?? path;
  return KNOWN[path] ?? (path.includes('.') ? KNOWN[last] : undefined);
}

/** The field types a literal can be compared with. */
export function typesOf(literal: Literal): readonly FieldType[] {
  switch (literal.type) {
    case 'string':
    case 'pattern':
      return ['string', 'id'];
    case 'number':
      return ['number'];
    case 'boolean':
      return ['boolean'];
    case 'date':
      return ['date'];
    case 'datetime':
      return ['datetime'];
    case 'relative':
      return ['date', 'datetime'];
    case 'null':
      return ['string', 'id', 'number', 'boolean', 'date', 'datetime'];
  }
}

export function comparisonsIn(node: ConditionNode, into: Comparison[] = []): Comparison[] {
  if (node.kind === 'compare') into.push(node);
  else if (node.kind === 'not') comparisonsIn(node.item, into);
  else for (const item of node.items) comparisonsIn(item, into);
  return into;
}

export const TYPE_NAMES: Record<FieldType, string> = {
  string: 'text',
  id: 'an Id',
  number: 'a number',
  boolean: 'TRUE or FALSE',
  date: 'a date (YYYY-MM-DD)',
  datetime: 'a date-time (YYYY-MM-DDThh:mm:ssZ)',
};

/** A record's value that cannot be read as the type its field is compared as: the run stops (fail closed). */
export class UnreadableValue extends Error {
  constructor(
    readonly path: string,
    readonly value: string,
    readonly expected: FieldType,
    /** True when the type was taken from the condition's literals, the export not saying it. */
    readonly assumed: boolean,
  ) {
    super(`"${value}" is not ${TYPE_NAMES[expected]}`);
  }

  /** The message for a person: what the value is not, and why that type was expected. */
  describe(condition: string): string {
    const why = this.assumed
      ? `read as ${TYPE_NAMES[this.expected]} because the condition "${condition}" compares it with one (the export does not say the column's type)`
      : `the condition "${condition}" compares this field as ${TYPE_NAMES[this.expected]}`;
    return `${this.message}; ${why}`;
  }
}
