import { StageOutputProcessor } from '../output/stageOutput';
import type { OutputLine, StageOutputOptions } from '../output/stageOutput';
import type { StageOutputItem, StageOutputParser } from './outputPort';

/** Options of `ProcessorParser`. */
export interface ProcessorParserOptions extends Pick<StageOutputOptions, 'maxLineLength'> {
  /**
   * Whether runs of ordinary lines skip the per-line work (default true);
   * false gives every line as a `text` item, the reference the fast path is tested against.
   */
  readonly plainRuns?: boolean;
}

/**
 * The output module's `StageOutputProcessor` behind the engine's parser port.
 * Log lines keep their line ends: a carriage-return update ends in `\r` (so a
 * terminal showing the log redraws it in place), a line split at the length
 * limit has no end, every other line ends in `\n`. Runs of ordinary lines
 * come as `plain` items, their bytes untouched (see output/plainLines.ts).
 */
export class ProcessorParser implements StageOutputParser {
  private items: StageOutputItem[] = [];
  private readonly processor: StageOutputProcessor;

  constructor(options: ProcessorParserOptions = {}) {
    const plainRuns = options.plainRuns !== false;
    this.processor = new StageOutputProcessor(
      {
        line: (line) => this.items.push({ kind: 'text', text: withEnding(line) }),
        ...(plainRuns && {
          plain: (bytes: Buffer) => this.items.push({ kind: 'plain', bytes }),
        }),
        progress: (progress) => this.items.push({ kind: 'progress', progress }),
        prompt: (prompt) => this.items.push({ kind: 'prompt', prompt }),
        annotation: ({ col, endLine: _endLine, endColumn: _endColumn, ...rest }) =>
          this.items.push({
            kind: 'annotation',
            annotation: col === undefined ? rest : { ...rest, column: col },
          }),
        mask: (value) => this.items.push({ kind: 'mask', value }),
      },
      options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength },
    );
  }

  push(stream: 'stdout' | 'stderr', chunk: Buffer): StageOutputItem[] {
    this.processor.push(chunk, stream);
    return this.take();
  }

  end(): StageOutputItem[] {
    this.processor.flush();
    return this.take();
  }

  partialLine(): string {
    return this.processor.partialLine('stdout');
  }

  addMask(value: string): void {
    this.processor.masker.add(value);
  }

  private take(): StageOutputItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }
}

function withEnding(line: OutputLine): string {
  if (line.continues === true) return line.text;
  return line.kind === 'overwrite' ? `${line.text}\r` : `${line.text}\n`;
}
