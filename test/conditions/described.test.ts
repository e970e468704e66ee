/** Typing by describe (the Salesforce path): custom fields take the org's type, unknown fields are refused. */
import { describe, expect, it } from 'vitest';
import { checkConditions, describedFields, parseCondition } from '../../src/conditions/index.js';
import { InputError } from '../../src/errors.js';

const lead = describedFields('Lead', [
  { name: 'Id', type: 'id' },
  { name: 'Country', type: 'string' },
  { name: 'Hot__c', type: 'boolean' },
  { name: 'Seen__c', type: 'date' },
  { name: 'Touched__c', type: 'datetime' },
  { name: 'Score__c', type: 'double' },
  { name: 'Region__c', type: 'picklist' },
  { name: 'Partner__c', type: 'reference' },
]);

const refusal = (text: string) => {
  try {
    parseCondition(text, { key: '--where' }, lead);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map((p) => `${p.key}: ${p.message}`).join('\n');
    throw error;
  }
  return undefined;
};

describe('conditions typed by describe', () => {
  it.each([
    ['NoSuchField__c = 1', '--where: Lead has no field NoSuchField__c at column 1'],
    ["Hot__c = 'true'", "Hot__c holds TRUE or FALSE, and cannot be compared with text 'true'"],
    ['Seen__c = 2024-01-01T00:00:00Z', 'Seen__c holds a date'],
    ['Touched__c > 2024-01-01', 'Touched__c holds a date-time'],
    ["Score__c = '5'", 'Score__c holds a number'],
    ["Score__c LIKE '5%'", 'LIKE works on text, and Score__c holds a number'],
    ["Partner__c = 'bogus'", "'bogus' is not a Salesforce Id"],
    ["Country = 'DE' AND (NOT lead.missing__c = 1)", 'Lead has no field lead.missing__c'],
  ])('refuses %s', (text, message) => {
    expect(refusal(text)).toContain(message);
  });

  it.each([
    'Hot__c = TRUE AND Hot__c != null',
    'Seen__c >= 2024-01-01 AND Seen__c < NEXT_N_QUARTERS:2',
    'Touched__c >= 2024-01-01T00:00:00+02:00 OR Touched__c = LAST_N_WEEKS:3',
    "Region__c IN ('EMEA', 'APAC') AND LEAD.SCORE__C > -2.5",
    "Partner__c = '0015g0000000001'",
    "Owner.Title = 'VP'",
  ])('accepts %s', (text) => {
    expect(refusal(text)).toBeUndefined();
  });

  it('types a custom field it cannot know from an export', () => {
    const parsed = parseCondition('Hot__c = null', { key: '--where' }, lead);
    expect(parsed.tree).toMatchObject({ kind: 'compare', fieldType: 'boolean', assumed: false });
  });

  it('lists every refused condition at once, with its key', () => {
    const specs = [
      { text: 'Nope__c = 1', place: { key: '--where' } },
      undefined,
      { text: "Hot__c = 'x'", place: { file: 'job.yaml', key: 'select.exclude' } },
    ];
    expect(() => checkConditions(specs, lead)).toThrow(InputError);
    try {
      checkConditions(specs, lead);
    } catch (error) {
      expect((error as InputError).problems.map((p) => p.key)).toEqual(['--where', 'select.exclude']);
    }
  });
});
