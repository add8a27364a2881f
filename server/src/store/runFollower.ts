/**
 * Follows one run's directory as its owner (another process, usually) writes
 * it: the events of `events.jsonl` after a sequence number, and the bytes
 * each stage log gains after an offset, as soon as they are written. The
 * reading and watching is the `FileTailer`'s; this file only says which files
 * (names from `StatePaths`) and what their lines mean.
 */
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LoggedEvent } from '@baton/core';
import { FileTailer } from '../tail/fileTailer';
import { parseEventLine } from './eventLog';
import type { StatePaths } from './paths';

/** Output a stage attempt wrote to its log. */
export interface FollowedLog {
  readonly stage: string;
  readonly attempt: number;
  /** Whole lines, with their line endings (a last line without one only at close). */
  readonly text: string;
  /** Byte offset of `text` in the attempt's log. */
  readonly offset: number;
}

/** Events of a `RunFollower`. */
export interface RunFollowerEvents {
  /** The next event of the run's log (sequence numbers only grow). */
  event: [event: LoggedEvent];
  /** New output of a stage attempt. */
  log: [log: FollowedLog];
  /** New notes in the run's own log (`run.log`), at byte `offset` of it. */
  runLog: [note: { readonly text: string; readonly offset: number }];
  /** A file could not be read. */
  error: [error: Error];
}

/** Where a `RunFollower` starts. */
export interface RunFollowerOptions {
  /** Events up to this sequence number are not reported. */
  readonly afterSeq: number;
  /** `start`: every log from its first byte; `end`: only what logs gain from now on. */
  readonly logsFrom: 'start' | 'end';
  /** Follow the logs of this stage only. */
  readonly stage?: string;
}

/**
 * "The events after seq N and the log bytes after offset M of this run, and
 * tell me when more arrive." Create it, listen, await `ready()`, `close()`.
 */
export class RunFollower extends EventEmitter<RunFollowerEvents> {
  private seq: number;
  /** Where the next line of each log (by name relative to the run's folder) starts. */
  private readonly logEnds = new Map<string, number>();
  private readonly started: Promise<FileTailer>;
  private readonly runDir: string;
  private readonly eventLog: string;
  private readonly runLog: string;

  constructor(
    private readonly paths: StatePaths,
    runId: string,
    options: RunFollowerOptions,
  ) {
    super();
    this.seq = options.afterSeq;
    this.runDir = paths.runDir(runId);
    this.eventLog = this.relative(paths.eventLogFile(runId));
    this.runLog = this.relative(paths.runLogFile(runId));
    const logsDir = this.relative(paths.logsDir(runId));
    const logGlob = path.posix.join(logsDir, paths.stageLogGlob(options.stage));
    // The run's own log is followed with all the stages' logs, not with one stage's.
    const globs = [this.eventLog, logGlob, ...(options.stage === undefined ? [this.runLog] : [])];
    this.started = this.logOffsets(options.logsFrom, paths.logsDir(runId)).then((offsets) => {
      const tailer = new FileTailer({ cwd: this.runDir, globs, offsets });
      tailer.on('line', (file, text, end) => this.onLine(file, text, end));
      tailer.on('reset', (file) => this.logEnds.delete(file));
      tailer.on('error', (error) => this.emit('error', error));
      return tailer;
    });
  }

  /** The sequence number of the last event reported. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Resolves once files written from now on are seen. */
  async ready(): Promise<void> {
    await (await this.started).ready();
  }

  /** Stops following, after reading what was written before the call. */
  async close(): Promise<void> {
    await (await this.started).close({ flushPartial: true });
  }

  private onLine(file: string, text: string, end: number): void {
    if (file === this.eventLog) {
      const item = parseEventLine(0, text);
      // A torn or stray line is the event log reader's business; a replayed file repeats events.
      if (item.kind !== 'event' || item.event.seq <= this.seq) return;
      this.seq = item.event.seq;
      this.emit('event', item.event);
      return;
    }
    const isRunLog = file === this.runLog;
    const log = isRunLog ? undefined : this.paths.stageLogOf(path.posix.basename(file));
    if (log === undefined && !isRunLog) return;
    const offset = this.logEnds.get(file) ?? 0;
    this.logEnds.set(file, end);
    // The tailer gives lines without their endings; the bytes between two ends say which.
    const ending = ['', '\n', '\r\n'][end - offset - Buffer.byteLength(text)] ?? '\n';
    if (log === undefined) this.emit('runLog', { text: text + ending, offset });
    else this.emit('log', { ...log, text: text + ending, offset });
  }

  /** With `end`, the logs' current sizes: what they held before is history, not news. */
  private async logOffsets(
    from: 'start' | 'end',
    logsDir: string,
  ): Promise<Record<string, number>> {
    const offsets: Record<string, number> = {};
    if (from === 'start') return offsets;
    const names = await fs.readdir(logsDir).catch(() => [] as string[]);
    const stageLogs = names.filter((name) => this.paths.stageLogOf(name) !== undefined);
    const files = [
      ...stageLogs.map((name) => path.join(logsDir, name)),
      path.join(this.runDir, this.runLog),
    ];
    for (const file of files) {
      const size = await fs.stat(file).then(
        (stat) => stat.size,
        () => 0,
      );
      offsets[this.relative(file)] = size;
      this.logEnds.set(this.relative(file), size);
    }
    return offsets;
  }

  private relative(file: string): string {
    return path.relative(this.runDir, file).split(path.sep).join('/');
  }
}
