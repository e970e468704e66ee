/**
 * Finding where in the user's text a problem is. The SOQL parser reports what it expected but not where,
 * so this module keeps a rough token list of the condition to turn "found '>'" into a column.
 */
import { InputError, type Place } from '../errors.js';

export interface Token {
  text: string;
  offset: number;
  kind: 'string' | 'word' | 'number' | 'operator' | 'punct';
}

const TOKEN_PATTERNS: ReadonlyArray<[Token['kind'], RegExp]> = [
  ['string', /'(?:[^'\\\n]|\\.)*'?/y],
  ['number', /[+-]?[0-9.][0-9A-Za-z.:+-]*/y],
  ['word', /[A-Za-z_][A-Za-z0-9_.]*(?::-?[0-9]+)?/y],
  // Runs of operator characters stay together so that `=>` is reported as one unknown operator.
  ['operator', /[=!<>]+/y],
  ['punct', /[^\s]/y],
];

/** Splits a condition into rough tokens; never fails, since it only serves to point at things. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const space = /\s+/y;
    space.lastIndex = at;
    if (space.test(text)) {
      at = space.lastIndex;
      continue;
    }
    for (const [kind, pattern] of TOKEN_PATTERNS) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (match) {
        tokens.push({ text: match[0], offset: at, kind });
        at += match[0].length;
        break;
      }
    }
  }
  return tokens;
}

export const EXAMPLE_HINT = "Write a SOQL condition such as Country = 'DE'.";

/** Everything parseCondition needs to phrase a problem: the text, where it came from, and its tokens. */
export class ConditionSource {
  readonly tokens: Token[];
  constructor(
    readonly text: string,
    readonly place: Place,
  ) {
    this.tokens = tokenize(text);
  }

  /** Throws an InputError naming the place, the column (1-based) within the condition, and the text. */
  fail(offset: number, what: string, hint: string = EXAMPLE_HINT): never {
    const column = Math.min(offset, this.text.length) + 1;
    throw new InputError({
      ...this.place,
      message: `${what} at column ${column} in "${this.text}"`,
      hint,
    });
  }

  failAt(token: Token | undefined, what: string, hint?: string): never {
    return this.fail(token?.offset ?? this.text.length, what, hint);
  }

  /** The first token at or after `from` whose text is `image` (case-insensitive). */
  find(image: string, from = 0): Token | undefined {
    const wanted = image.toLowerCase();
    return this.tokens.find((token) => token.offset >= from && token.text.toLowerCase() === wanted);
  }

  /**
   * The role of each token in the logical structure: a parenthesis grouping conditions, NOT, AND, OR, or
   * undefined for a token inside a comparison (including the parentheses of value lists and functions).
   */
  roles(): Array<StructureRole | undefined> {
    let depthInValues = 0;
    return this.tokens.map((token, i) => {
      const word = token.kind === 'word' ? token.text.toUpperCase() : '';
      if (token.text === '(' && (depthInValues > 0 || opensValues(this.tokens[i - 1]))) depthInValues++;
      else if (token.text === ')' && depthInValues > 0) depthInValues--;
      else if (depthInValues > 0) return undefined;
      else if (token.text === '(' || token.text === ')') return token.text;
      else if (word === 'AND' || word === 'OR') return word;
      else if (word === 'NOT' && this.tokens[i + 1]?.text.toUpperCase() !== 'IN') return word;
      return undefined;
    });
  }
}

export type StructureRole = '(' | ')' | 'NOT' | 'AND' | 'OR';

/** A `(` after IN, INCLUDES, EXCLUDES or a function name starts values, not a group of conditions. */
function opensValues(previous: Token | undefined): boolean {
  if (previous?.kind !== 'word') return false;
  return !/^(and|or|not)$/i.test(previous.text);
}
