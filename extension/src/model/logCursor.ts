const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What to do with a chunk of a stage attempt's log. */
export type ChunkVerdict =
  /** Show this text (the part of the chunk not shown before). */
  | { readonly kind: 'show'; readonly text: string }
  /** Everything in the chunk was shown already. */
  | { readonly kind: 'seen' }
  /** The chunk starts after what was shown: the bytes from `from` to `to` are missing. */
  | { readonly kind: 'gap'; readonly from: number; readonly to: number };

/**
 * Tracks, per stage attempt, how many bytes of its log were shown, so that
 * live chunks (`baton/didAppendLog`) and slices read with `baton/getLog`
 * overlap without showing anything twice or leaving holes.
 */
export class LogCursor {
  private readonly shown = new Map<string, number>();

  /** Bytes of `stage`'s `attempt` shown so far. */
  position(stage: string, attempt: number): number {
    return this.shown.get(key(stage, attempt)) ?? 0;
  }

  /** Decides what to show of a chunk that starts at byte `offset`, and records it as shown. */
  accept(stage: string, attempt: number, offset: number, text: string): ChunkVerdict {
    const at = this.position(stage, attempt);
    if (offset > at) return { kind: 'gap', from: at, to: offset };
    const bytes = encoder.encode(text);
    const end = offset + bytes.length;
    if (end <= at) return { kind: 'seen' };
    this.shown.set(key(stage, attempt), end);
    return {
      kind: 'show',
      text: offset === at ? text : decoder.decode(bytes.subarray(at - offset)),
    };
  }

  /** Records everything before byte `offset` as dealt with (a gap left unread); never moves back. */
  skipTo(stage: string, attempt: number, offset: number): void {
    if (offset > this.position(stage, attempt)) this.shown.set(key(stage, attempt), offset);
  }
}

function key(stage: string, attempt: number): string {
  return `${attempt}\u0000${stage}`;
}
