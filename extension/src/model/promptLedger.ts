import type { PromptInfo } from '@baton/protocol';

interface Entry {
  readonly seq: number;
  /** The prompt when the newest record opened it; undefined when it closed it. */
  readonly open: PromptInfo | undefined;
}

function key(runId: string, promptId: string): string {
  return `${runId}\u0000${promptId}`;
}

/**
 * Remembers, per prompt, the newest open or close the client saw and its
 * sequence number. Prompts are then judged one by one instead of by their
 * run's newest change: a snapshot taken while a prompt was opening may claim
 * a sequence number past the prompt yet not list it, and the prompt must not
 * be lost for that. A prompt id may open again (a retried stage asks again),
 * so an older close never hides a newer open.
 */
export class PromptLedger {
  private readonly entries = new Map<string, Entry>();

  /** Records an open; false when a newer record of the same prompt exists. */
  recordOpen(prompt: PromptInfo, seq: number): boolean {
    return this.record(key(prompt.runId, prompt.promptId), { seq, open: prompt });
  }

  /** Records a close; false when a newer record of the same prompt exists. */
  recordClose(runId: string, promptId: string, seq: number): boolean {
    return this.record(key(runId, promptId), { seq, open: undefined });
  }

  /**
   * A run's open prompts: `base` (a snapshot's list, current to `since`)
   * corrected by every record at or after `since`.
   */
  reconcile(runId: string, base: readonly PromptInfo[], since: number): PromptInfo[] {
    const result = new Map(base.map((p) => [p.promptId, p]));
    for (const [k, entry] of this.entries) {
      if (entry.seq < since || !k.startsWith(`${runId}\u0000`)) continue;
      const promptId = k.slice(runId.length + 1);
      if (entry.open) result.set(promptId, entry.open);
      else result.delete(promptId);
    }
    return [...result.values()].sort((a, b) => a.openedAt - b.openedAt);
  }

  /** The prompts of a run whose newest record opened them. */
  openOf(runId: string): PromptInfo[] {
    return this.reconcile(runId, [], 0);
  }

  /** Forgets every record, e.g. when the server's numbering started over. */
  clear(): void {
    this.entries.clear();
  }

  private record(k: string, entry: Entry): boolean {
    const known = this.entries.get(k);
    if (known && known.seq > entry.seq) return false;
    this.entries.set(k, entry);
    return true;
  }
}
