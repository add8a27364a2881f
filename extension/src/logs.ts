import * as vscode from 'vscode';
import type { DidAppendLogParams, GetLogParams, GetLogResult } from '@baton/protocol';
import { RUN_LOG_STAGE } from '@baton/protocol';
import { LogCursor } from './model/logCursor';
import { RunLogFormatter, runChannelName } from './model/logFormat';
import { isActiveRun } from './model/runStatus';
import type { ServerMirror } from './model/serverMirror';

/** Reads a slice of a log (`baton/getLog`). */
export type ReadLog = (params: GetLogParams) => Promise<GetLogResult>;

/** How many run channels stay open; the oldest finished ones are closed first. */
const MAX_CHANNELS = 12;
/** Bytes read per `baton/getLog` request. */
const LOG_PAGE = 256 * 1024;
/** Characters of each channel's latest text kept in memory, since an output channel cannot be read back. */
const TRANSCRIPT_CHARS = 64 * 1024;
/**
 * A gap in live output larger than this is not read into the channel. The
 * server sends a preview of output faster than its live-log budget; reading
 * all of it back would bring the flood to the editor anyway. The whole log
 * stays in the run's folder.
 */
const MAX_GAP_FILL_BYTES = 1024 * 1024;

interface RunChannel {
  readonly channel: vscode.OutputChannel;
  readonly formatter: RunLogFormatter;
  readonly cursor: LogCursor;
  /** The attempt last shown per stage, to mark a new attempt. */
  readonly attempts: Map<string, number>;
  /** Serialises writes, so a slice being loaded and live chunks never interleave. */
  queue: Promise<void>;
  /** The latest text written to the channel. */
  transcript: string;
}

/**
 * One output channel per run, named by its label (`Baton: Literature review #14`), fed live from
 * `baton/didAppendLog` with a `[stage]` prefix on each line, and the run's own
 * log (`RUN_LOG_STAGE`: who answered its inputs) among them as it came. A gap (a chunk
 * after a reconnect, or opening a finished run) is filled with
 * `baton/getLog`, and nothing is shown twice.
 */
export class RunLogs implements vscode.Disposable {
  private readonly channels = new Map<string, RunChannel>();

  constructor(
    private readonly store: ServerMirror,
    private readonly readLog: ReadLog,
    private readonly onError: (what: string, error: unknown) => void,
  ) {}

  /** Handles `baton/didAppendLog`. */
  append(params: DidAppendLogParams): void {
    const run = this.channelFor(params.runId);
    void this.enqueue(run, () => this.writeChunk(run, params));
  }

  /** Shows a run's channel, loading what it has not shown yet of every stage's latest attempt. */
  async show(runId: string, preserveFocus = false): Promise<void> {
    const run = this.channelFor(runId);
    run.channel.show(preserveFocus);
    const stages = this.store.run(runId)?.stages ?? [];
    await this.enqueue(run, async () => {
      // The run's own notes (answers to its inputs) come before its stages started.
      await this.fill(run, runId, RUN_LOG_STAGE, 1, Number.POSITIVE_INFINITY);
      for (const stage of stages) {
        if (stage.attempt === 0) continue;
        await this.fill(run, runId, stage.id, stage.attempt, Number.POSITIVE_INFINITY);
      }
      write(run, run.formatter.flushAll());
    });
  }

  /** Writes out the line a stage left unfinished, once the stage has ended. */
  stageEnded(runId: string, stage: string): void {
    const run = this.channels.get(runId);
    if (run) void this.enqueue(run, async () => write(run, run.formatter.flush(stage)));
  }

  /** The latest text (up to 64 KiB) written to a run's channel, or `undefined` when it has none. */
  transcript(runId: string): string | undefined {
    return this.channels.get(runId)?.transcript;
  }

  /** The names of the channels open now (for tests and the Show Run Log picker). */
  channelNames(): string[] {
    return [...this.channels.values()].map((run) => run.channel.name);
  }

  /** Closes every channel. */
  dispose(): void {
    for (const run of this.channels.values()) run.channel.dispose();
    this.channels.clear();
  }

  private enqueue(run: RunChannel, work: () => Promise<void>): Promise<void> {
    run.queue = run.queue
      .then(work)
      .catch((error: unknown) => this.onError('Could not read a run log', error));
    return run.queue;
  }

  private async writeChunk(run: RunChannel, params: DidAppendLogParams): Promise<void> {
    const { runId, stage, attempt, offset, text } = params;
    const verdict = run.cursor.accept(stage, attempt, offset, text);
    if (verdict.kind === 'gap') {
      if (verdict.to - verdict.from > MAX_GAP_FILL_BYTES)
        this.skipGap(run, stage, attempt, verdict);
      else await this.fill(run, runId, stage, attempt, verdict.to);
      this.writeText(run, stage, attempt, run.cursor.accept(stage, attempt, offset, text));
      return;
    }
    this.writeText(run, stage, attempt, verdict);
  }

  private writeText(
    run: RunChannel,
    stage: string,
    attempt: number,
    verdict: ReturnType<LogCursor['accept']>,
  ): void {
    if (verdict.kind !== 'show') return;
    this.noteAttempt(run, stage, attempt);
    write(run, run.formatter.append(stage, verdict.text));
  }

  /** Marks a new attempt of a stage in the channel. */
  private noteAttempt(run: RunChannel, stage: string, attempt: number): void {
    const previous = run.attempts.get(stage);
    if (previous !== undefined && previous !== attempt) {
      write(run, run.formatter.flush(stage));
      write(run, `[${stage}] ── attempt ${attempt} ──\n`);
    }
    run.attempts.set(stage, attempt);
  }

  /** Leaves a large gap of live output unread, with a line saying so and where the whole log is. */
  private skipGap(
    run: RunChannel,
    stage: string,
    attempt: number,
    gap: { readonly from: number; readonly to: number },
  ): void {
    this.noteAttempt(run, stage, attempt);
    write(run, run.formatter.flush(stage));
    const size = `${((gap.to - gap.from) / 2 ** 20).toFixed(1)} MB`;
    write(
      run,
      `[${stage}] … ${size} of output not shown live: the whole log is in the run folder …\n`,
    );
    run.cursor.skipTo(stage, attempt, gap.to);
  }

  /** Reads `stage`'s log from what was shown up to byte `until` (or its end). */
  private async fill(
    run: RunChannel,
    runId: string,
    stage: string,
    attempt: number,
    until: number,
  ): Promise<void> {
    for (;;) {
      const from = run.cursor.position(stage, attempt);
      if (from >= until) return;
      const limit = Number.isFinite(until) ? Math.min(LOG_PAGE, until - from) : LOG_PAGE;
      const slice = await this.readLog({ runId, stage, attempt, offset: from, limit });
      this.writeText(
        run,
        stage,
        slice.attempt,
        run.cursor.accept(stage, slice.attempt, slice.offset, slice.text),
      );
      if (slice.nextOffset <= from || slice.nextOffset >= slice.size) return;
    }
  }

  private channelFor(runId: string): RunChannel {
    const known = this.channels.get(runId);
    if (known) return known;
    const summary = this.store.run(runId)?.summary;
    // A channel cannot be renamed: one made before the run is known is named by its id.
    const channel = vscode.window.createOutputChannel(
      summary ? runChannelName(summary) : `Baton: run ${runId}`,
    );
    const run: RunChannel = {
      channel,
      formatter: new RunLogFormatter(),
      cursor: new LogCursor(),
      attempts: new Map(),
      queue: Promise.resolve(),
      transcript: '',
    };
    this.channels.set(runId, run);
    this.closeOldChannels();
    return run;
  }

  private closeOldChannels(): void {
    if (this.channels.size <= MAX_CHANNELS) return;
    for (const [runId, run] of this.channels) {
      if (this.channels.size <= MAX_CHANNELS) return;
      const status = this.store.run(runId)?.summary.status;
      if (status !== undefined && isActiveRun(status)) continue;
      run.channel.dispose();
      this.channels.delete(runId);
    }
  }
}

function write(run: RunChannel, text: string): void {
  if (text === '') return;
  run.channel.append(text);
  run.transcript = (run.transcript + text).slice(-TRANSCRIPT_CHARS);
}
