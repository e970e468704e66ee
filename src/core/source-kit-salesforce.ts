import type { JobSpec } from '../config/job.js';
import { Directory } from '../directory/directory.js';
import { accountField } from '../rules/related.js';
import { connectSalesforce } from '../salesforce/index.js';
import { relatedFromSalesforce } from '../sources/related.js';
import { SalesforceDirectoryLoader } from '../sources/salesforce-directory.js';
import { relationshipFields, SalesforceRecordSource } from '../sources/salesforce-source.js';
import type { Ports } from './ports.js';
import type { SourceKit } from './prepare.js';

/** Salesforce as the source: one connection, a directory filled on demand, selection pushed into SOQL. */
export async function openSalesforceKit(job: JobSpec, ports: Ports): Promise<SourceKit> {
  const client = await connectSalesforce({ org: job.org, env: ports.env });
  const directory = new Directory();
  const loader = new SalesforceDirectoryLoader(client, directory);
  const needsManagers = job.rules.some((rule) => 'manager' in rule.assign);
  const source = new SalesforceRecordSource(client, loader, job.object, needsManagers);
  return {
    source,
    directory,
    target: 'salesforce',
    instance: client.host,
    productionHost: async () => ((await client.organization()).isSandbox ? undefined : client.host),
    resolvePeople: (references) => loader.loadReferences(references),
    related: (object, accounts) => relatedFromSalesforce(client, object, accounts),
    extraFields: (selection, rules) => {
      if (selection.accountOwnerField || !rules.some((rule) => 'accountOwner' in rule.assign)) return [];
      const field = accountField(
        job.object,
        typeof job.select.accountOwner === 'string' ? job.select.accountOwner : undefined,
      );
      return field ? relationshipFields({ accountOwnerField: field }) : [];
    },
    close: async () => undefined,
  };
}
