/**
 * The syntax of a stage's `if:` condition: a small expression language read
 * by a hand-written recursive-descent parser (never `eval`). Precedence,
 * loosest first: `||`, `&&`, `==`/`!=`, `<`/`>`/`<=`/`>=`, `!`, then
 * literals, names (`inputs.x`, `stages.s.outputs.o`, `matrix.k`, `item`),
 * function calls and parentheses. Every node keeps the offset of its text,
 * so validation can point at the exact spot.
 */

/** A literal value a condition can hold or compute. */
export type ConditionLiteral = string | number | boolean | null;

/** One node of a parsed condition; `offset`/`length` cover its text in the condition. */
export type ConditionNode =
  | { kind: 'literal'; value: ConditionLiteral; offset: number; length: number }
  | { kind: 'name'; path: readonly string[]; offset: number; length: number }
  | { kind: 'not'; operand: ConditionNode; offset: number; length: number }
  | {
      kind: 'binary';
      operator: BinaryOperator;
      left: ConditionNode;
      right: ConditionNode;
      offset: number;
      length: number;
    }
  | { kind: 'call'; name: string; args: readonly ConditionNode[]; offset: number; length: number };

/** The binary operators, loosest first within each precedence level. */
export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=';

/** A syntax error at `offset` (0-based, in the condition text). */
export interface ConditionError {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

/** What {@link parseCondition} returns: the tree, or the first syntax error. */
export type ConditionParse =
  | { readonly ok: true; readonly node: ConditionNode }
  | { readonly ok: false; readonly error: ConditionError };

interface Token {
  readonly kind: 'number' | 'string' | 'word' | 'punct' | 'end';
  readonly text: string;
  readonly value?: ConditionLiteral;
  readonly offset: number;
}

const PUNCTUATION = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', ',', '.'];

class SyntaxFailure extends Error {
  constructor(readonly detail: ConditionError) {
    super(detail.message);
  }
}

function fail(offset: number, length: number, message: string): never {
  throw new SyntaxFailure({ offset, length: Math.max(length, 1), message });
}

function readString(text: string, start: number): Token {
  const quote = text.charAt(start);
  let value = '';
  for (let at = start + 1; at < text.length; at++) {
    const c = text.charAt(at);
    // A doubled quote is the quote itself, as in YAML and GitHub expressions.
    if (c === quote && text.charAt(at + 1) === quote) {
      value += c;
      at++;
    } else if (c === quote) {
      return { kind: 'string', text: text.slice(start, at + 1), value, offset: start };
    } else {
      value += c;
    }
  }
  return fail(start, text.length - start, 'this string is never closed');
}

/** Splits a condition into tokens; throws a positioned failure on a character it cannot read. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    const number = /^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    const punct = PUNCTUATION.find((p) => rest.startsWith(p));
    if (space !== null) {
      at += space[0].length;
      continue;
    }
    let token: Token;
    if (rest.startsWith("'") || rest.startsWith('"')) token = readString(text, at);
    else if (number !== null) {
      token = { kind: 'number', text: number[0], value: Number(number[0]), offset: at };
    } else if (word !== null) token = { kind: 'word', text: word[0], offset: at };
    else if (punct !== undefined) token = { kind: 'punct', text: punct, offset: at };
    else if (rest.startsWith('='))
      return fail(at, 1, 'write "==" to compare; "=" alone is not an operator');
    else if (rest.startsWith('&') || rest.startsWith('|')) {
      return fail(
        at,
        1,
        `write "${rest.charAt(0).repeat(2)}"; a single "${rest.charAt(0)}" is not an operator`,
      );
    } else return fail(at, 1, `unexpected character "${rest.charAt(0)}"`);
    tokens.push(token);
    at += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}

/** A recursive-descent parser over the tokens, one method per precedence level. */
class Parser {
  private at = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseWhole(): ConditionNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') fail(next.offset, next.text.length, `unexpected "${next.text}"`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at] ?? { kind: 'end', text: '', offset: 0 };
  }

  private take(): Token {
    const token = this.peek();
    this.at += 1;
    return token;
  }

  private accept(text: string): Token | undefined {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) return undefined;
    return this.take();
  }

  private binaryLevel(
    operators: readonly BinaryOperator[],
    next: () => ConditionNode,
  ): ConditionNode {
    let left = next();
    for (;;) {
      const token = this.peek();
      const operator = operators.find((o) => token.kind === 'punct' && token.text === o);
      if (operator === undefined) return left;
      this.take();
      const right = next();
      const end = right.offset + right.length;
      left = {
        kind: 'binary',
        operator,
        left,
        right,
        offset: left.offset,
        length: end - left.offset,
      };
    }
  }

  private parseOr(): ConditionNode {
    return this.binaryLevel(['||'], () => this.parseAnd());
  }

  private parseAnd(): ConditionNode {
    return this.binaryLevel(['&&'], () => this.parseEquality());
  }

  private parseEquality(): ConditionNode {
    return this.binaryLevel(['==', '!='], () => this.parseComparison());
  }

  private parseComparison(): ConditionNode {
    return this.binaryLevel(['<=', '>=', '<', '>'], () => this.parseUnary());
  }

  private parseUnary(): ConditionNode {
    const bang = this.accept('!');
    if (bang === undefined) return this.parsePrimary();
    const operand = this.parseUnary();
    const end = operand.offset + operand.length;
    return { kind: 'not', operand, offset: bang.offset, length: end - bang.offset };
  }

  private parsePrimary(): ConditionNode {
    const token = this.take();
    const { offset } = token;
    if (token.kind === 'number' || token.kind === 'string') {
      return { kind: 'literal', value: token.value ?? null, offset, length: token.text.length };
    }
    if (token.kind === 'punct' && token.text === '(') {
      const inner = this.parseOr();
      const close = this.accept(')');
      if (close === undefined) fail(offset, 1, 'this "(" is never closed with ")"');
      return { ...inner, offset, length: close.offset + 1 - offset };
    }
    if (token.kind === 'word') return this.parseWord(token);
    if (token.kind === 'end')
      return fail(offset, 1, 'the condition ends where a value was expected');
    return fail(offset, token.text.length, `expected a value, found "${token.text}"`);
  }

  private parseWord(token: Token): ConditionNode {
    const { offset, text } = token;
    const literals: Record<string, ConditionLiteral> = { true: true, false: false, null: null };
    if (Object.hasOwn(literals, text)) {
      return { kind: 'literal', value: literals[text] ?? null, offset, length: text.length };
    }
    if (this.accept('(') !== undefined) return this.parseCall(token);
    const path = [text];
    let end = offset + text.length;
    while (this.accept('.') !== undefined) {
      const part = this.take();
      if (part.kind !== 'word') fail(part.offset, part.text.length, `expected a name after "."`);
      path.push(part.text);
      end = part.offset + part.text.length;
    }
    return { kind: 'name', path, offset, length: end - offset };
  }

  private parseCall(name: Token): ConditionNode {
    const args: ConditionNode[] = [];
    let close = this.accept(')');
    while (close === undefined) {
      args.push(this.parseOr());
      close = this.accept(')');
      if (close === undefined && this.accept(',') === undefined) {
        const next = this.peek();
        fail(next.offset, next.text.length, `expected "," or ")" in the call of ${name.text}()`);
      }
    }
    const length = close.offset + 1 - name.offset;
    return { kind: 'call', name: name.text, args, offset: name.offset, length };
  }
}

/**
 * The condition's text without a `${{ … }}` around it (GitHub-style
 * `if: ${{ failure() }}` is accepted), and where that text starts.
 */
export function unwrapCondition(text: string): { text: string; offset: number } {
  const match = /^(\s*\$\{\{)([\s\S]*)\}\}\s*$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return { text, offset: 0 };
  return { text: match[2], offset: match[1].length };
}

/** Parses a condition (with or without `${{ … }}` around it). Offsets are in `text`. */
export function parseCondition(text: string): ConditionParse {
  const inner = unwrapCondition(text);
  let tokens: Token[];
  try {
    tokens = tokenize(inner.text).map((t) => ({ ...t, offset: t.offset + inner.offset }));
  } catch (error) {
    if (!(error instanceof SyntaxFailure)) throw error;
    return { ok: false, error: { ...error.detail, offset: error.detail.offset + inner.offset } };
  }
  if (tokens.length === 1) {
    const error = {
      offset: 0,
      length: Math.max(text.length, 1),
      message: 'the condition is empty',
    };
    return { ok: false, error };
  }
  try {
    return { ok: true, node: new Parser(tokens).parseWhole() };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.detail };
    throw error;
  }
}
