import type * as Core from '@baton/core';
import type * as P from '@baton/protocol';
import type { FeedJournal } from './feedJournal';
import { toPromptInfo, toRunSummary, toStageSnapshot, toWireDiagnosis } from './wire';

/** Events kept in memory for `baton/getEvents` (older ones are dropped, oldest first). */
export const DEFAULT_FEED_CAPACITY = 10_000;

/** Where the feed sends its notifications. */
export type FeedNotify = <M extends P.ServerNotificationMethod>(
  method: M,
  params: P.ServerNotifications[M],
) => unknown;

/** An event before it gets its sequence number. */
type NewEvent = P.BatonEvent extends infer E
  ? E extends P.BatonEvent
    ? Omit<E, 'seq'>
    : never
  : never;

/**
 * The server's event feed: one global sequence number across every run it
 * observes, a ring buffer of recent events for `baton/getEvents`, and the
 * notifications that carry them. Run changes are turned into events by
 * comparing each new state with the previous one of that run. Events that
 * leave the ring go to the journal on disk, so `getEvents` can still return
 * them: a client that reconnects misses nothing this server sent.
 */
export class EventFeed {
  private seq = 0;
  private readonly events: P.BatonEvent[] = [];
  private readonly lastStates = new Map<string, Core.RunState>();
  private readonly closedPrompts = new Set<string>();

  constructor(
    private readonly notify: FeedNotify,
    private readonly isLocal: (runId: string) => boolean,
    private readonly capacity = DEFAULT_FEED_CAPACITY,
    private readonly journal?: FeedJournal,
  ) {}

  /** The newest sequence number assigned. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Records a run state (new or changed) and tells the client what changed.
   * With `derivePrompts` (runs of other processes, whose prompt events this
   * server does not see) prompts are opened and closed from the state too.
   */
  observeRun(state: Core.RunState, time: number, derivePrompts = false): void {
    const before = this.lastStates.get(state.runId);
    this.lastStates.set(state.runId, state);
    const runId = state.runId;
    if (derivePrompts) this.diffPrompts(before, state, time);
    if (before === undefined) {
      const { id: pipeline, file, name: pipelineName } = state.pipeline;
      this.append({ kind: 'runCreated', runId, time, pipeline, file, pipelineName });
    }
    // Stage changes first: a stage succeeds, then the run it completes does.
    const changed = this.changedStages(before, state, time);
    if (before?.status !== state.status) {
      this.append(
        withReason({ kind: 'runStatusChanged', runId, time, status: state.status }, state.reason),
      );
    }
    void this.notify('baton/didChangeRun', {
      seq: this.seq,
      run: toRunSummary(state, this.isLocal(runId)),
      stages: changed.flatMap((id) => toStageSnapshot(state, id) ?? []),
    });
  }

  /** The last state seen of a run. */
  runState(runId: string): Core.RunState | undefined {
    return this.lastStates.get(runId);
  }

  /** A prompt opened. */
  promptOpened(runId: string, prompt: Core.PromptState, time: number): void {
    const info = toPromptInfo(runId, prompt);
    const seq = this.append({ kind: 'promptOpened', runId, time, prompt: info });
    void this.notify('baton/didOpenPrompt', { ...info, seq });
  }

  /** A prompt closed. The answer of a secret prompt (as far as the last state tells) is left out. */
  promptClosed(
    runId: string,
    promptId: string,
    by: string,
    answer: Core.AnswerValue | undefined,
    time: number,
  ): void {
    this.closedPrompts.add(`${runId}\n${promptId}`);
    const secret = this.lastStates.get(runId)?.prompts[promptId]?.secret === true;
    const base = { runId, promptId, by };
    const withAnswer = answer === undefined || secret ? base : { ...base, answer };
    const seq = this.append({ kind: 'promptClosed', time, ...withAnswer });
    void this.notify('baton/didClosePrompt', { seq, ...withAnswer });
  }

  /** Whether a prompt of a run was seen closing. */
  wasClosed(runId: string, promptId: string): boolean {
    return this.closedPrompts.has(`${runId}\n${promptId}`);
  }

  /** A stage printed an annotation. */
  annotated(
    runId: string,
    stage: string,
    attempt: number,
    annotation: P.WireAnnotation,
    time: number,
  ): void {
    const seq = this.append({ kind: 'annotation', runId, time, stage, attempt, annotation });
    void this.notify('baton/didAnnotate', { seq, runId, stage, attempt, annotation });
  }

  /**
   * Events after `afterSeq`, oldest first (see `GetEventsResult`): from the
   * journal for those that left the ring, then from the ring.
   */
  async getEvents(params: P.GetEventsParams): Promise<P.GetEventsResult> {
    const limit = params.limit ?? 1000;
    const found: P.BatonEvent[] = [];
    let after = params.afterSeq;
    const complete = this.journal !== undefined && (await this.journal.isComplete());
    // The ring may move on while the journal is read: read on until the two meet.
    while (this.journal !== undefined && complete && after + 1 < this.ringFirstSeq()) {
      const slice = await this.journal.read(after, limit - found.length, params.runId);
      found.push(...slice.events);
      if (slice.full) {
        const firstSeq = this.journal.firstSeq ?? 1;
        return { events: found, lastSeq: this.seq, hasMore: true, firstSeq };
      }
      if (slice.scannedTo <= after) break;
      after = slice.scannedTo;
    }
    const ring = this.ringEvents(after, limit - found.length, params.runId);
    found.push(...ring.events);
    const firstSeq = complete
      ? Math.min(this.journal?.firstSeq ?? Infinity, this.ringFirstSeq())
      : this.ringFirstSeq();
    return { events: found, lastSeq: this.seq, hasMore: ring.hasMore, firstSeq };
  }

  /** Stops writing the journal and deletes it. */
  async dispose(): Promise<void> {
    await this.journal?.dispose();
  }

  /** The latest `count` events of a run, oldest first. */
  recent(runId: string, count: number): P.BatonEvent[] {
    const found: P.BatonEvent[] = [];
    for (let i = this.events.length - 1; i >= 0 && found.length < count; i--) {
      const event = this.events[i];
      if (event?.runId === runId) found.push(event);
    }
    return found.reverse();
  }

  private diffPrompts(before: Core.RunState | undefined, state: Core.RunState, time: number): void {
    for (const prompt of Object.values(state.prompts)) {
      if (before?.prompts[prompt.id] === undefined) this.promptOpened(state.runId, prompt, time);
    }
    for (const prompt of Object.values(before?.prompts ?? {})) {
      if (state.prompts[prompt.id] !== undefined) continue;
      const answer = prompt.secret === true ? undefined : answerOf(state, prompt);
      this.promptClosed(state.runId, prompt.id, 'another process', answer, time);
    }
  }

  private changedStages(
    before: Core.RunState | undefined,
    state: Core.RunState,
    time: number,
  ): string[] {
    const changed: string[] = [];
    for (const stage of Object.values(state.stages)) {
      const old = before?.stages[stage.id];
      if (old === stage) continue;
      changed.push(stage.id);
      const base = { runId: state.runId, time, stage: stage.id, attempt: stage.attempt };
      if (old?.status !== stage.status || old.attempt !== stage.attempt) {
        const event = { kind: 'stageStatusChanged' as const, ...base, status: stage.status };
        this.append(withStageDetails(event, stage));
      } else if (stage.progress !== undefined && old.progress !== stage.progress) {
        this.append({ kind: 'stageProgress', ...base, progress: stage.progress });
      }
      // Diagnoses come from the run's event log, so runs of other processes have them too.
      if (stage.lastDiagnosis !== undefined && old?.lastDiagnosis !== stage.lastDiagnosis) {
        const diagnosis = toWireDiagnosis(state, stage.lastDiagnosis);
        this.append({ kind: 'stageDiagnosed', ...base, diagnosis });
      }
    }
    return changed;
  }

  private ringFirstSeq(): number {
    return this.events[0]?.seq ?? this.seq + 1;
  }

  private ringEvents(
    afterSeq: number,
    limit: number,
    runId: string | undefined,
  ): { events: P.BatonEvent[]; hasMore: boolean } {
    const events: P.BatonEvent[] = [];
    for (let i = this.indexAfter(afterSeq); i < this.events.length; i++) {
      const event = this.events[i];
      if (event === undefined || (runId !== undefined && event.runId !== runId)) continue;
      if (events.length >= limit) return { events, hasMore: true };
      events.push(event);
    }
    return { events, hasMore: false };
  }

  private append(event: NewEvent): number {
    this.seq += 1;
    this.events.push({ ...event, seq: this.seq } as P.BatonEvent);
    // Trim in chunks so a full buffer does not shift the whole array on every event.
    if (this.events.length > this.capacity + this.capacity / 8) {
      const evicted = this.events.splice(0, this.events.length - this.capacity);
      this.journal?.append(evicted);
    }
    return this.seq;
  }

  /** Index of the first event with `seq > afterSeq` (binary search: seqs only grow). */
  private indexAfter(afterSeq: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.events[mid]?.seq ?? 0) <= afterSeq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function withReason<T extends object>(
  event: T,
  reason: string | undefined,
): T & { reason?: string } {
  return reason === undefined ? event : { ...event, reason };
}

function withStageDetails<T extends object>(event: T, stage: Core.StageState): T {
  const details: Record<string, unknown> = {};
  if (stage.reason !== undefined) details.reason = stage.reason;
  if (stage.exitCode !== undefined) details.exitCode = stage.exitCode;
  if (stage.signal !== undefined) details.signal = stage.signal;
  return { ...event, ...details };
}

/** The recorded answer of a prompt that closed, if the state kept one. */
function answerOf(state: Core.RunState, prompt: Core.PromptState): Core.AnswerValue | undefined {
  if (prompt.kind === 'input') return state.inputs[prompt.input];
  return state.answers[prompt.id]?.value;
}
