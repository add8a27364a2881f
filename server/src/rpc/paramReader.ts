import type { AnswerValue } from '@baton/protocol';
import { invalidParams } from './rpcErrors';

/** Run, stage and prompt ids: safe as file names, so no path traversal can come through them. */
const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/**
 * A unit of a fanned-out stage, `<stage>[<item>]`: the item as the core
 * escapes it (`escapeItem`: no `/`, `\`, `:`, brackets or control characters),
 * so the id is still one file name.
 */
// eslint-disable-next-line no-control-regex
const UNIT_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\[[^/\\:[\]\u0000-\u001f\u007f]*\]$/;
/** Longest file path or free text accepted from a client. */
const MAX_TEXT = 4096;

/** Integer bounds for `int`. */
export interface IntBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Reads typed fields out of untrusted params, throwing `-32602` with the
 * field's dotted path and what was expected. Unknown fields are ignored so
 * older servers accept newer clients.
 */
export class ParamReader {
  private constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    private readonly path: string,
  ) {}

  /**
   * Params must be an object; `null`/absent counts as `{}` when `optional`.
   * `path` prefixes field names in errors, for nested objects.
   */
  static of(params: unknown, optional = false, path = ''): ParamReader {
    if ((params === undefined || params === null) && optional) return new ParamReader({}, path);
    if (!isPlainObject(params))
      throw invalidParams(path, `expected an object, got ${describe(params)}`);
    return new ParamReader(params, path);
  }

  /** An optional array of stage ids. */
  optionalIds(name: string): string[] | undefined {
    const value = this.value[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.wrong(name, 'an array', value);
    const nested = ParamReader.of({ ...value }, false, this.at(name));
    return value.map((_, index) => nested.id(String(index)));
  }

  /** An optional object field, read with a reader of its own (errors name `name.field`). */
  optionalObject(name: string): ParamReader | undefined {
    const value = this.value[name];
    return value === undefined ? undefined : ParamReader.of(value, false, this.at(name));
  }

  /** `true`/`false`, or an array of stage ids. */
  optionalForce(name: string): boolean | string[] | undefined {
    const value = this.value[name];
    return typeof value === 'boolean' ? value : this.optionalIds(name);
  }

  /** A required string field. */
  string(name: string): string {
    const value = this.value[name];
    if (typeof value !== 'string') throw this.wrong(name, 'a string', value);
    if (value.length === 0) throw invalidParams(this.at(name), 'must not be empty');
    if (value.length > MAX_TEXT || value.includes('\0')) {
      throw invalidParams(this.at(name), `must be at most ${MAX_TEXT} characters, without NUL`);
    }
    return value;
  }

  /** An optional string field. */
  optionalString(name: string): string | undefined {
    return this.value[name] === undefined ? undefined : this.string(name);
  }

  /** A required id (run, stage, prompt): letters, digits, `.`, `_`, `-`; no path separators. */
  id(name: string): string {
    const value = this.string(name);
    if (!ID_PATTERN.test(value) || value.includes('..')) {
      throw invalidParams(
        this.at(name),
        'must be an id of letters, digits, ".", "_" or "-" (at most 128)',
      );
    }
    return value;
  }

  /** A stage id: a plain id, or a unit `<stage>[<item>]` of a fanned-out stage (at most 128). */
  stageId(name: string): string {
    const value = this.string(name);
    if (value.length <= 128 && UNIT_PATTERN.test(value) && !value.startsWith('..')) return value;
    if (!ID_PATTERN.test(value) || value.includes('..')) {
      throw invalidParams(
        this.at(name),
        'must be a stage id of letters, digits, ".", "_" or "-", or a unit <stage>[<item>] (at most 128)',
      );
    }
    return value;
  }

  /** An optional boolean field. */
  optionalBoolean(name: string): boolean | undefined {
    const value = this.value[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.wrong(name, 'a boolean', value);
    return value;
  }

  /** A required integer within bounds. */
  int(name: string, bounds: IntBounds): number {
    const value = this.value[name];
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw this.wrong(name, 'an integer', value);
    if (value < bounds.min || value > bounds.max) {
      throw invalidParams(
        this.at(name),
        `must be between ${bounds.min} and ${bounds.max}, got ${value}`,
      );
    }
    return value;
  }

  /** An optional integer within bounds. */
  optionalInt(name: string, bounds: IntBounds): number | undefined {
    return this.value[name] === undefined ? undefined : this.int(name, bounds);
  }

  /** An optional array of values from `allowed`. */
  optionalEnumArray<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    const value = this.value[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.wrong(name, 'an array', value);
    return value.map((item: unknown, index) => {
      if (typeof item !== 'string' || !(allowed as readonly string[]).includes(item)) {
        throw invalidParams(`${this.at(name)}.${index}`, `must be one of ${allowed.join(', ')}`);
      }
      return item as T;
    });
  }

  /** A required prompt answer: a string, a finite number, a boolean or an array of strings. */
  answer(name: string): AnswerValue {
    const value = this.value[name];
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      return value as string[];
    }
    throw this.wrong(name, 'a string, number, boolean or array of strings', value);
  }

  /** An optional object mapping ids to answers (pipeline inputs). */
  optionalAnswers(name: string): Record<string, AnswerValue> | undefined {
    const value = this.value[name];
    if (value === undefined) return undefined;
    if (!isPlainObject(value)) throw this.wrong(name, 'an object', value);
    const nested = ParamReader.of(value, false, this.at(name));
    const answers: Record<string, AnswerValue> = {};
    for (const key of Object.keys(value)) answers[key] = nested.answer(key);
    return answers;
  }

  /** An optional object mapping names to strings (run secrets); an error never quotes a value. */
  optionalStringMap(name: string): Record<string, string> | undefined {
    const value = this.value[name];
    if (value === undefined) return undefined;
    if (!isPlainObject(value)) throw this.wrong(name, 'an object', value);
    const nested = ParamReader.of(value, false, this.at(name));
    const strings: Record<string, string> = {};
    for (const key of Object.keys(value)) strings[key] = nested.string(key);
    return strings;
  }

  private at(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  private wrong(name: string, expected: string, got: unknown): Error {
    const reason =
      got === undefined
        ? `is required (${expected})`
        : `expected ${expected}, got ${describe(got)}`;
    return invalidParams(this.at(name), reason);
  }
}

/** True for `{…}` (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names a value's JSON type for an error message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
