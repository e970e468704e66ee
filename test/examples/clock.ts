import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** scripts/make-examples.ts dates the exports back from this instant; the runs see it as now. */
export const EXAMPLES_NOW = '2026-11-24T06:00:00.000Z';

/** The environment that gives a CLI run EXAMPLES_NOW as its clock (fixed-clock.mjs, preloaded). */
export const EXAMPLES_CLOCK = {
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(import.meta.dirname, 'fixed-clock.mjs')).href}`.trim(),
  FIXED_NOW: EXAMPLES_NOW,
};
