import type {
  DidAnnotateParams,
  DidChangePipelinesParams,
  DidChangeRunParams,
  DidClosePromptParams,
  DidOpenPromptParams,
  GetEventsParams,
  GetEventsResult,
  ListPipelinesResult,
  ListRunsParams,
  ListRunsResult,
  RunSnapshot,
} from '@baton/protocol';
import { isActiveRun } from './runStatus';
import type { ServerMirror } from './serverMirror';

/** The requests the synchroniser needs; `client.ts` implements them over JSON-RPC. */
export interface SyncRequests {
  listPipelines(): Promise<ListPipelinesResult>;
  listRuns(params: ListRunsParams): Promise<ListRunsResult>;
  getRun(runId: string): Promise<RunSnapshot>;
  getEvents(params: GetEventsParams): Promise<GetEventsResult>;
}

/** A notification that changes run state, queued while a resync or snapshot fetch is under way. */
interface Queued {
  readonly seq: number;
  readonly apply: () => void;
}

/** How many runs a fresh connection loads, newest first. */
export const INITIAL_RUNS = 100;
/** How many of the newest runs of each pipeline get their full snapshot up front. */
const DETAILED_PER_PIPELINE = 1;
const EVENTS_PAGE = 1000;
/** How many times a snapshot is fetched again when it came older than the events already applied. */
const SNAPSHOT_TRIES = 3;

/**
 * Keeps the store in step with the server: a full load on the first
 * connection, then a replay of `baton/getEvents` from the last sequence
 * number after each reconnect, so nothing is missed and nothing is polled.
 * While a load or a snapshot fetch runs, live notifications are queued and
 * applied afterwards in sequence order; the store drops those already
 * reflected.
 */
export class StoreSync {
  private busy = 0;
  private queue: Queued[] = [];
  private readonly fetching = new Set<string>();

  constructor(
    private readonly store: ServerMirror,
    private readonly requests: SyncRequests,
    private readonly onError: (what: string, error: unknown) => void,
  ) {}

  /** Brings the store up to date after the client (re)connected. */
  async resync(): Promise<void> {
    await this.guard(async () => {
      this.store.setPipelines((await this.requests.listPipelines()).pipelines);
      if (this.store.lastSeq === 0) {
        await this.fullLoad();
        return;
      }
      const caughtUp = await this.replay(this.store.lastSeq);
      if (!caughtUp) {
        this.store.resetSeq();
        await this.fullLoad();
      }
    });
  }

  /** Fetches one run's snapshot (once at a time per run), e.g. when a tree row is expanded. */
  async fetchSnapshot(runId: string): Promise<void> {
    if (this.fetching.has(runId)) return;
    this.fetching.add(runId);
    try {
      // A snapshot older than events already applied is fetched again (see `setSnapshot`);
      // a later one is taken after those events, so a few tries are enough.
      for (let tries = 0; tries < SNAPSHOT_TRIES; tries++) {
        let current = true;
        await this.guard(async () => {
          current = this.store.setSnapshot(await this.requests.getRun(runId));
        });
        if (current) break;
      }
    } catch (error) {
      this.onError(`Could not load run ${runId}`, error);
    } finally {
      this.fetching.delete(runId);
    }
  }

  /** Handles `baton/didChangeRun`. */
  didChangeRun(params: DidChangeRunParams): void {
    this.offer(params.seq, () => this.store.applyRunChange(params));
  }

  /** Handles `baton/didOpenPrompt`. */
  didOpenPrompt(params: DidOpenPromptParams): void {
    this.offer(params.seq, () => this.store.openPrompt(params));
  }

  /** Handles `baton/didClosePrompt`. */
  didClosePrompt(params: DidClosePromptParams): void {
    this.offer(params.seq, () => this.store.closePrompt(params));
  }

  /** Handles `baton/didAnnotate`. */
  didAnnotate(params: DidAnnotateParams): void {
    this.offer(params.seq, () => this.store.annotate(params));
  }

  /** Handles `baton/didChangePipelines`. */
  didChangePipelines(params: DidChangePipelinesParams): void {
    this.store.setPipelines(params.pipelines);
  }

  private offer(seq: number, apply: () => void): void {
    if (this.busy > 0) this.queue.push({ seq, apply });
    else apply();
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    this.busy += 1;
    try {
      await work();
    } finally {
      this.busy -= 1;
      if (this.busy === 0) this.drain();
    }
  }

  private drain(): void {
    const queued = this.queue.sort((a, b) => a.seq - b.seq);
    this.queue = [];
    for (const item of queued) item.apply();
  }

  private async fullLoad(): Promise<void> {
    // Take the feed's position first: whatever happens while the snapshots
    // load is then replayed, and the store skips what a snapshot already has.
    const { lastSeq } = await this.requests.getEvents({ afterSeq: 0, limit: 1 });
    this.store.advanceSeq(lastSeq);
    const { runs, nextCursor } = await this.requests.listRuns({ limit: INITIAL_RUNS });
    this.store.addSummaries(runs);
    this.store.setHasOlderRuns(nextCursor !== undefined);
    const perPipeline = new Map<string, number>();
    const wanted = runs.filter((run) => {
      const seen = perPipeline.get(run.pipeline) ?? 0;
      perPipeline.set(run.pipeline, seen + 1);
      return isActiveRun(run.status) || run.openPrompts > 0 || seen < DETAILED_PER_PIPELINE;
    });
    const snapshots = await Promise.all(wanted.map((run) => this.requests.getRun(run.runId)));
    for (const snapshot of snapshots) this.store.setSnapshot(snapshot);
    await this.replay(lastSeq);
  }

  /** Applies every event after `afterSeq`; false when the server cannot fill the gap. */
  private async replay(afterSeq: number): Promise<boolean> {
    let from = afterSeq;
    for (;;) {
      const page = await this.requests.getEvents({ afterSeq: from, limit: EVENTS_PAGE });
      // The server's numbering went back (a new state dir) or its buffer no
      // longer reaches back to `from`: the replay cannot be trusted.
      if (page.lastSeq < from) return false;
      if (page.lastSeq > from && page.firstSeq > from + 1) return false;
      for (const event of page.events) this.store.applyFeedEvent(event);
      const lastEventSeq = page.events.at(-1)?.seq;
      if (!page.hasMore || lastEventSeq === undefined) {
        this.store.advanceSeq(page.lastSeq);
        return true;
      }
      this.store.advanceSeq(lastEventSeq);
      from = lastEventSeq;
    }
  }
}
