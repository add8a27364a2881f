import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Core from '@baton/core';
import { changedStageIds, pipelineIndex } from '@baton/core';

/** Runs whose stage summaries are kept; the least recently read run goes first. */
const MAX_CACHED_RUNS = 100;
/**
 * Runs whose last state read is kept too (it holds the whole run: 10,000
 * units are megabytes); an older run's next read walks its stages again.
 */
const SEEN_RUNS = 4;
/** Statuses in which a stage may still be writing its `$BATON_SUMMARY`. */
const WRITING = new Set<Core.StageStatus>(['running', 'waiting']);

/** What the cache knows of one run's summaries. */
interface RunSummaries {
  /** The state last read: the next read looks only at the stages changed since. */
  seen: Core.RunState | undefined;
  /** Per stage looked at: its attempt, status and end time then (a new one means: read again). */
  readonly versions: Map<string, string>;
  /** The stages whose summary holds something, with its text. */
  readonly texts: Map<string, string>;
  /** Stages that may still be writing theirs: read on every request. */
  readonly writing: Set<string>;
}

/**
 * The markdown stages wrote to `$BATON_SUMMARY`, for `baton/getRun`. A stage
 * that is not running cannot change its summary, so its text is read once and
 * kept until the stage's attempt, status or end time changes; only running
 * stages are read on every request. A request looks only at the stages that
 * changed since the last one (the core's stage table tells them by its
 * chunks): a 10,000-unit run spent 44 ms a getRun walking every unit and
 * building its summary file's path. A state whose stages cannot be compared
 * that way (one read from disk) is walked once, with one listing of the
 * folder, so stages without a summary file cost no read.
 *
 * The reads are synchronous on purpose: they are a listing of one small
 * local folder and the few summaries changed, microseconds each, while an
 * asynchronous read waits for libuv's thread pool, which stages printing
 * fast keep busy with log writes (measured: 7 ms per `baton/getRun` at the
 * median under an 8-stage flood, against 0.4 ms without the read). So a
 * request is answered in the turn it is read.
 */
export class SummaryCache {
  private readonly runs = new Map<string, RunSummaries>();

  constructor(private readonly summaryFile: (runId: string, stage: string) => string) {}

  /** The run's summaries joined in stage order, or undefined when no stage wrote one. */
  read(state: Core.RunState): string | undefined {
    const run = this.cacheOf(state.runId);
    const changed =
      run.seen === state
        ? []
        : run.seen === undefined
          ? undefined
          : changedStageIds(run.seen, state);
    const ids = changed ?? this.writtenIds(state);
    for (const id of new Set([...ids, ...run.writing])) this.look(run, state, id);
    run.seen = state;
    if (run.texts.size === 0) return undefined;
    const positions = pipelineIndex(state.pipeline).positions;
    const order = (id: string): number => positions.get(id) ?? Number.MAX_SAFE_INTEGER;
    const parts = [...run.texts].sort(([a], [b]) => order(a) - order(b)).map(([, text]) => text);
    return `${parts.join('\n\n')}\n`;
  }

  /** Every stage whose summary file exists (one listing of their folder), and those still writing one. */
  private writtenIds(state: Core.RunState): string[] {
    const first = state.pipeline.stages[0];
    if (first === undefined) return [];
    // A stage's file name is its id and this suffix, in a folder of their own.
    const sample = this.summaryFile(state.runId, first.id);
    const suffix = path.basename(sample).slice(first.id.length);
    const present = new Set(listNames(path.dirname(sample)));
    return state.pipeline.stages.flatMap((spec) => {
      const status = state.stages[spec.id]?.status;
      const wanted =
        present.has(`${spec.id}${suffix}`) || (status !== undefined && WRITING.has(status));
      return wanted ? [spec.id] : [];
    });
  }

  /** Reads one stage's summary again unless its attempt, status and end time are as when last read. */
  private look(run: RunSummaries, state: Core.RunState, id: string): void {
    const stage = state.stages[id];
    if (stage === undefined) return;
    const version = `${stage.attempt}|${stage.status}|${stage.endedAt ?? ''}`;
    const writing = WRITING.has(stage.status);
    if (!writing && run.versions.get(id) === version) return;
    const text = readText(this.summaryFile(state.runId, id)).trimEnd();
    if (text.trim().length > 0) run.texts.set(id, text);
    else run.texts.delete(id);
    if (writing) {
      run.writing.add(id);
      run.versions.delete(id);
    } else {
      run.writing.delete(id);
      run.versions.set(id, version);
    }
  }

  /** The run's cache, moved to the most recently used end. */
  private cacheOf(runId: string): RunSummaries {
    const run = this.runs.get(runId) ?? {
      seen: undefined,
      versions: new Map<string, string>(),
      texts: new Map<string, string>(),
      writing: new Set<string>(),
    };
    this.runs.delete(runId);
    this.runs.set(runId, run);
    if (this.runs.size > MAX_CACHED_RUNS) {
      const oldest = this.runs.keys().next().value;
      if (oldest !== undefined) this.runs.delete(oldest);
    }
    let newer = this.runs.size;
    for (const older of this.runs.values()) {
      newer -= 1;
      if (newer < SEEN_RUNS) break;
      older.seen = undefined;
    }
    return run;
  }
}

/** The names in a folder; none when it does not exist (yet). */
function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A file's text; empty when it cannot be read (removed meanwhile). */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
