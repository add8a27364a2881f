/** What replaces a masked value everywhere. */
export const MASK = '***';

/** Shorter values are not masked: hiding every `ab` would shred the logs (the output module agrees). */
const MIN_SECRET_LENGTH = 3;

/**
 * The secret values of one run (`::add-mask::` values, secret inputs, secret
 * environment variables) and their replacement in text and in structured
 * values. Longer values are replaced first, so a secret that contains another
 * secret is still masked whole.
 */
export class Masker {
  private values: string[] = [];

  /** Adds a value to mask; values shorter than three characters are ignored. */
  add(value: string): void {
    const trimmed = value.trim();
    if (trimmed.length < MIN_SECRET_LENGTH || this.values.includes(trimmed)) {
      return;
    }
    this.values = [...this.values, trimmed].sort((a, b) => b.length - a.length);
  }

  /** Whether anything is masked at all. */
  get isEmpty(): boolean {
    return this.values.length === 0;
  }

  /** The masked values, for handing to an output processor. */
  get secrets(): readonly string[] {
    return this.values;
  }

  /** `text` with every masked value replaced by `***`. */
  maskText(text: string): string {
    let masked = text;
    for (const value of this.values) {
      masked = masked.split(value).join(MASK);
    }
    return masked;
  }

  /**
   * A copy of `value` (plain JSON data) with every masked value replaced in
   * its strings, keys included. Numbers and booleans are left alone, so a
   * secret made of digits cannot corrupt a sequence number or a time stamp.
   */
  maskValue<T>(value: T): T {
    return this.isEmpty ? value : (this.walk(value) as T);
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.maskText(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (typeof value === 'object' && value !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) copy[this.maskText(key)] = this.walk(item);
      }
      return copy;
    }
    return value;
  }
}
