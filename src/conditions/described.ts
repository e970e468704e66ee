/**
 * On Salesforce input a condition is checked against the object's describe before any query is sent:
 * a Data Export says nothing of custom fields' types, but the org does, so `Hot__c = 'true'` on a
 * checkbox or `NoSuchField__c = 1` is bad input naming the flag or job key, not a rejected query.
 */
import { InputError, type Place, type Problem } from '../errors.js';
import { parseCondition } from './parse.js';
import { type DescribedFields, fieldTypeOfDescribe } from './types.js';

export function describedFields(
  object: string,
  fields: ReadonlyArray<{ name: string; type: string }>,
): DescribedFields {
  return {
    object,
    types: new Map(fields.map((field) => [field.name.toLowerCase(), fieldTypeOfDescribe(field.type)])),
  };
}

/** Throws one InputError listing every condition the described object refuses. */
export function checkConditions(
  specs: ReadonlyArray<{ text: string; place: Place } | undefined>,
  described: DescribedFields,
): void {
  const problems: Problem[] = [];
  for (const spec of specs) {
    if (!spec) continue;
    try {
      parseCondition(spec.text, spec.place, described);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}
