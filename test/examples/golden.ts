/**
 * Golden files: the output of each example as the code produced it when the file was written, compared
 * exactly after run ids, timestamps and temporary paths are replaced by placeholders. UPDATE_EXAMPLES=1
 * writes them instead of comparing (DESIGN.md, "Tests").
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ROOT } from '../support/cli.js';

const UPDATING = process.env.UPDATE_EXAMPLES === '1';
const REGENERATE = 'UPDATE_EXAMPLES=1 npx vitest run test/examples/examples.test.ts';

const RUN_ID = /\b\d{8}T\d{6}Z-[0-9a-f]{6}\b/g;
const TIMESTAMP = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?/g;

/** Replaces what differs from run to run: run ids, timestamps, and the given folders (longest first). */
export function normalise(text: string, folders: Record<string, string>): string {
  let out = text.replace(/\r\n/g, '\n');
  const byLength = Object.entries(folders).sort(([, a], [, b]) => b.length - a.length);
  for (const [name, folder] of byLength) out = out.split(folder).join(`<${name}>`);
  return out.replace(RUN_ID, '<run id>').replace(TIMESTAMP, '<time>');
}

/**
 * Compares each named text with the file of that name in `folder` (and no file is missing or left
 * over), or rewrites the folder when updating. Every difference is reported at once, as a line diff.
 */
export async function matchGoldenFolder(folder: string, files: Record<string, string>): Promise<void> {
  if (UPDATING) {
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
    return;
  }
  const where = relative(ROOT, folder);
  const golden = existsSync(folder) ? (await readdir(folder)).sort() : [];
  const problems: string[] = [];
  for (const name of golden.filter((n) => !(n in files)))
    problems.push(`${where}/${name} is golden but this run wrote no such file`);
  for (const [name, actual] of Object.entries(files)) {
    if (!golden.includes(name)) {
      problems.push(`${where}/${name} is missing`);
      continue;
    }
    const expected = await readFile(join(folder, name), 'utf8');
    if (expected !== actual)
      problems.push(`${where}/${name} differs (- golden, + this run):\n${lineDiff(expected, actual)}`);
  }
  if (problems.length)
    throw new Error(
      `${problems.join('\n\n')}\n\nIf this run is right, rewrite the golden files: ${REGENERATE}`,
    );
}

/** `at` is the line number in the golden file for a removed line, in the new output otherwise. */
type Edit = { kind: ' ' | '-' | '+'; line: string; at: number };

/** The edits from `a` to `b` line by line (longest common subsequence; the files are small). */
function edits(a: string[], b: string[]): Edit[] {
  const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i]![j] =
        a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const out: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: ' ', line: b[j]!, at: j + 1 });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      out.push({ kind: '-', line: a[i]!, at: i + 1 });
      i++;
    } else {
      out.push({ kind: '+', line: b[j]!, at: j + 1 });
      j++;
    }
  }
  return out;
}

/** Changed lines with two lines of context; long diffs are cut. */
function lineDiff(expected: string, actual: string, maxLines = 60): string {
  const all = edits(expected.split('\n'), actual.split('\n'));
  const near = (k: number) => all.slice(Math.max(0, k - 2), k + 3).some((e) => e.kind !== ' ');
  const shown: string[] = [];
  let gap = false;
  all.forEach((edit, k) => {
    if (!near(k)) {
      gap = true;
      return;
    }
    if (gap && shown.length) shown.push('  ...');
    gap = false;
    shown.push(`${edit.kind} ${String(edit.at).padStart(4)} | ${edit.line}`);
  });
  const changed = all.filter((e) => e.kind !== ' ').length;
  const cut =
    shown.length > maxLines
      ? [...shown.slice(0, maxLines), `  ... (${changed} changed lines in all)`]
      : shown;
  return cut.join('\n');
}
