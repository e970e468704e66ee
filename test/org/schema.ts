// Object and field metadata (the subset of describe the emulator needs).

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference'
  /** OldValue/NewValue of history rows: any value; not filterable. */
  | 'anyType';

export interface FieldDef {
  name: string;
  type: FieldType;
  updateable: boolean;
  createable: boolean;
  nillable: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  custom: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  fields: Map<string, FieldDef>; // key: lower-case field name
}

/** Field spec shorthand: `Name:type[:flags][:RefA|RefB]`; flags r=read-only, q=required (not nillable). */
export function parseFieldSpec(spec: string): FieldDef {
  const [name = '', type = 'string', flags = '', refs = ''] = spec.split(':');
  const readOnly = flags.includes('r');
  const def: FieldDef = {
    name,
    type: type as FieldType,
    updateable: !readOnly,
    createable: !readOnly,
    nillable: !flags.includes('q') && type !== 'boolean',
    custom: name.endsWith('__c'),
  };
  if (type === 'reference') {
    def.referenceTo = refs ? refs.split('|') : ['User'];
    def.relationshipName = name.endsWith('__c') ? `${name.slice(0, -3)}__r` : name.replace(/Id$/, '');
  }
  return def;
}

const AUDIT = [
  'Id:id:rq',
  'IsDeleted:boolean:r',
  'CreatedDate:datetime:rq',
  'CreatedById:reference:rq:User',
  'LastModifiedDate:datetime:rq',
  'LastModifiedById:reference:rq:User',
  'SystemModstamp:datetime:rq',
];

const PERSON = [
  'FirstName:string',
  'LastName:string:q',
  'Name:string:r',
  'Email:email',
  'Title:string',
  'Phone:phone',
];

/**
 * Field history: https://developer.salesforce.com/docs/atlas.en-us.192.0.api.meta/api/sforce_api_objects_leadhistory.htm
 * and (Opportunity's is OpportunityFieldHistory; OpportunityHistory tracks stage and amount only)
 * https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-opportunityfieldhistory.html
 * Read-only (query and retrieve only); OldValue/NewValue are anyType, which cannot be filtered.
 */
export const HISTORY_OBJECTS: Record<string, { parent: string; parentField: string }> = {
  LeadHistory: { parent: 'Lead', parentField: 'LeadId' },
  ContactHistory: { parent: 'Contact', parentField: 'ContactId' },
  AccountHistory: { parent: 'Account', parentField: 'AccountId' },
  OpportunityFieldHistory: { parent: 'Opportunity', parentField: 'OpportunityId' },
  CaseHistory: { parent: 'Case', parentField: 'CaseId' },
};

function historyObjects(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, h] of Object.entries(HISTORY_OBJECTS)) {
    out[name] = [
      `${h.parentField}:reference:r:${h.parent}`,
      'Field:picklist:r',
      'DataType:picklist:r',
      'OldValue:anyType:r',
      'NewValue:anyType:r',
    ];
  }
  return out;
}

/** History rows have no LastModified* or SystemModstamp fields: selecting them is INVALID_FIELD. */
const NO_MODIFIED_STAMPS = new Set(Object.keys(HISTORY_OBJECTS));

export const STANDARD_OBJECTS: Record<string, string[]> = {
  Lead: [
    ...PERSON,
    'OwnerId:reference:q:Group|User',
    'Company:string:q',
    'Status:picklist:q',
    'LeadSource:picklist',
    'Industry:picklist',
    'Rating:picklist',
    'Country:string',
    'State:string',
    'City:string',
    'PostalCode:string',
    'NumberOfEmployees:int',
    'AnnualRevenue:currency',
    'IsConverted:boolean:r',
    'ConvertedDate:date:r',
    'ConvertedAccountId:reference:r:Account',
    'ConvertedContactId:reference:r:Contact',
    'IsUnreadByOwner:boolean',
  ],
  Contact: [
    ...PERSON,
    'OwnerId:reference:q:User',
    'AccountId:reference::Account',
    'Department:string',
    'MailingCountry:string',
    'MailingState:string',
    'MailingCity:string',
    'LeadSource:picklist',
    'ReportsToId:reference::Contact',
  ],
  Account: [
    'Name:string:q',
    'OwnerId:reference:q:User',
    'ParentId:reference::Account',
    'Type:picklist',
    'Industry:picklist',
    'BillingCountry:string',
    'BillingState:string',
    'BillingCity:string',
    'NumberOfEmployees:int',
    'AnnualRevenue:currency',
    'Website:url',
    'Phone:phone',
  ],
  Opportunity: [
    'Name:string:q',
    'OwnerId:reference:q:User',
    'AccountId:reference::Account',
    'StageName:picklist:q',
    'CloseDate:date:q',
    'Amount:currency',
    'Probability:percent',
    'IsClosed:boolean:r',
    'IsWon:boolean:r',
    'Type:picklist',
    'LeadSource:picklist',
  ],
  Case: [
    'CaseNumber:string:r',
    'OwnerId:reference:q:Group|User',
    'AccountId:reference::Account',
    'ContactId:reference::Contact',
    'Subject:string',
    'Description:textarea',
    'Status:picklist',
    'Priority:picklist',
    'Origin:picklist',
    'IsClosed:boolean:r',
  ],
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm
  // IsClosed follows Status (a closed status, here Completed, closes the task). Owner is polymorphic
  // (Group, User), but an API write of a queue is refused (see dml.ts).
  Task: [
    'Subject:string',
    'Description:textarea',
    'Status:picklist:q',
    'Priority:picklist',
    'OwnerId:reference:q:Group|User',
    'IsClosed:boolean:r',
    'ActivityDate:date',
    'WhoId:reference::Lead|Contact',
    'WhatId:reference::Account|Opportunity|Case',
  ],
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_event.htm
  // Start, end and duration fill each other in (see store.ts); an all-day event's times are midnight GMT.
  Event: [
    'Subject:string',
    'Description:textarea',
    'OwnerId:reference:q:Calendar|User',
    'StartDateTime:datetime',
    'EndDateTime:datetime',
    'ActivityDateTime:datetime',
    'ActivityDate:date',
    'DurationInMinutes:int',
    'IsAllDayEvent:boolean',
    'WhoId:reference::Lead|Contact',
    'WhatId:reference::Account|Opportunity|Case',
  ],
  User: [
    ...PERSON,
    'Username:string:q',
    'Alias:string:q',
    'IsActive:boolean',
    'ManagerId:reference::User',
    'UserType:picklist:r',
    'ProfileId:reference:q:Profile',
    'UserRoleId:reference::UserRole',
    'Department:string',
    'CommunityNickname:string',
    'TimeZoneSidKey:picklist',
  ],
  Group: [
    'Name:string:q',
    'DeveloperName:string',
    'Type:picklist:q',
    'Email:email',
    'OwnerId:reference:r:User',
    'DoesSendEmailToMembers:boolean',
  ],
  QueueSobject: ['QueueId:reference:q:Group', 'SobjectType:picklist:q'],
  Organization: [
    'Name:string:r',
    'IsSandbox:boolean:r',
    'InstanceName:string:r',
    'OrganizationType:string:r',
    'DefaultLocaleSidKey:string:r',
    'TimeZoneSidKey:string:r',
  ],
  AssignmentRule: ['Name:string:r', 'SobjectType:picklist:r', 'Active:boolean:r'],
  Profile: ['Name:string:q', 'UserType:picklist:r'],
  UserRole: ['Name:string:q', 'DeveloperName:string', 'ParentRoleId:reference::UserRole'],
  // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_permissionsetassignment.htm
  // A profile's permissions live in a permission set it owns (IsOwnedByProfile), so one query over
  // PermissionSetAssignment answers "does the running user have this permission".
  PermissionSet: [
    'Name:string:q',
    'Label:string:q',
    'IsOwnedByProfile:boolean:r',
    'ProfileId:reference:r:Profile',
    'PermissionsUpdateWithInactiveOwner:boolean',
    'PermissionsModifyAllData:boolean',
  ],
  PermissionSetAssignment: ['AssigneeId:reference:q:User', 'PermissionSetId:reference:q:PermissionSet'],
  ...historyObjects(),
};

/** Fields of the polymorphic "Name" object exposed through Owner on Lead, Case and custom objects. */
export const NAME_OBJECT_FIELDS: Record<string, FieldType> = {
  Id: 'id',
  Alias: 'string',
  Email: 'email',
  FirstName: 'string',
  IsActive: 'boolean',
  LastName: 'string',
  MiddleName: 'string',
  Name: 'string',
  Phone: 'phone',
  ProfileId: 'reference',
  Suffix: 'string',
  Title: 'string',
  Type: 'picklist',
  UserRoleId: 'reference',
  Username: 'string',
  LastReferencedDate: 'datetime',
  LastViewedDate: 'datetime',
};

export function buildObject(name: string, keyPrefix: string, specs: string[]): ObjectDef {
  const def: ObjectDef = {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    keyPrefix,
    custom: name.endsWith('__c'),
    fields: new Map(),
  };
  const audit = NO_MODIFIED_STAMPS.has(name)
    ? AUDIT.filter((s) => !/^(LastModified|SystemModstamp)/.test(s))
    : AUDIT;
  for (const spec of [...audit, ...specs]) addField(def, parseFieldSpec(spec));
  return def;
}

export function addField(def: ObjectDef, field: FieldDef): void {
  def.fields.set(field.name.toLowerCase(), field);
}

/** Fields every custom object has beyond the audit fields. */
export const CUSTOM_OBJECT_FIELDS = ['Name:string', 'OwnerId:reference:q:Group|User'];
