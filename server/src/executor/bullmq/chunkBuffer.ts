/**
 * Holds chunks until their reader registers, then hands each over as it
 * comes: the same promise `StageProcess.onStdout` makes, for an attempt whose
 * output arrives from Redis instead of a pipe (bytes, or a watched file's text).
 */
export class ChunkBuffer<T = Buffer> {
  private reader: ((chunk: T) => void) | undefined;
  private held: T[] = [];

  /** Registers the reader; chunks held so far are delivered to it at once. */
  onChunk(reader: (chunk: T) => void): void {
    this.reader = reader;
    const held = this.held;
    this.held = [];
    for (const chunk of held) reader(chunk);
  }

  push(chunk: T): void {
    if (this.reader) this.reader(chunk);
    else this.held.push(chunk);
  }
}
