import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import { resolveMapping } from '../mapping.js';
import type { RuleOutcome } from '../types.js';
import { text } from './parts.js';
import { defineStrategy } from './strategy.js';

/** `map: owners.csv`: old owner → new owner, from a `from,to` file, chains followed. */
export interface MapAssign {
  strategy: 'map';
  /** Absolute once loaded: a job file's paths are taken from its folder, a flag's from the working one. */
  map: string;
}

export const mapStrategy = defineStrategy<MapAssign>({
  key: 'map',
  schema: text,
  hints: {},
  exports: ['users'],
  init: {
    choice: 'a mapping file (from,to)',
    ask: async (asker, relativePath) => ({
      map: relativePath(await asker.ask('Path of the mapping CSV', 'mapping.csv')),
    }),
  },
  load: (assign, resolvePath) => ({ strategy: 'map', map: resolvePath(String(assign.map)) }),
  files: (spec) => [spec.map],
  people: (spec, mappings) => (mappings.get(spec.map)?.rows ?? []).flatMap((row) => [row.from, row.to]),
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
});
