/**
 * The last lines a stage printed, kept raw in a fixed-size ring for hang
 * diagnosis. Recording a line is a store and an index bump; masking and
 * ordering happen only when a diagnosis reads the lines, which is rare.
 */

/** A fixed-size ring of the last non-blank lines; see the module comment. */
export class RecentLines {
  private readonly ring: string[];
  private next = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`recent lines: capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<string>(capacity).fill('');
  }

  /** Records the non-blank lines of `text` (one line or several joined by newlines). */
  record(text: string): void {
    // Only the last `capacity` lines can stay in the ring, so they are looked
    // for from the end: a flood of output costs a few searches per batch, not a string per line.
    const last: string[] = [];
    let end = text.length;
    while (last.length < this.capacity) {
      const start = end === 0 ? -1 : text.lastIndexOf('\n', end - 1);
      const line = text.slice(start + 1, end);
      if (line.trim() !== '') last.push(line);
      if (start < 0) break;
      end = start;
    }
    for (let index = last.length - 1; index >= 0; index -= 1) {
      this.ring[this.next] = last[index] ?? '';
      this.next = (this.next + 1) % this.capacity;
      if (this.count < this.capacity) this.count += 1;
    }
  }

  /** The recorded lines, oldest first, each passed through `mask` (the ring holds them raw). */
  read(mask: (line: string) => string): string[] {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    const lines: string[] = [];
    for (let offset = 0; offset < this.count; offset += 1) {
      lines.push(mask(this.ring[(start + offset) % this.capacity] ?? ''));
    }
    return lines;
  }
}
