import { isAbsolute, relative } from 'node:path';

/** A path as a person would write it: relative to where they are, unless that climbs out. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
