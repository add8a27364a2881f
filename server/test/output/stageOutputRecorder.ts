/** Records everything a `StageOutputProcessor` reports, for tests. */
import type { Progress } from '@baton/core';
import { StageOutputProcessor } from '../../src/output/stageOutput';
import type {
  GroupEvent,
  OutputLine,
  OutputStream,
  StageOutputOptions,
  StagePrompt,
} from '../../src/output/stageOutput';
import type { Annotation } from '../../src/output/stageCommand';

/** A processor plus the lists of what it reported. */
export class StageOutputRecorder {
  readonly lines: OutputLine[] = [];
  readonly progress: Progress[] = [];
  readonly prompts: StagePrompt[] = [];
  readonly annotations: Annotation[] = [];
  readonly groups: GroupEvent[] = [];
  readonly masks: string[] = [];
  readonly processor: StageOutputProcessor;

  constructor(options: StageOutputOptions = {}) {
    this.processor = new StageOutputProcessor(
      {
        line: (line) => this.lines.push(line),
        progress: (progress) => this.progress.push(progress),
        prompt: (prompt) => this.prompts.push(prompt),
        annotation: (annotation) => this.annotations.push(annotation),
        group: (event) => this.groups.push(event),
        mask: (value) => this.masks.push(value),
      },
      options,
    );
  }

  /** Pushes text (or raw bytes) to a stream. */
  push(data: string | Buffer, stream: OutputStream = 'stdout'): this {
    this.processor.push(typeof data === 'string' ? Buffer.from(data) : data, stream);
    return this;
  }

  /** The text of every line, in order. */
  texts(): string[] {
    return this.lines.map((line) => line.text);
  }

  /**
   * Everything reported for people to see, as one string: what must never
   * contain a secret. A prompt's options and default are left out: they are
   * what the stage gets back as its answer, so they stay real (whoever shows
   * or stores the prompt masks them; its log line is in `lines`).
   */
  everything(): string {
    const prompts = this.prompts.map((prompt) => prompt.message);
    return JSON.stringify([this.lines, this.progress, prompts, this.annotations, this.groups]);
  }
}
