/**
 * Hides secrets in text: every registered value is replaced by `***`.
 *
 * Decisions, documented in docs/stage-protocol.md:
 * - Values shorter than `minLength` (3 by default) are refused: masking `1` or
 *   `no` would wreck every log while protecting nothing worth a secret.
 * - A multi-line value is registered whole and line by line (each line
 *   trimmed), because output is masked one line at a time.
 * - When two secrets could match at one place, the longer one wins.
 * All secrets are matched by one regular expression, rebuilt only when a
 * secret is added, so masking a line costs one scan however many secrets there are.
 *
 * A run has one masker, shared by its attempts' output processors and by
 * everything the engine records or tells its listeners (log, events,
 * `run.json`, outputs, notifications), so every place follows these rules.
 */

/** What a mask replaces a secret with. */
export const MASK = '***';

/** Default shortest value that is masked. */
export const DEFAULT_MIN_SECRET_LENGTH = 3;

/** Result of masking the head of an unfinished piece of text. */
export interface StreamingMask {
  /** The masked text that is safe to show now. */
  readonly masked: string;
  /** The unmasked tail that might be the start of a secret: prepend it to the next piece. */
  readonly rest: string;
}

/** A set of secrets and the means to hide them. */
export class Masker {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;
  private longest = 0;

  constructor(private readonly minLength = DEFAULT_MIN_SECRET_LENGTH) {}

  /**
   * Registers a secret (and each line of a multi-line one). Returns whether the
   * value is masked from now on: false when it (and each of its lines) is too short.
   */
  add(secret: string): boolean {
    const candidates = [secret, ...secret.split(/\r?\n/).map((line) => line.trim())];
    let added = false;
    for (const candidate of candidates) {
      if (candidate.length < this.minLength || this.secrets.has(candidate)) continue;
      this.secrets.add(candidate);
      this.longest = Math.max(this.longest, candidate.length);
      added = true;
    }
    if (added) this.pattern = undefined;
    return added || this.isKnown(secret);
  }

  /** Whether nothing is masked at all. */
  get isEmpty(): boolean {
    return this.secrets.size === 0;
  }

  /** How many values are masked (lines of a multi-line secret count separately). */
  get size(): number {
    return this.secrets.size;
  }

  /** The masked values (they only ever grow, so `size` tells when they changed). */
  values(): IterableIterator<string> {
    return this.secrets.values();
  }

  /** Returns `text` with every secret replaced by `***`. */
  mask(text: string): string {
    if (this.secrets.size === 0 || text.length < this.minLength) return text;
    return text.replace(this.regex(), MASK);
  }

  /**
   * A copy of `value` (plain JSON data) with every secret replaced in its
   * strings, keys included. Numbers and booleans are left alone, so a secret
   * made of digits cannot corrupt a sequence number or a time stamp.
   */
  maskValue<T>(value: T): T {
    return this.isEmpty ? value : (this.walk(value) as T);
  }

  /**
   * Masks the part of an unfinished text that can be decided now. A secret may
   * continue past the end of `text`, so the last (longest secret − 1)
   * characters are held back unless a secret that starts before them is
   * complete; they come back as `rest`.
   */
  maskStreaming(text: string): StreamingMask {
    if (this.secrets.size === 0) return { masked: text, rest: '' };
    const cut = text.length - (this.longest - 1);
    if (cut <= 0) return { masked: '', rest: text };
    let masked = '';
    let last = 0;
    for (const match of text.matchAll(this.regex())) {
      // Every secret starting before `cut` fits inside `text`, so its match is final.
      if (match.index >= cut) break;
      masked += text.slice(last, match.index) + MASK;
      last = match.index + match[0].length;
    }
    let safeEnd = Math.max(cut, last);
    // Never between the halves of a surrogate pair: each would be written as U+FFFD.
    if (safeEnd > last && isHighSurrogate(text.charCodeAt(safeEnd - 1))) safeEnd -= 1;
    return { masked: masked + text.slice(last, safeEnd), rest: text.slice(safeEnd) };
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (typeof value === 'object' && value !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) copy[this.mask(key)] = this.walk(item);
      }
      return copy;
    }
    return value;
  }

  private isKnown(secret: string): boolean {
    return this.secrets.has(secret);
  }

  private regex(): RegExp {
    if (!this.pattern) {
      // Longest first: the regex takes the first alternative that matches at a position.
      const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    }
    return this.pattern;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
