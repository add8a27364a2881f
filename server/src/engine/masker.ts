/** What replaces a masked value everywhere. */
export const MASK = '***';

/**
 * The secret values of one run (`::add-mask::` values, secret inputs, secret
 * environment variables) and the replacement of each in text and in
 * serialised JSON. Longer values are replaced first, so a secret that contains
 * another secret is still masked whole.
 */
export class Masker {
  private values: string[] = [];

  /** Adds a value to mask; empty and one-character values are ignored (masking them would shred every line). */
  add(value: string): void {
    const trimmed = value.trim();
    if (trimmed.length < 2 || this.values.includes(trimmed)) {
      return;
    }
    this.values = [...this.values, trimmed].sort((a, b) => b.length - a.length);
  }

  /** Whether anything is masked at all. */
  get isEmpty(): boolean {
    return this.values.length === 0;
  }

  /** A copy of the masked values, for handing to an output processor. */
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
   * A JSON text with every masked value replaced, matching the value as it
   * appears escaped inside a JSON string (quotes, backslashes, newlines), so
   * the result is still valid JSON.
   */
  maskJson(json: string): string {
    let masked = json;
    for (const value of this.values) {
      const escaped = JSON.stringify(value).slice(1, -1);
      masked = masked.split(escaped).join(MASK);
    }
    return masked;
  }

  /** A deep copy of `value` with every masked string value replaced. */
  maskValue<T>(value: T): T {
    if (this.isEmpty) {
      return value;
    }
    return JSON.parse(this.maskJson(JSON.stringify(value))) as T;
  }
}
