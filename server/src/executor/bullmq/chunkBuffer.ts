/**
 * Holds chunks until their reader registers, then hands each over as it
 * comes: the same promise `StageProcess.onStdout` makes, for an attempt whose
 * output arrives from Redis instead of a pipe.
 */
export class ChunkBuffer {
  private reader: ((chunk: Buffer) => void) | undefined;
  private held: Buffer[] = [];

  /** Registers the reader; chunks held so far are delivered to it at once. */
  onChunk(reader: (chunk: Buffer) => void): void {
    this.reader = reader;
    const held = this.held;
    this.held = [];
    for (const chunk of held) reader(chunk);
  }

  push(chunk: Buffer): void {
    if (this.reader) this.reader(chunk);
    else this.held.push(chunk);
  }
}
