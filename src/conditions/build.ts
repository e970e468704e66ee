/**
 * From the parser's WhereClause to our tree. The parser's linked list keeps parentheses only as counts
 * and loses a NOT in some nestings (`NOT NOT NOT a = 1` reads as `NOT NOT a = 1`), so only its
 * comparisons are used: the parser vouches for the grammar and types the values, while the grouping is
 * read from the text's own parentheses, NOT, AND and OR, with SOQL's rules: NOT applies to the next
 * operand, and AND and OR may not be mixed without parentheses (Salesforce rejects `a AND b OR c`).
 */
import type { ConditionWithValueQuery, WhereClause } from '@jetstreamapp/soql-parser-js';
import { toLiteral } from './literals.js';
import type { ConditionSource, StructureRole, Token } from './locate.js';
import { type CompareOp, type Comparison, type ConditionNode, LIST_OPS, type Literal } from './tree.js';

type Item =
  | { kind: StructureRole; token: Token }
  | { kind: 'compare'; condition: ConditionWithValueQuery; offset: number };

interface Link {
  left: ConditionWithValueQuery | { openParen?: number } | null;
  operator?: string;
  right?: WhereClause;
}

export function buildTree(where: WhereClause, src: ConditionSource): ConditionNode {
  const items = interleave(comparisonsOf(where, src), src);
  const reader = new Reader(items, src);
  const tree = reader.expression();
  if (reader.index < items.length) throw new Error('condition tree has unread items');
  return tree;
}

/** The comparisons in text order; also refuses `a = 1 b = 2`, which the parser lets through. */
function comparisonsOf(where: WhereClause, src: ConditionSource): ConditionWithValueQuery[] {
  const found: ConditionWithValueQuery[] = [];
  for (let link: Link | undefined = where as Link; link; link = link.right as Link | undefined) {
    const left = link.left;
    if (left === null || !('operator' in left)) continue;
    found.push(left);
    if (link.right && link.operator !== 'AND' && link.operator !== 'OR') missingOperator(link.right, src);
  }
  return found;
}

function missingOperator(next: WhereClause, src: ConditionSource): never {
  const left = next.left as { field?: string } | null;
  const token = src.tokens.filter((t) => t.text === left?.field).at(-1);
  return src.failAt(
    token,
    `missing AND or OR before "${token?.text ?? ''}"`,
    'Join conditions with AND or OR.',
  );
}

/** Structure tokens from the text, with each run of other tokens replaced by the parser's comparison. */
function interleave(comparisons: ConditionWithValueQuery[], src: ConditionSource): Item[] {
  const items: Item[] = [];
  const roles = src.roles();
  let next = 0;
  src.tokens.forEach((token, i) => {
    const role = roles[i];
    if (role) items.push({ kind: role, token });
    else if (i === 0 || roles[i - 1]) {
      const condition = comparisons[next++];
      if (!condition) throw new Error('more comparisons in the text than the parser found');
      items.push({ kind: 'compare', condition, offset: token.offset });
    }
  });
  if (next !== comparisons.length) throw new Error('the parser found comparisons the text does not show');
  return items;
}

class Reader {
  index = 0;
  constructor(
    private readonly items: Item[],
    private readonly src: ConditionSource,
  ) {}

  expression(): ConditionNode {
    const first = this.operand();
    let joiner: 'AND' | 'OR' | undefined;
    const items = [first];
    for (let next = this.items[this.index]; next?.kind === 'AND' || next?.kind === 'OR'; ) {
      if (joiner && next.kind !== joiner) this.mixed(next.kind, joiner, next.token);
      joiner = next.kind;
      this.index++;
      items.push(this.operand());
      next = this.items[this.index];
    }
    if (!joiner) return first;
    return { kind: joiner === 'AND' ? 'and' : 'or', items };
  }

  private operand(): ConditionNode {
    const item = this.items[this.index++];
    if (item?.kind === 'NOT') {
      // NOT NOT x is x (logic is two-valued); dropping the pair keeps nested NOTs out of the SOQL we write.
      const inner = this.operand();
      return inner.kind === 'not' ? inner.item : { kind: 'not', item: inner };
    }
    if (item?.kind === '(') {
      const inner = this.expression();
      if (this.items[this.index++]?.kind !== ')')
        throw new Error('unbalanced parentheses in parsed condition');
      return inner;
    }
    if (item?.kind === 'compare') return toComparison(item.condition, item.offset, this.src);
    throw new Error(`unexpected ${item?.kind ?? 'end'} in parsed condition`);
  }

  private mixed(found: string, before: string, token: Token): never {
    return this.src.failAt(
      token,
      `"${found}" follows "${before}" without parentheses`,
      'Add parentheses to say which comes first, e.g. (A AND B) OR C, as Salesforce requires.',
    );
  }
}

const ORDERING = new Set(['<', '<=', '>', '>=']);

function toComparison(condition: ConditionWithValueQuery, offset: number, src: ConditionSource): Comparison {
  if ('fn' in condition) {
    const name = condition.fn.functionName ?? 'function';
    return src.fail(
      offset,
      `${name}() is not supported`,
      'Compare the field itself, e.g. CreatedDate >= 2024-01-01T00:00:00Z.',
    );
  }
  if (!('field' in condition)) throw new Error('negation found where a comparison belongs');
  if ('valueQuery' in condition) {
    const hint = "Conditions are also checked on CSV rows, so list the values: Id IN ('001...', '001...').";
    return src.fail(offset, 'a subquery is not supported', hint);
  }
  const op = (condition.operator === ('<>' as string) ? '!=' : condition.operator) as CompareOp;
  const isList = LIST_OPS.has(op);
  if (isList !== Array.isArray(condition.value)) {
    const hint = `Write the values in parentheses, e.g. ${condition.field} ${op} ('DE', 'AT').`;
    return src.fail(offset, `${op} needs a list of values`, hint);
  }
  const raws = ([] as string[]).concat(condition.value);
  // The parser gives one literalType for a list whose values share a type, else one per value.
  const type = condition.literalType;
  const types = Array.isArray(type) ? type : raws.map(() => type);
  const values = raws.map((raw, i) => toLiteral(types[i] ?? '', raw, op === 'LIKE', { src, offset }));
  for (const value of values) checkOperand(op, value, offset, src);
  return { kind: 'compare', field: condition.field, path: condition.field.toLowerCase(), op, values };
}

/** Rejects pairs Salesforce would reject, so the local meaning never has to guess. */
function checkOperand(op: CompareOp, value: Literal, offset: number, src: ConditionSource): void {
  const operator = src.find(op.split(' ').at(-1) ?? op, offset);
  if (op === 'LIKE' && value.type !== 'pattern') {
    src.failAt(operator, 'LIKE needs text in quotes', "Write e.g. Company LIKE 'Acme%'.");
  }
  if ((op === 'INCLUDES' || op === 'EXCLUDES') && value.type !== 'string') {
    src.failAt(operator, `${op} needs text values`, `Write e.g. Interests__c ${op} ('Golf;Tennis').`);
  }
  if (ORDERING.has(op) && (value.type === 'boolean' || value.type === 'null')) {
    const shown = value.type === 'null' ? 'null' : String(value.value).toUpperCase();
    src.failAt(operator, `"${op}" cannot compare with ${shown}`, 'Use = or != with TRUE, FALSE and null.');
  }
}
