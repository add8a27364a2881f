import type * as Core from '@baton/core';
import type * as P from '@baton/protocol';
import { isStoppedRunStatus } from '@baton/protocol';
import { RecentlyUsed } from '../../cache/recentlyUsed';
import type { ExpectedDurations } from './expectedDurations';
import type { FeedJournal } from './feedJournal';
import { toRunSummary, toStageSnapshot } from './wire';
import { introductionOf, runCreatedEvent, wireEventsOf } from './wireEvents';
import type { NewEvent, RunChange } from './wireEvents';

/** Events kept in memory for `baton/getEvents` (older ones are dropped, oldest first). */
export const DEFAULT_FEED_CAPACITY = 10_000;

/** Where the feed sends its notifications. */
export type FeedNotify = <M extends P.ServerNotificationMethod>(
  method: M,
  params: P.ServerNotifications[M],
) => unknown;

/**
 * The server's event feed: one global sequence number across every run it
 * observes, a ring buffer of recent events for `baton/getEvents`, and the
 * notifications that carry them. Wire events are derived from each accepted
 * run event (`wireEventsOf`), whether this server runs the run or replays
 * another process's event log. Events that leave the ring go to the journal
 * on disk, so `getEvents` can still return them: a client that reconnects
 * misses nothing this server sent.
 */
export class EventFeed {
  private seq = 0;
  private readonly events: P.BatonEvent[] = [];
  /** Runs the feed has told clients of (introduced, or created with their first change). */
  private readonly known = new Set<string>();
  /**
   * The last state of each run that has not stopped. A stopped run's is let
   * go of (a resume brings it back): a long-lived server would otherwise keep
   * every run it ever saw whole, megabytes for a 10,000-unit one.
   */
  private readonly lastStates = new Map<string, Core.RunState>();
  /**
   * Prompts seen closing, so a late answer hears "already closed" rather
   * than "not found"; as many as the events kept, since each closed with one.
   */
  private readonly closedPrompts: RecentlyUsed<string, true>;
  private readonly changeListeners: ((changes: readonly RunChange[]) => void)[] = [];
  /** Run events told to nobody yet: consecutive changes of one run, sent as one `didChangeRun`. */
  private unsent: { state: Core.RunState; events: P.BatonEvent[] } | undefined;
  private flushTimer: NodeJS.Immediate | undefined;

  constructor(
    private readonly notify: FeedNotify,
    private readonly isLocal: (runId: string) => boolean,
    private readonly capacity = DEFAULT_FEED_CAPACITY,
    private readonly journal?: FeedJournal,
    private readonly durations?: ExpectedDurations,
  ) {
    this.closedPrompts = new RecentlyUsed(capacity);
  }

  /**
   * Hears every run change the feed tells clients of, in order, after the
   * feed has (the run timelines follow runs with it, without reading their logs again).
   */
  onChanges(listener: (changes: readonly RunChange[]) => void): void {
    this.changeListeners.push(listener);
  }

  /** The newest sequence number assigned. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Introduces a run the feed has not seen, from its state alone (a run found
   * on disk whose earlier events this server never saw): `runCreated`, then
   * where its stages and the run stand, at the times the state gives.
   */
  introduceRun(state: Core.RunState): void {
    if (this.known.has(state.runId)) return;
    this.known.add(state.runId);
    this.keep(state);
    const events = introductionOf(state, this.isLocal(state.runId));
    this.publishChange(
      state,
      events.map((event) => this.append(event)),
    );
  }

  /**
   * Tells the client what each accepted run event changed, in order. A run
   * the feed has not seen yet is introduced first by the state before its
   * first change. `state` is the run's state after the last change.
   */
  applyChanges(state: Core.RunState, changes: readonly RunChange[]): void {
    const local = this.isLocal(state.runId);
    // A new run's `runCreated` goes out with its first change (or alone, without one).
    let created: P.BatonEvent[] = [];
    if (!this.known.has(state.runId)) {
      this.known.add(state.runId);
      created = [this.append(runCreatedEvent(changes[0]?.before ?? state, local))];
      if (changes.length === 0) this.publishChange(state, created);
    }
    for (const change of changes) {
      const wire = wireEventsOf(change, local);
      const runEvents = wire.filter((event) => !isPromptEvent(event));
      const appended = [...created, ...runEvents.map((event) => this.append(event))];
      created = [];
      this.keep(change.after);
      this.publishChange(change.after, appended);
      for (const event of wire) if (isPromptEvent(event)) this.publishPrompt(event);
    }
    this.keep(state);
    for (const listener of this.changeListeners) listener(changes);
  }

  /** The last state seen of a run that has not stopped. */
  runState(runId: string): Core.RunState | undefined {
    return this.lastStates.get(runId);
  }

  /** Whether a prompt of a run was seen closing. */
  wasClosed(runId: string, promptId: string): boolean {
    return this.closedPrompts.get(`${runId}\n${promptId}`) === true;
  }

  /** A stage printed an annotation. */
  annotated(
    runId: string,
    stage: string,
    attempt: number,
    annotation: P.WireAnnotation,
    time: number,
  ): void {
    this.flush();
    const event = this.append({ kind: 'annotation', runId, time, stage, attempt, annotation });
    void this.notify('baton/didAnnotate', { seq: event.seq, runId, stage, attempt, annotation });
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

  /** Sends the changes gathered so far now (they go out by themselves at the end of the turn). */
  flush(): void {
    if (this.flushTimer !== undefined) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    const unsent = this.unsent;
    this.unsent = undefined;
    if (unsent !== undefined) this.sendChange(unsent.state, unsent.events);
  }

  /** Sends what is gathered, stops writing the journal and deletes it. */
  async dispose(): Promise<void> {
    this.flush();
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

  /**
   * Gathers the run events of one change into the `didChangeRun` being built:
   * the changes of one run in one turn of the event loop go out as one
   * notification (its events in order, each touched stage once, as it is
   * after the last change), so a 10,000-item run sends and a client applies
   * a message per burst, not per event. A change of another run sends what
   * was gathered first, so notifications keep the order of their `seq`.
   */
  private publishChange(state: Core.RunState, events: readonly P.BatonEvent[]): void {
    if (events.length === 0) return;
    if (this.unsent !== undefined && this.unsent.state.runId !== state.runId) this.flush();
    if (this.unsent === undefined) this.unsent = { state, events: [...events] };
    else {
      this.unsent.state = state;
      this.unsent.events.push(...events);
    }
    this.flushTimer ??= setImmediate(() => this.flush());
  }

  /** One `didChangeRun` for gathered run events; none when there are none. */
  private sendChange(state: Core.RunState, events: readonly P.BatonEvent[]): void {
    const last = events.at(-1);
    if (last === undefined) return;
    const stageIds = new Set(events.flatMap((event) => ('stage' in event ? [event.stage] : [])));
    // A run that stopped adds its stages' times to the history first.
    this.durations?.record(state);
    const expected = (id: string): number | undefined =>
      this.durations?.expectedMs(state.pipeline.id, id);
    const stages = [...stageIds].flatMap((id) => toStageSnapshot(state, id, expected(id)) ?? []);
    const run = toRunSummary(state, this.isLocal(state.runId));
    void this.notify('baton/didChangeRun', { seq: last.seq, events, run, stages });
  }

  private publishPrompt(event: PromptEvent): void {
    // The change that opened or closed the prompt goes out before it.
    this.flush();
    const { seq, runId } = this.append(event);
    if (event.kind === 'promptOpened') {
      void this.notify('baton/didOpenPrompt', { ...event.prompt, seq });
      return;
    }
    this.closedPrompts.set(`${runId}\n${event.promptId}`, true);
    const { promptId, by, answer } = event;
    const params = answer === undefined ? { promptId, by } : { promptId, by, answer };
    void this.notify('baton/didClosePrompt', { seq, runId, ...params });
  }

  /** Keeps a run's state while it has not stopped. */
  private keep(state: Core.RunState): void {
    if (isStoppedRunStatus(state.status)) this.lastStates.delete(state.runId);
    else this.lastStates.set(state.runId, state);
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

  private append(event: NewEvent): P.BatonEvent {
    this.seq += 1;
    const numbered = { ...event, seq: this.seq } as P.BatonEvent;
    this.events.push(numbered);
    // Trim in chunks so a full buffer does not shift the whole array on every event.
    if (this.events.length > this.capacity + this.capacity / 8) {
      const evicted = this.events.splice(0, this.events.length - this.capacity);
      this.journal?.append(evicted);
    }
    return numbered;
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

type PromptEvent = Extract<NewEvent, { kind: 'promptOpened' | 'promptClosed' }>;

function isPromptEvent(event: NewEvent): event is PromptEvent {
  return event.kind === 'promptOpened' || event.kind === 'promptClosed';
}
