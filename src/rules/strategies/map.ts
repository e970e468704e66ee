import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import { resolveMapping } from '../mapping.js';
import type { RuleOutcome } from '../types.js';
import { text } from './parts.js';
import type { Strategy } from './strategy.js';

/** `map: owners.csv`: old owner → new owner, from a `from,to` file, chains followed. */
export interface MapAssign {
  strategy: 'map';
  /** Absolute once loaded: a job file's paths are taken from its folder, a flag's from the working one. */
  map: string;
}

export const mapStrategy: Strategy<MapAssign> = {
  key: 'map',
  schema: text,
  options: {},
  hints: {},
  exports: ['users'],
  reads: { accountOwner: false, managers: false },
  init: {
    choice: 'a mapping file (from,to)',
    ask: async (asker, relativePath) => ({
      map: relativePath(await asker.ask('Path of the mapping CSV', 'mapping.csv')),
    }),
  },
  check: () => [],
  load: (assign, resolvePath) => ({ strategy: 'map', map: resolvePath(String(assign.map)) }),
  files: (spec) => [spec.map],
  people: (spec, mappings) => (mappings.get(spec.map)?.rows ?? []).flatMap((row) => [row.from, row.to]),
  fields: () => [],
  counted: () => [],
  tallies: () => [],
  tables: () => [],
  writeApi: () => undefined,
  compile: (spec, place, options) => {
    const file = options.mappings.get(spec.map);
    if (!file) throw new InputError({ ...place.at('map'), message: `mapping file ${spec.map} was not read` });
    const table = resolveMapping(file, options.directory, options.object);
    return {
      name: `map ${basename(file.label)}`,
      decide: (record): RuleOutcome => {
        const ownerId = table.get(record.ownerId);
        return ownerId ? { kind: 'assign', ownerId } : { kind: 'pass', reason: 'owner not in the mapping' };
      },
    };
  },
};
