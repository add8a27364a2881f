import type { PromptState } from '@baton/core';
import type { AskOutcome } from './promptAsker';

/** Asks one prompt; resolves when answered, aborted or interrupted. */
export type Asker = (prompt: PromptState, signal: AbortSignal) => Promise<AskOutcome>;

/**
 * Asks open prompts in the terminal one at a time, in the order they opened.
 * A prompt closed elsewhere (answered with `baton answer`, timed out) is
 * dropped from the queue, or its question aborted if it is being asked.
 */
export class PromptQueue {
  private readonly waiting: PromptState[] = [];
  private current: { prompt: PromptState; abort: AbortController } | undefined;

  constructor(
    private readonly ask: Asker,
    private readonly hooks: {
      readonly before: () => void;
      readonly after: () => void;
      readonly answered: (prompt: PromptState, outcome: AskOutcome) => Promise<void>;
    },
  ) {}

  /** Queues a prompt that opened. */
  opened(prompt: PromptState): void {
    if (this.current?.prompt.id === prompt.id || this.waiting.some((p) => p.id === prompt.id))
      return;
    this.waiting.push(prompt);
    if (!this.current) void this.next();
  }

  /** Forgets a prompt that closed. */
  closed(promptId: string): void {
    const index = this.waiting.findIndex((p) => p.id === promptId);
    if (index >= 0) this.waiting.splice(index, 1);
    if (this.current?.prompt.id === promptId) this.current.abort.abort();
  }

  /** Aborts everything (the run is over). */
  clear(): void {
    this.waiting.length = 0;
    this.current?.abort.abort();
  }

  private async next(): Promise<void> {
    const prompt = this.waiting.shift();
    if (!prompt) return;
    const abort = new AbortController();
    this.current = { prompt, abort };
    this.hooks.before();
    let outcome: AskOutcome;
    try {
      outcome = await this.ask(prompt, abort.signal);
    } catch {
      outcome = { kind: 'aborted' };
    }
    this.current = undefined;
    this.hooks.after();
    await this.hooks.answered(prompt, outcome);
    await this.next();
  }
}
