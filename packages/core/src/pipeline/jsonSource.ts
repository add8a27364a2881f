import { DiagnosticSink, indexLines } from './diagnosticSink';
import { MAX_NESTING } from './nesting';
import type { SourceEntry, SourceNode } from './sourceNode';
import type { ReadSource } from './yamlSource';

/** Thrown inside the reader only, caught in {@link readJsonSource}: the first syntax error ends JSON parsing. */
class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Parses strict JSON (RFC 8259) into a {@link SourceNode} tree. A syntax
 * error is reported with its exact position and a plain-words message;
 * JSON has no error recovery, so only the first one is reported.
 */
export function readJsonSource(text: string, file: string): ReadSource {
  const sink = new DiagnosticSink(file, indexLines(text));
  try {
    const reader = new JsonReader(text);
    const root = reader.readDocument();
    return { root, sink };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const end = Math.min(text.length, error.offset + 1);
    sink.error({ start: error.offset, end }, 'json-syntax', `JSON syntax error: ${error.message}`);
    return { sink };
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class JsonReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  readDocument(): SourceNode {
    // Editors on Windows may save a byte order mark; it is not part of the JSON.
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('the file is empty; expected a JSON object');
    const root = this.readValue(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after the end of the JSON value');
    return root;
  }

  private fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(at, message);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text.charAt(this.pos)))
      this.pos++;
  }

  private readValue(depth: number): SourceNode {
    if (depth >= MAX_NESTING) this.fail(`values are nested more than ${MAX_NESTING} levels deep`);
    const c = this.text.charAt(this.pos);
    if (c === '{') return this.readObject(depth);
    if (c === '[') return this.readArray(depth);
    if (c === '"') {
      const start = this.pos;
      const value = this.readString();
      return { kind: 'scalar', range: { start, end: this.pos }, value, text: value };
    }
    if (c === '-' || (c >= '0' && c <= '9')) return this.readNumber();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        const start = this.pos;
        this.pos += word.length;
        return { kind: 'scalar', range: { start, end: this.pos }, value, text: String(value) };
      }
    }
    if (this.pos >= this.text.length) this.fail('the file ends where a value was expected');
    this.fail(
      `expected a value (object, array, string, number, true, false or null), found ${describe(c)}`,
    );
  }

  private readObject(depth: number): SourceNode {
    const start = this.pos++;
    const entries: SourceEntry[] = [];
    this.skipSpace();
    if (this.text.charAt(this.pos) === '}') {
      this.pos++;
      return { kind: 'map', range: { start, end: this.pos }, entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charAt(this.pos) !== '"')
        this.fail(`expected a property name in double quotes, found ${this.found()}`);
      const keyStart = this.pos;
      const key = this.readString();
      const keyRange = { start: keyStart, end: this.pos };
      this.skipSpace();
      if (this.text.charAt(this.pos) !== ':')
        this.fail(`expected ':' after the property name, found ${this.found()}`);
      this.pos++;
      this.skipSpace();
      entries.push({ key, keyRange, value: this.readValue(depth + 1) });
      this.skipSpace();
      const next = this.text.charAt(this.pos++);
      if (next === '}') return { kind: 'map', range: { start, end: this.pos }, entries };
      if (next !== ',')
        this.fail(
          `expected ',' or '}' after a property value, found ${describe(next)}`,
          this.pos - 1,
        );
    }
  }

  private readArray(depth: number): SourceNode {
    const start = this.pos++;
    const items: SourceNode[] = [];
    this.skipSpace();
    if (this.text.charAt(this.pos) === ']') {
      this.pos++;
      return { kind: 'seq', range: { start, end: this.pos }, items };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.readValue(depth + 1));
      this.skipSpace();
      const next = this.text.charAt(this.pos++);
      if (next === ']') return { kind: 'seq', range: { start, end: this.pos }, items };
      if (next !== ',')
        this.fail(`expected ',' or ']' after an array item, found ${describe(next)}`, this.pos - 1);
    }
  }

  private readString(): string {
    const start = this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('this string is never closed (missing ")', start);
      const c = this.text.charAt(this.pos++);
      if (c === '"') return out;
      if (c < ' ')
        this.fail(
          'control characters (such as a line break) must be escaped inside strings',
          this.pos - 1,
        );
      if (c !== '\\') {
        out += c;
        continue;
      }
      out += this.readEscape();
    }
  }

  private readEscape(): string {
    const c = this.text.charAt(this.pos++);
    const simple = ESCAPES[c];
    if (simple !== undefined) return simple;
    if (c === 'u') {
      const hex = this.text.slice(this.pos, this.pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex))
        this.fail('\\u must be followed by four hex digits', this.pos - 2);
      this.pos += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    this.fail(`unknown escape sequence \\${c}`, this.pos - 2);
  }

  private readNumber(): SourceNode {
    const start = this.pos;
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(
      this.text.slice(start, start + 400),
    );
    if (match === null) this.fail('malformed number');
    this.pos += match[0].length;
    return {
      kind: 'scalar',
      range: { start, end: this.pos },
      value: Number(match[0]),
      text: match[0],
    };
  }

  private found(): string {
    return describe(this.text.charAt(this.pos));
  }
}

/** A character found where another was expected (never a space: the reader skips those first). */
function describe(c: string): string {
  if (c === '') return 'the end of the file';
  return `'${c}'`;
}
