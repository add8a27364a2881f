/**
 * What must hold after a run survived kills: the run succeeded with every
 * stage succeeded once, the event log replays to `run.json`, no succeeded
 * stage ran again, every line a stage saw in its log is still there, every
 * state file parses and no process of the run is left.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createRun, replay } from '@baton/core';
import type { LoggedEvent, RunState } from '@baton/core';
import type { CrashFiles } from './crashPipeline';
import { processesOfRun } from './procfs';
import { jsonProblems, readJson, readJsonLines } from './stateFiles';

/** One line of the side file. */
export interface SideRecord {
  readonly kind: 'start' | 'flushed' | 'end-ok' | 'end-fail';
  readonly stage: string;
  readonly attempt: number;
  readonly runId: string;
  readonly line?: number;
}

/** What one verified run adds to the campaign's figures. */
export interface RunFigures {
  /** Stage processes started (attempts that really ran). */
  readonly executions: number;
  /** Attempts that ran to `end-ok` but whose success Baton had not recorded when it was killed. */
  readonly unrecordedSuccesses: number;
  /** Lines stages saw in their logs, all found again at the end. */
  readonly flushedLines: number;
  /** Events in the run's event log. */
  readonly events: number;
}

/** Reads the side file's records of `runId`. */
export async function readSideRecords(sideFile: string, runId: string): Promise<SideRecord[]> {
  let text = '';
  try {
    text = await fs.readFile(sideFile, 'utf8');
  } catch {
    return [];
  }
  const records: SideRecord[] = [];
  for (const line of text.split('\n')) {
    const [kind, stage, attempt, id, lineNo] = line.split(' ');
    if (id !== runId || stage === undefined || attempt === undefined) continue;
    records.push({
      kind: kind as SideRecord['kind'],
      stage,
      attempt: Number(attempt),
      runId: id,
      ...(lineNo === undefined ? {} : { line: Number(lineNo) }),
    });
  }
  return records;
}

/**
 * Replays the event log from the state `createRun` gives (the engine's own
 * starting point) and checks, event by event, that no stage ever leaves
 * `succeeded` once it got there. Returns the replayed state.
 */
export function replayChecked(
  final: RunState,
  events: readonly LoggedEvent[],
  interactive: boolean,
): RunState {
  let state: RunState = {
    ...createRun({
      runId: final.runId,
      pipeline: final.pipeline,
      at: final.createdAt,
      interactive,
      defaultConcurrency: final.concurrency,
    }),
    // The run's number is given when the run is created, not by an event.
    ...(final.number === undefined ? {} : { number: final.number }),
  };
  const succeededAt = new Map<string, number>();
  for (const event of events) {
    state = replay(state, [event]);
    for (const stage of Object.values(state.stages)) {
      const before = succeededAt.get(stage.id);
      if (before !== undefined) {
        assert.equal(
          stage.status,
          'succeeded',
          `stage ${stage.id} succeeded at event ${before}, then became ${stage.status} at event ${event.seq}`,
        );
      } else if (stage.status === 'succeeded') {
        succeededAt.set(stage.id, event.seq);
      }
    }
  }
  return state;
}

function checkExecutions(records: readonly SideRecord[], final: RunState): number {
  const starts = records.filter((r) => r.kind === 'start');
  const keys = starts.map((r) => `${r.stage}.${r.attempt}`);
  assert.equal(
    new Set(keys).size,
    keys.length,
    `an attempt number was used twice: ${keys.join(' ')}`,
  );
  let unrecorded = 0;
  for (const stage of Object.values(final.stages)) {
    const mine = records.filter((r) => r.stage === stage.id);
    const later = mine.filter((r) => r.kind === 'start' && r.attempt > stage.attempt);
    assert.deepEqual(
      later,
      [],
      `stage ${stage.id} ran again after its success in attempt ${stage.attempt}`,
    );
    assert.ok(
      mine.some((r) => r.kind === 'end-ok' && r.attempt === stage.attempt),
      `stage ${stage.id}: attempt ${stage.attempt}, which Baton says succeeded, never reached its end`,
    );
    unrecorded += mine.filter((r) => r.kind === 'end-ok' && r.attempt < stage.attempt).length;
  }
  return unrecorded;
}

async function checkLogs(
  files: CrashFiles,
  runId: string,
  records: readonly SideRecord[],
): Promise<number> {
  const logsDir = path.join(files.stateDir, 'runs', runId, 'logs');
  const flushed = records.filter((r) => r.kind === 'flushed');
  const attempts = new Set(
    records.filter((r) => r.kind === 'start').map((r) => `${r.stage}.${r.attempt}`),
  );
  for (const key of attempts) {
    let text = '';
    try {
      text = await fs.readFile(path.join(logsDir, `${key}.log`), 'utf8');
    } catch {
      // An attempt killed before its first line was written may have no log yet.
    }
    const [stage, attempt] = key.split('.');
    const numbers = text
      .split('\n')
      .map((line) => new RegExp(`^${stage} attempt ${attempt} line (\\d+)$`).exec(line)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
      `log ${key}: lines out of order or repeated`,
    );
    const seen = flushed.filter((r) => `${r.stage}.${r.attempt}` === key).map((r) => r.line ?? 0);
    for (const line of seen) {
      assert.ok(
        numbers.includes(line),
        `log ${key} lost line ${line}, which the stage had seen in it`,
      );
    }
  }
  return flushed.length;
}

/**
 * Verifies a finished crash-campaign run (see the module comment).
 * `interactive` is how the run was created (false for `--yes`).
 */
export async function verifyCrashRun(
  files: CrashFiles,
  runId: string,
  interactive: boolean,
): Promise<RunFigures> {
  const runDir = path.join(files.stateDir, 'runs', runId);
  assert.deepEqual(await jsonProblems(files.stateDir), [], 'every state file parses');
  const final = await readJson<RunState>(path.join(runDir, 'run.json'));
  assert.equal(final.status, 'succeeded', `run ${runId}: ${final.reason ?? ''}`);
  for (const id of files.stageIds) {
    assert.equal(final.stages[id]?.status, 'succeeded', `stage ${id} of run ${runId}`);
  }
  const events = await readJsonLines<LoggedEvent>(path.join(runDir, 'events.jsonl'));
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => i + 1),
    'event sequence numbers run 1, 2, 3, … without gaps or repeats',
  );
  assert.deepEqual(
    replayChecked(final, events, interactive),
    final,
    'the event log replays to run.json',
  );
  const records = await readSideRecords(files.sideFile, runId);
  const unrecordedSuccesses = checkExecutions(records, final);
  const flushedLines = await checkLogs(files, runId, records);
  assert.deepEqual(processesOfRun(runId), [], `processes of run ${runId} are left`);
  return {
    executions: records.filter((r) => r.kind === 'start').length,
    unrecordedSuccesses,
    flushedLines,
    events: events.length,
  };
}
