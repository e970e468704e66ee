import { checkConditions, describedFields } from '../conditions/index.js';
import type { JobSpec } from '../config/job.js';
import { Directory } from '../directory/directory.js';
import { InputError, type Problem } from '../errors.js';
import { toId18 } from '../ids.js';
import type { Ports } from '../ports.js';
import { connectSalesforce, type SalesforceClient } from '../salesforce/index.js';
import { relatedFromSalesforce } from './cascade-records.js';
import { countOwnedInSalesforce, knownSalesforceFields } from './salesforce-counts.js';
import { SalesforceDirectoryLoader } from './salesforce-directory.js';
import { relationshipFields, SalesforceRecordSource } from './salesforce-source.js';
import { inactiveOwnerClauses, openRecordsClause } from './soql-clauses.js';
import type { SourceKit, SourceNeeds } from './source-kit.js';

/**
 * What the objects of one job share on Salesforce: one connection and one directory, so that each person
 * is read once for the whole plan.
 */
export interface SharedConnection {
  salesforce?: { client: SalesforceClient; directory: Directory; loader: SalesforceDirectoryLoader };
}

/** Salesforce as the source: one connection, a directory filled on demand, selection pushed into SOQL. */
export async function openSalesforceKit(
  job: JobSpec,
  ports: Ports,
  needs: SourceNeeds,
  shared: SharedConnection = {},
): Promise<SourceKit> {
  if (!shared.salesforce) {
    const client = await connectSalesforce({ org: job.org, env: ports.env });
    const directory = new Directory();
    shared.salesforce = { client, directory, loader: new SalesforceDirectoryLoader(client, directory) };
  }
  const { client, directory, loader } = shared.salesforce;
  await checkStampFields(client, job);
  const { where, exclude } = job.select;
  if (where || exclude) {
    const described = await client.describe(job.object);
    checkConditions([where, exclude], describedFields(job.object, described.fields));
  }
  const source = new SalesforceRecordSource(client, loader, job.object, needs.managers);
  return {
    source,
    directory,
    target: 'salesforce',
    instance: client.host,
    productionHost: async () => ((await client.organization()).isSandbox ? undefined : client.host),
    resolvePeople: (references) => loader.loadReferences(references),
    inactiveOwnerCounts: () => inactiveOwnerCounts(client, loader, job.object),
    activeUsers: () => loader.loadActiveUsers(),
    related: (object, accounts) => relatedFromSalesforce(client, object, accounts),
    mayAssignInactiveOwners: () => mayAssignInactiveOwners(client),
    countOwned: (request) => countOwnedInSalesforce(client, request),
    knownFields: (paths) => knownSalesforceFields(client, job.object, paths),
    // A selection by account owner reads the relationship already.
    extraFields: (selection) =>
      selection.accountOwnerField || !needs.accountLookup
        ? []
        : relationshipFields({ accountOwnerField: needs.accountLookup }),
    close: async () => undefined,
  };
}

/** Stamp fields must exist on the object and be writable, or every record would fail at write time. */
async function checkStampFields(client: SalesforceClient, job: JobSpec): Promise<void> {
  const fields = Object.keys(job.write.stamp);
  if (fields.length === 0) return;
  const described = await client.describe(job.object);
  const byName = new Map(described.fields.map((field) => [field.name.toLowerCase(), field]));
  const problems: Problem[] = fields.flatMap((name) => {
    const field = byName.get(name.toLowerCase());
    const place = { file: job.jobFile, key: `write.stamp.${name}` };
    if (!field)
      return [
        {
          ...place,
          message: `${job.object} has no field "${name}"`,
          hint: 'Check the API name (custom fields end in __c)',
        },
      ];
    if (!field.updateable)
      return [
        {
          ...place,
          message: `${job.object}.${field.name} cannot be written`,
          hint: 'Stamp a field that the running user may edit',
        },
      ];
    return [];
  });
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * Whether the running user holds "Update Records with Inactive Owners": without it Salesforce refuses
 * every write that gives a record to an inactive user (INACTIVE_OWNER_OR_USER).
 */
async function mayAssignInactiveOwners(client: SalesforceClient): Promise<boolean> {
  const userId = toId18(await client.runningUserId());
  if (!userId) return false;
  const soql = `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${userId}' AND PermissionSet.PermissionsUpdateWithInactiveOwner = true LIMIT 1`;
  for await (const page of client.query(soql)) if (page.length > 0) return true;
  return false;
}

const OWNED_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'Task', 'Event'];

/** One aggregate query per object: open records per inactive owner. */
async function inactiveOwnerCounts(
  client: SalesforceClient,
  loader: SalesforceDirectoryLoader,
  object: string,
) {
  const objects = [object, ...OWNED_OBJECTS.filter((name) => name !== object)];
  const result: Array<{ object: string; counts: Map<string, number> }> = [];
  for (const name of objects) {
    const clauses = inactiveOwnerClauses(name);
    const open = openRecordsClause(name);
    if (open) clauses.push(open);
    const rows = await client.aggregate(
      `SELECT OwnerId, COUNT(Id) FROM ${name} WHERE ${clauses.join(' AND ')} GROUP BY OwnerId`,
    );
    const counts = new Map(
      rows.map((row) => [toId18(String(row.ownerid)) ?? String(row.ownerid), Number(row.expr0 ?? 0)]),
    );
    await loader.loadIds(counts.keys());
    result.push({ object: name, counts });
  }
  return result;
}
