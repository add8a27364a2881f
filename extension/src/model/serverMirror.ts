import type {
  BatonEvent,
  DidAnnotateParams,
  DidChangeRunParams,
  DidClosePromptParams,
  DidOpenPromptParams,
  PromptInfo,
  RunSnapshot,
  RunSummary,
  WirePipeline,
} from '@baton/protocol';
import { answeredPrompt } from './answeredPrompts';
import { Emitter } from './emitter';
import type { ItemWindow } from './itemWindow';
import { StageTails } from './stageTails';
import { PromptLedger } from './promptLedger';
import { applyEvent, withPrompts } from './runProjection';
import type { RunView } from './runView';
import { runViewFromSnapshot, runViewFromSummary } from './runView';

/** A view wants units of a fanned-out stage: from the start, or the next page (`more`). */
export interface ItemsWanted {
  readonly runId: string;
  readonly stageId: string;
  readonly more: boolean;
}

/** What changed in the store: the pipeline list, or one run (`runId`). */
export type StoreChange =
  { readonly kind: 'pipelines' } | { readonly kind: 'run'; readonly runId: string };

/**
 * The client-side projection of the server's state. It is fed only by
 * notifications, snapshots and event replays; it never asks the server for
 * anything itself. `lastSeq` is where a reconnecting client resumes
 * `baton/getEvents` from.
 */
export class ServerMirror {
  private pipelineList: readonly WirePipeline[] = [];
  private readonly runs = new Map<string, RunView>();
  private readonly changes = new Emitter<StoreChange>();
  private readonly missing = new Emitter<string>();
  private readonly itemsWanted = new Emitter<ItemsWanted>();
  private readonly runSeqs = new Map<string, number>();
  private readonly ledger = new PromptLedger();
  /** Pipelines whose lock is stale. */
  private readonly staleLocks = new Set<string>();
  private olderRuns = false;
  /** The last name each pipeline had while its file was valid. */
  private readonly knownNames = new Map<string, string>();
  private seq = 0;

  /** The last lines each stage printed (fed from the live log; read by tooltips). */
  readonly tails = new StageTails();

  /** Fires after every change. */
  readonly onDidChange = this.changes.event;
  /** Fires with a run id whose details the store lacks: the owner should fetch its snapshot. */
  readonly onDidNeedSnapshot = this.missing.event;
  /** Fires when a view wants a fanned-out stage's units read (`needItems`). */
  readonly onDidNeedItems = this.itemsWanted.event;

  /** The newest sequence number applied. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Every pipeline file the server knows, valid or not, sorted by file. */
  get pipelines(): readonly WirePipeline[] {
    return this.pipelineList;
  }

  /** One run, if known. */
  run(runId: string): RunView | undefined {
    return this.runs.get(runId);
  }

  /** All known runs, newest first. */
  allRuns(): RunView[] {
    return [...this.runs.values()].sort(newestFirst);
  }

  /** Runs of one pipeline id, newest first. */
  runsOf(pipelineId: string): RunView[] {
    return this.allRuns().filter((run) => run.summary.pipeline === pipelineId);
  }

  /** Every open prompt of every run, oldest first. */
  openPrompts(): PromptInfo[] {
    return this.allRuns()
      .flatMap((run) => run.prompts)
      .sort((a, b) => a.openedAt - b.openedAt);
  }

  /**
   * Whether a change of `runId` with this `seq` is older than what the store
   * shows (a replay overlapping live traffic, or a snapshot newer than the
   * notification). Equal numbers are not stale: applying an event twice
   * gives the same result.
   */
  isStale(runId: string, seq: number): boolean {
    return seq < (this.runSeqs.get(runId) ?? 0);
  }

  /** Moves `lastSeq` forward (never back): where the next `baton/getEvents` starts. */
  advanceSeq(seq: number): void {
    if (seq > this.seq) this.seq = seq;
  }

  /**
   * Forgets the sequence numbers, e.g. when the server's numbering started
   * over (a new server process). Runs stay shown until fresh snapshots
   * replace them.
   */
  resetSeq(): void {
    this.seq = 0;
    this.runSeqs.clear();
    this.ledger.clear();
  }

  /**
   * The name to show for a pipeline: its own while its file is valid; while
   * it is not (a typo can make it unreadable), the last name the file had,
   * else the name its newest run recorded, else its id.
   */
  pipelineName(pipelineId: string): string {
    const pipeline = this.pipelineList.find((p) => p.id === pipelineId);
    if (pipeline?.valid === true) return pipeline.name;
    return (
      this.knownNames.get(pipelineId) ??
      this.runsOf(pipelineId)[0]?.summary.pipelineName ??
      pipeline?.name ??
      pipelineId
    );
  }

  /**
   * Whether the server has runs older than the mirror knows (the first load
   * was cut short), so a pipeline's history may be longer than its runs here.
   */
  get hasOlderRuns(): boolean {
    return this.olderRuns;
  }

  /** Records whether the first load left older runs on the server (`nextCursor`). */
  setHasOlderRuns(older: boolean): void {
    if (older === this.olderRuns) return;
    this.olderRuns = older;
    this.changes.fire({ kind: 'pipelines' });
  }

  /** Whether the pipeline's lock is held by an owner that is dead or silent (as last checked). */
  hasStaleLock(pipelineId: string): boolean {
    return this.staleLocks.has(pipelineId);
  }

  /** Records whether a pipeline's lock is stale (from `baton/getLock`). */
  setLockStale(pipelineId: string, stale: boolean): void {
    if (stale === this.staleLocks.has(pipelineId)) return;
    if (stale) this.staleLocks.add(pipelineId);
    else this.staleLocks.delete(pipelineId);
    this.changes.fire({ kind: 'pipelines' });
  }

  /** Replaces the pipeline list (`baton/listPipelines`, `baton/didChangePipelines`). */
  setPipelines(pipelines: readonly WirePipeline[]): void {
    this.pipelineList = pipelines;
    for (const pipeline of pipelines)
      if (pipeline.valid) this.knownNames.set(pipeline.id, pipeline.name);
    this.changes.fire({ kind: 'pipelines' });
  }

  /** Adds runs from `baton/listRuns`; runs the store already follows keep their details. */
  addSummaries(summaries: readonly RunSummary[]): void {
    for (const summary of summaries) {
      const known = this.runs.get(summary.runId);
      this.put(known ? { ...known, summary } : this.viewFromSummary(summary));
    }
  }

  /**
   * Applies a full snapshot (`baton/getRun`). It does not move `lastSeq`:
   * events of other runs before the snapshot's `seq` may still be missing.
   * Returns whether the store is now at least as new as the snapshot's
   * events: false when the snapshot was taken before events the store had
   * already applied to a run it knew only in part (they arrived while the
   * snapshot was on its way). The snapshot still fills in the run's stages,
   * but it set those back, so the caller asks for a newer one.
   */
  setSnapshot(snapshot: RunSnapshot): boolean {
    const stale = this.isStale(snapshot.runId, snapshot.seq);
    if (stale && this.runs.get(snapshot.runId)?.detailed) return true;
    this.runSeqs.set(snapshot.runId, snapshot.seq);
    const view = runViewFromSnapshot(snapshot, this.runs.get(snapshot.runId));
    this.put(withPrompts(view, this.ledger.reconcile(snapshot.runId, view.prompts, snapshot.seq)));
    return !stale;
  }

  /**
   * Applies `baton/didChangeRun`: its events, one by one, exactly as a replay
   * of `baton/getEvents` applies them, so live and replayed runs look alike.
   */
  applyRunChange(params: DidChangeRunParams): void {
    for (const event of params.events) this.applyFeedEvent(event);
  }

  /**
   * Puts a window of a fanned-out stage's units (pages read with
   * `baton/listItems`) into a run the store knows; a run it does not know
   * is left alone.
   */
  setItemWindow(runId: string, stageId: string, window: ItemWindow): void {
    const known = this.runs.get(runId);
    if (!known) return;
    this.put({ ...known, items: { ...known.items, [stageId]: window } });
  }

  /** Asks the owner to read (or read again) a fanned-out stage's units: `more` for the next page. */
  needItems(runId: string, stageId: string, more = false): void {
    this.itemsWanted.fire({ runId, stageId, more });
  }

  /** Applies `baton/didOpenPrompt`. */
  openPrompt(params: DidOpenPromptParams): void {
    const { seq, ...prompt } = params;
    this.advanceSeq(seq);
    if (!this.ledger.recordOpen(prompt, seq)) return;
    const known = this.runs.get(prompt.runId);
    if (!known) {
      // The ledger keeps it until the run shows up.
      this.missing.fire(prompt.runId);
      return;
    }
    const others = known.prompts.filter((p) => p.promptId !== prompt.promptId);
    this.put(withPrompts(known, [...others, prompt]));
  }

  /** Applies `baton/didClosePrompt`. */
  closePrompt(params: DidClosePromptParams): void {
    this.advanceSeq(params.seq);
    if (!this.ledger.recordClose(params.runId, params.promptId, params.seq)) return;
    const known = this.runs.get(params.runId);
    if (!known) return;
    const closing = known.prompts.find((p) => p.promptId === params.promptId);
    const answered = closing && answeredPrompt(closing, params);
    const view = answered
      ? { ...known, answered: { ...known.answered, [answered.stage]: answered } }
      : known;
    this.put(
      withPrompts(
        view,
        known.prompts.filter((p) => p.promptId !== params.promptId),
      ),
    );
  }

  /** Applies `baton/didAnnotate`. */
  annotate(params: DidAnnotateParams): void {
    const { seq, runId, stage, attempt, annotation } = params;
    this.applyFeedEvent({ kind: 'annotation', seq, runId, time: 0, stage, attempt, annotation });
  }

  /** Applies one event of the feed (a replay from `baton/getEvents`, or a notification turned into one). */
  applyFeedEvent(event: BatonEvent): void {
    if (event.kind === 'promptOpened') return this.openPrompt({ ...event.prompt, seq: event.seq });
    if (event.kind === 'promptClosed') return this.closePrompt(event);
    if (!this.accept(event.runId, event.seq)) return;
    const known = this.runs.get(event.runId);
    let next = applyEvent(known, event);
    // Prompts that opened before their run was known were kept for it.
    if (next && !known) next = this.withKeptPrompts(next);
    if (next) this.put(next);
    if (!next?.detailed) this.missing.fire(event.runId);
  }

  /** Releases the listeners. */
  dispose(): void {
    this.changes.dispose();
    this.missing.dispose();
    this.itemsWanted.dispose();
  }

  /** Records `seq` as applied to `runId`; false when it already was. */
  private accept(runId: string, seq: number): boolean {
    this.advanceSeq(seq);
    if (this.isStale(runId, seq)) return false;
    this.runSeqs.set(runId, seq);
    return true;
  }

  private viewFromSummary(summary: RunSummary): RunView {
    return this.withKeptPrompts(runViewFromSummary(summary));
  }

  private withKeptPrompts(view: RunView): RunView {
    const prompts = this.ledger.openOf(view.summary.runId);
    return prompts.length > 0 ? withPrompts(view, prompts) : view;
  }

  private put(view: RunView): void {
    if (this.runs.get(view.summary.runId) === view) return;
    this.runs.set(view.summary.runId, view);
    this.changes.fire({ kind: 'run', runId: view.summary.runId });
  }
}

function newestFirst(a: RunView, b: RunView): number {
  return (
    b.summary.createdAt - a.summary.createdAt || b.summary.runId.localeCompare(a.summary.runId)
  );
}
