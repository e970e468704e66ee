import { readFile } from 'node:fs/promises';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from 'yaml';
import type { Problem } from '../errors.js';

/** A parsed YAML file that can say on which line any key path was written. */
export interface YamlFile {
  /** The path as the user gave it, for messages. */
  file: string;
  doc: Document;
  lines: LineCounter;
}

export type KeyPath = readonly PropertyKey[];

/** `rules[1].assign.weights`: list indexes as the YAML reader counts them, from 0. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

export async function readYamlFile(file: string, absolute: string): Promise<YamlFile | Problem[]> {
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch (error) {
    return [readProblem(file, error)];
  }
  const lines = new LineCounter();
  // uniqueKeys makes a repeated key an error instead of the last one silently winning.
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yaml: YamlFile = { file, doc, lines };
  if (doc.errors.length > 0) return doc.errors.map((error) => syntaxProblem(yaml, error));
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return [
      {
        file,
        message: 'the job file is empty',
        hint: 'Write at least select: and rules: (README.md, "The job file", lists every key)',
      },
    ];
  }
  if (!isMap(doc.contents)) {
    return [
      {
        file,
        line: lineOf(yaml, doc.contents.range?.[0]),
        message: 'the job file is not a mapping of keys to values',
        hint: 'Start with keys such as object:, from:, select: and rules:',
      },
    ];
  }
  return yaml;
}

function readProblem(file: string, error: unknown): Problem {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return { file, message: 'the job file does not exist', hint: 'Check the path given to --job' };
  }
  if (code === 'EISDIR')
    return { file, message: 'this is a folder, not a job file', hint: 'Name a .yml file' };
  return { file, message: `the job file cannot be read (${code ?? String(error)})` };
}

const SYNTAX_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'this key is given twice in the same mapping',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (a --- line)',
  TAB_AS_INDENT: 'a tab is used for indentation',
};

function syntaxProblem(yaml: YamlFile, error: YAMLError): Problem {
  const { code } = error;
  const offset = error.pos[0];
  const position = yaml.lines.linePos(offset);
  const keyPath = pathAt(yaml.doc.contents, offset, []);
  return {
    file: yaml.file,
    line: position.line,
    column: position.col,
    ...(keyPath && keyPath.length > 0 ? { key: formatKeyPath(keyPath) } : {}),
    message: `YAML syntax error: ${SYNTAX_MESSAGES[code] ?? error.message}`,
    hint:
      code === 'DUPLICATE_KEY'
        ? 'Keep one of them'
        : 'Check the indentation, quotes and brackets here; quote values that contain ": " or start with { [ * & ! |',
  };
}

/** The key path of the deepest key or item whose text contains `offset`. */
function pathAt(node: unknown, offset: number, path: PropertyKey[]): PropertyKey[] | undefined {
  const items = isMap(node) || isSeq(node) ? node.items : [];
  // A block value runs up to the next key, so a key (a repeated one) is matched by its own text first.
  const keyed = items.find((item) => {
    const range = isPair(item) ? (item.key as Node | null)?.range : undefined;
    return range != null && offset >= range[0] && offset < range[1];
  });
  if (isPair(keyed) && isScalar(keyed.key)) return [...path, String(keyed.key.value)];
  for (const [index, item] of items.entries()) {
    if (isPair(item)) {
      const key = isScalar(item.key) ? item.key.value : undefined;
      const start = (item.key as Node | null)?.range?.[0];
      const end = (item.value as Node | null)?.range?.[2] ?? (item.key as Node | null)?.range?.[2];
      if (start === undefined || end === undefined || offset < start || offset > end) continue;
      const inner = [...path, String(key)];
      return pathAt(item.value, offset, inner) ?? inner;
    }
    const range = (item as Node | null)?.range;
    if (range && offset >= range[0] && offset <= range[2]) {
      const inner = [...path, index];
      return pathAt(item, offset, inner) ?? inner;
    }
  }
  return undefined;
}

export function lineOf(yaml: YamlFile, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : yaml.lines.linePos(offset).line;
}

/**
 * The line of a key path: its value node, or with `atKey` the key itself (an unknown key). When the path
 * does not exist (a missing key), the line of the nearest mapping that does.
 */
export function lineAt(yaml: YamlFile, path: KeyPath, atKey = false): number | undefined {
  let node: unknown = yaml.doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (!pair) break;
      const keyOffset = (pair.key as Node | null)?.range?.[0];
      const valueOffset = (pair.value as Node | null)?.range?.[0];
      offset = (last && atKey ? keyOffset : (valueOffset ?? keyOffset)) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lineOf(yaml, offset);
}
