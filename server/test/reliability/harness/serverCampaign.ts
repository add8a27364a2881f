/**
 * The crash campaign against the server: start a run over JSON-RPC, `kill -9`
 * the server at a random moment, start a new server, `baton/resumeRun`, and
 * repeat until the run finishes; then verify it like the CLI campaign does.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type * as P from '@baton/protocol';
import { verifyCrashRun } from './crashChecks';
import type { CrashFiles } from './crashPipeline';
import { CRASH_PIPELINE_ID } from './crashPipeline';
import type { Random } from './random';
import { rpcErrorCode, startServer, stopServer } from './serverSession';
import type { ServerSession } from './serverSession';

/** What a server campaign did. */
export interface ServerCampaignFigures {
  kills: number;
  runs: number;
  servers: number;
  executions: number;
  unrecordedSuccesses: number;
  flushedLines: number;
  answeredOverRpc: number;
  /**
   * `baton/resumeRun` calls refused because the new server's own start-up
   * recovery held the run's owner lock (a known bug, see docs/reliability.md); retried.
   */
  refusedBySelf: number;
}

/** Options of `runServerCampaign`. */
export interface ServerCampaignOptions {
  readonly files: CrashFiles;
  readonly random: Random;
  readonly kills: number;
  readonly maxKillDelayMs: number;
  readonly log?: (line: string) => void;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** `LockHeld` in docs/protocol.md. */
const LOCK_HELD = -32018;

/** Answers every prompt the server opens with `true` over RPC. */
function answerOverRpc(session: ServerSession, figures: ServerCampaignFigures): void {
  session.connection.onNotification('baton/didOpenPrompt', (params: P.DidOpenPromptParams) => {
    session.connection
      .sendRequest('baton/answerPrompt', {
        runId: params.runId,
        promptId: params.promptId,
        value: true,
      })
      .then(
        () => figures.answeredOverRpc++,
        // The server may be killed before it answers; the prompt is asked again after resume.
        () => undefined,
      );
  });
}

/**
 * Resolves with the final status the server reports for `runId`, polling
 * `baton/getRun`; with `gone` once the server process has ended.
 */
async function finalStatus(session: ServerSession, runId: string): Promise<string> {
  while (session.child.exitCode === null && session.child.signalCode === null) {
    try {
      const run = await session.connection.sendRequest<P.GetRunResult>('baton/getRun', {
        runId,
        recentEvents: 0,
      });
      if (FINAL.has(run.status)) return run.status;
    } catch {
      return 'gone';
    }
    await delay(50);
  }
  return 'gone';
}

/** Whether `error` is a LockHeld error naming the server process itself as the owner. */
export function isRefusedBySelf(error: unknown, session: ServerSession): boolean {
  const data = (error as { data?: { lock?: { pid?: unknown } } }).data;
  return rpcErrorCode(error) === LOCK_HELD && data?.lock?.pid === session.child.pid;
}

/** `baton/resumeRun`, retried while the server's own start-up recovery holds the run. */
async function resumeRun(
  session: ServerSession,
  runId: string,
  interactive: boolean,
  figures: ServerCampaignFigures,
): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      await session.connection.sendRequest<P.ResumeRunResult>('baton/resumeRun', {
        runId,
        interactive,
      });
      return;
    } catch (error) {
      if (!isRefusedBySelf(error, session) || tries >= 100) throw error;
      figures.refusedBySelf++;
      await delay(100);
    }
  }
}

/** A server launched for the run; `finished` when the run had already succeeded. */
interface Launched {
  readonly session: ServerSession;
  readonly runId: string;
  readonly interactive: boolean;
  readonly finished: boolean;
}

/**
 * Starts a server and, with it, the run (first time) or its resumption.
 * Before resuming it asks the new server how the run stands, as a client
 * would: the killed server may have logged the run's end without writing
 * `run.json` again, and a finished run is not resumable.
 */
async function launch(
  options: ServerCampaignOptions,
  figures: ServerCampaignFigures,
  runId: string | undefined,
): Promise<Launched> {
  const session = await startServer({
    workspace: options.files.workspace,
    stateDir: options.files.stateDir,
  });
  figures.servers++;
  const interactive = options.random.chance(0.5);
  if (interactive) answerOverRpc(session, figures);
  try {
    if (runId === undefined) {
      const started = await session.connection.sendRequest<P.StartRunResult>('baton/startRun', {
        pipeline: CRASH_PIPELINE_ID,
        interactive,
      });
      return { session, runId: started.runId, interactive, finished: false };
    }
    const run = await session.connection.sendRequest<P.GetRunResult>('baton/getRun', {
      runId,
      recentEvents: 0,
    });
    if (run.status === 'succeeded') return { session, runId, interactive, finished: true };
    await resumeRun(session, runId, interactive, figures);
    return { session, runId, interactive, finished: false };
  } catch (error) {
    await session.kill();
    throw error;
  }
}

/** Drives one run to success through server kills; returns its id and how it was created. */
async function driveOneRun(
  options: ServerCampaignOptions,
  figures: ServerCampaignFigures,
): Promise<{ runId: string; interactiveAtCreation: boolean }> {
  let runId: string | undefined;
  let interactiveAtCreation = false;
  for (;;) {
    const started = await launch(options, figures, runId);
    if (runId === undefined) interactiveAtCreation = started.interactive;
    runId = started.runId;
    if (started.finished) {
      await stopServer(started.session);
      break;
    }
    const wait = options.random.int(0, options.maxKillDelayMs);
    let outcome: string;
    try {
      outcome = await Promise.race([
        finalStatus(started.session, runId),
        delay(wait).then(() => 'kill'),
      ]);
    } catch (error) {
      await started.session.kill();
      throw error;
    }
    if (outcome === 'kill') {
      await started.session.kill();
      figures.kills++;
      options.log?.(`server kill ${figures.kills}: run ${runId}`);
      continue;
    }
    await stopServer(started.session);
    if (outcome !== 'succeeded') throw new Error(`run ${runId} ended ${outcome}`);
    break;
  }
  if (runId === undefined) throw new Error('no run was started');
  return { runId, interactiveAtCreation };
}

/** Runs the server campaign and returns its figures. */
export async function runServerCampaign(
  options: ServerCampaignOptions,
): Promise<ServerCampaignFigures> {
  const figures: ServerCampaignFigures = {
    kills: 0,
    runs: 0,
    servers: 0,
    executions: 0,
    unrecordedSuccesses: 0,
    flushedLines: 0,
    answeredOverRpc: 0,
    refusedBySelf: 0,
  };
  while (figures.kills < options.kills) {
    const { runId, interactiveAtCreation } = await driveOneRun(options, figures);
    const verified = await verifyCrashRun(options.files, runId, interactiveAtCreation);
    figures.runs++;
    figures.executions += verified.executions;
    figures.unrecordedSuccesses += verified.unrecordedSuccesses;
    figures.flushedLines += verified.flushedLines;
    options.log?.(`run ${runId} verified after ${figures.kills} server kills in all`);
  }
  return figures;
}
