import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Core from '@baton/core';

/** Runs whose stage summaries are kept; the least recently read run goes first. */
const MAX_CACHED_RUNS = 100;
/** Statuses in which a stage may still be writing its `$BATON_SUMMARY`. */
const WRITING = new Set<Core.StageStatus>(['running', 'waiting']);

interface CachedSummary {
  /** Attempt, status and end time of the stage when the text was read. */
  readonly version: string;
  readonly text: string;
}

/**
 * The markdown stages wrote to `$BATON_SUMMARY`, for `baton/getRun`. A stage
 * that is not running cannot change its summary, so its text is read once and
 * kept until the stage's attempt, status or end time changes; only running
 * stages are read on every request. One directory listing tells which stages
 * wrote anything, so stages without a summary cost no file reads.
 *
 * The reads are synchronous on purpose: they are a listing of one small
 * local folder and the few summaries present, microseconds each, while an
 * asynchronous read waits for libuv's thread pool, which stages printing
 * fast keep busy with log writes (measured: 7 ms per `baton/getRun` at the
 * median under an 8-stage flood, against 0.4 ms without the read). So a
 * request is answered in the turn it is read.
 */
export class SummaryCache {
  private readonly runs = new Map<string, Map<string, CachedSummary>>();

  constructor(private readonly summaryFile: (runId: string, stage: string) => string) {}

  /** The run's summaries joined in stage order, or undefined when no stage wrote one. */
  read(state: Core.RunState): string | undefined {
    const first = state.pipeline.stages[0];
    if (first === undefined) return undefined;
    // Every stage's summary lives in one folder: list it instead of trying each stage's file.
    const dir = path.dirname(this.summaryFile(state.runId, first.id));
    const names = listNames(dir);
    if (names.length === 0) return undefined;
    const present = new Set(names);
    const cache = this.cacheOf(state.runId);
    const parts: string[] = [];
    // A stage's file name is its id and this suffix: a unit without a summary
    // costs a set look-up, not a checked path (a getRun of 1,000 units spent
    // 7 ms a request building paths of files that were not there).
    const suffix = path.basename(this.summaryFile(state.runId, first.id)).slice(first.id.length);
    for (const spec of state.pipeline.stages) {
      const stage = state.stages[spec.id];
      if (stage === undefined || !present.has(`${spec.id}${suffix}`)) continue;
      const file = this.summaryFile(state.runId, spec.id);
      const text = this.stageText(cache, file, stage);
      if (text.trim().length > 0) parts.push(text.trimEnd());
    }
    return parts.length === 0 ? undefined : `${parts.join('\n\n')}\n`;
  }

  private stageText(
    cache: Map<string, CachedSummary>,
    file: string,
    stage: Core.StageState,
  ): string {
    const version = `${stage.attempt}|${stage.status}|${stage.endedAt ?? ''}`;
    const cached = cache.get(stage.id);
    if (cached?.version === version) return cached.text;
    const text = readText(file);
    if (WRITING.has(stage.status)) cache.delete(stage.id);
    else cache.set(stage.id, { version, text });
    return text;
  }

  /** The run's cache, moved to the most recently used end. */
  private cacheOf(runId: string): Map<string, CachedSummary> {
    const cache = this.runs.get(runId) ?? new Map<string, CachedSummary>();
    this.runs.delete(runId);
    this.runs.set(runId, cache);
    if (this.runs.size > MAX_CACHED_RUNS) {
      const oldest = this.runs.keys().next().value;
      if (oldest !== undefined) this.runs.delete(oldest);
    }
    return cache;
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
