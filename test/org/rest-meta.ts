// Describe and limits resources.

import type { Ctx, Reply } from './http.js';
import { json } from './http.js';
import type { ObjectDef } from './schema.js';
import type { Rec } from './store.js';

export function describe(ctx: Ctx, def: ObjectDef): Rec {
  const { store } = ctx.state;
  return {
    name: def.name,
    label: def.label,
    keyPrefix: def.keyPrefix,
    custom: def.custom,
    queryable: true,
    updateable: !['Organization', 'AssignmentRule'].includes(def.name),
    createable: true,
    urls: { sobject: `/services/data/v${ctx.version}/sobjects/${def.name}` },
    fields: [...def.fields.values()].map((f) => ({
      name: f.name,
      label: f.name,
      type: f.type,
      custom: f.custom,
      updateable: f.updateable,
      createable: f.createable,
      nillable: f.nillable,
      filterable: true,
      groupable: f.type !== 'textarea',
      sortable: f.type !== 'textarea',
      length: ['string', 'email', 'phone', 'url', 'picklist', 'textarea'].includes(f.type) ? 255 : 0,
      referenceTo: f.referenceTo ?? [],
      relationshipName: f.relationshipName ?? null,
      polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1,
    })),
    childRelationships: store
      .objectNames()
      .flatMap((n) => [...(store.describe(n)?.fields.values() ?? [])].map((f) => ({ n, f })))
      .filter(({ f }) => f.referenceTo?.length === 1 && f.referenceTo[0] === def.name)
      .map(({ n, f }) => ({ childSObject: n, field: f.name })),
  };
}

export function limits(ctx: Ctx): Reply {
  const { apiUsed, apiLimit } = ctx.state;
  const l = (max: number, used = 0) => ({ Max: max, Remaining: Math.max(0, max - used) });
  return json(200, {
    DailyApiRequests: l(apiLimit, apiUsed),
    DailyAsyncApexExecutions: l(250000),
    DailyBulkApiBatches: l(15000),
    DailyBulkV2QueryFileStorageMB: l(976562),
    DailyBulkV2QueryJobs: l(10000, ctx.state.queryJobs.size),
    DataStorageMB: l(1024),
    FileStorageMB: l(1024),
    SingleEmail: l(5000),
  });
}
