import { cellOf, openCsv } from '../csv/read.js';
import { InputError, type Problem } from '../errors.js';
import { toId18 } from '../ids.js';
import { Directory } from './directory.js';

export interface DirectoryFiles {
  users?: { path: string; label: string };
  queues?: { path: string; label: string };
}

/** Builds the directory from a User export and a Queue export; every bad row is reported at once. */
export async function loadDirectoryFromCsv(files: DirectoryFiles): Promise<Directory> {
  const directory = new Directory();
  const problems: Problem[] = [];
  if (files.users) await loadUsers(files.users.path, files.users.label, directory, problems);
  if (files.queues) await loadQueues(files.queues.path, files.queues.label, directory, problems);
  if (problems.length > 0) throw new InputError(problems);
  return directory;
}

const TRUE_TEXT = new Set(['true', '1', 'yes', 'y']);
const FALSE_TEXT = new Set(['false', '0', 'no', 'n']);

/** Salesforce exports write booleans as true/false; spreadsheets as TRUE/FALSE or 1/0. */
export function parseBoolean(text: string): boolean | undefined {
  const key = text.trim().toLowerCase();
  if (TRUE_TEXT.has(key)) return true;
  if (FALSE_TEXT.has(key)) return false;
  return undefined;
}

/** Reads an Id cell as 18 characters; an empty cell is undefined, a malformed one a problem. */
export function readIdCell(
  text: string,
  place: { file: string; line: number; column: string },
  problems: Problem[],
): string | undefined {
  if (text === '') return undefined;
  const id = toId18(text);
  if (!id)
    problems.push({
      ...place,
      message: `"${text}" is not a Salesforce Id`,
      hint: 'Ids have 15 or 18 letters and digits',
    });
  return id;
}

async function loadUsers(
  path: string,
  label: string,
  directory: Directory,
  problems: Problem[],
): Promise<void> {
  const table = await openCsv(path, label, { required: ['Id', 'IsActive'] });
  const lineOf = new Map<string, number>();
  for await (const row of table.rows) {
    const place = { file: label, line: row.line };
    const id = readIdCell(cellOf(table, row, 'Id'), { ...place, column: 'Id' }, problems);
    if (id && refuseRepeat(id, lineOf, { ...place, column: 'Id' }, problems)) continue;
    const activeText = cellOf(table, row, 'IsActive');
    const isActive = parseBoolean(activeText);
    if (isActive === undefined) {
      problems.push({ ...place, column: 'IsActive', message: `"${activeText}" is not true or false` });
    }
    const managerId = readIdCell(
      cellOf(table, row, 'ManagerId'),
      { ...place, column: 'ManagerId' },
      problems,
    );
    if (!id || isActive === undefined) continue;
    directory.addUser({
      id,
      isActive,
      username: cellOf(table, row, 'Username') || undefined,
      email: cellOf(table, row, 'Email') || undefined,
      name: cellOf(table, row, 'Name') || undefined,
      managerId,
    });
  }
}

/**
 * Two rows for one user would make whichever came last decide whether the user is active: a joined or
 * pasted-together export, which only its author can put right.
 */
function refuseRepeat(
  id: string,
  lineOf: Map<string, number>,
  place: { file: string; line: number; column: string },
  problems: Problem[],
): boolean {
  const earlier = lineOf.get(id);
  if (earlier === undefined) {
    lineOf.set(id, place.line);
    return false;
  }
  problems.push({
    ...place,
    message: `${id} is on line ${earlier} too`,
    hint: 'Each user must appear once; remove the duplicate rows',
  });
  return true;
}

async function loadQueues(
  path: string,
  label: string,
  directory: Directory,
  problems: Problem[],
): Promise<void> {
  const table = await openCsv(path, label, { required: ['Id', ['DeveloperName', 'Name']] });
  const objectsById = new Map<string, string[]>();
  for await (const row of table.rows) {
    // Data Export's Group.csv holds roles and public groups too: only queues can own records.
    const type = cellOf(table, row, 'Type');
    if (type && type.toLowerCase() !== 'queue') continue;
    const id = readIdCell(cellOf(table, row, 'Id'), { file: label, line: row.line, column: 'Id' }, problems);
    if (!id) continue;
    // A QueueSobject join repeats the queue once per object; a flat export may list them with semicolons.
    const objectsCell = cellOf(table, row, 'SobjectType') || cellOf(table, row, 'SobjectTypes');
    const known = objectsById.get(id);
    const objects = objectsCell
      ? objectsCell
          .split(/[;,]/)
          .map((o) => o.trim())
          .filter(Boolean)
      : undefined;
    if (known && objects) {
      known.push(...objects);
      continue;
    }
    if (objects) objectsById.set(id, objects);
    directory.addQueue({
      id,
      name: cellOf(table, row, 'Name') || undefined,
      developerName: cellOf(table, row, 'DeveloperName') || undefined,
      objects,
    });
  }
}

/** Account Id → owner Id from an Account export, for account-owner selection and rules. */
export async function loadAccountOwners(path: string, label: string): Promise<Map<string, string>> {
  const table = await openCsv(path, label, { required: ['Id', 'OwnerId'] });
  const owners = new Map<string, string>();
  const problems: Problem[] = [];
  for await (const row of table.rows) {
    const id = readIdCell(cellOf(table, row, 'Id'), { file: label, line: row.line, column: 'Id' }, problems);
    const owner = readIdCell(
      cellOf(table, row, 'OwnerId'),
      { file: label, line: row.line, column: 'OwnerId' },
      problems,
    );
    if (id && owner) owners.set(id, owner);
    if (problems.length >= 50) break;
  }
  if (problems.length > 0) throw new InputError(problems);
  return owners;
}
