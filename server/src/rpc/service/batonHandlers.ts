/** The Baton request handlers: the protocol's methods over the engine, the feed and the catalog. */
import { isStoppedRunStatus } from '@baton/core';
import type { RunSelection } from '@baton/core';
import { defined } from '../defined';
import * as P from '@baton/protocol';
import type { Engine } from '../../engine/engine';
import type { SecretOptions } from '../../engine/run/givenSecrets';
import type { RequestContext, RequestHandlers } from '../connection';
import { rpcError } from '../rpcErrors';
import type { EventFeed } from './eventFeed';
import { toLockInfo, toRpcError, type ErrorContext } from './toRpcError';
import type { PipelineCatalog } from '../../workspace/pipelineCatalog';
import type { RunTracker } from './runTracker';
import type { ExpectedDurations } from './expectedDurations';
import { createHistoryHandlers } from './historyHandlers';
import { SummaryCache } from './summaryCache';
import { requireDebuggable } from './debuggableStage';
import { RunTimelines } from './timeline/runTimelines';
import { failedItemsOf } from './failedItems';
import { toResumePlan, toRunSnapshot } from './wire';
import { listItems } from './listItems';
import { PlanMemory, racyWindowOf } from '../../incremental/planMemory';

/** What the handlers work with. */
export interface HandlerDeps {
  readonly engine: Engine;
  readonly feed: EventFeed;
  readonly catalog: PipelineCatalog;
  readonly tracker: RunTracker;
  readonly trusted: boolean;
  /** Whether this server runs or ran a run (`RunSummary.local`). */
  readonly isLocal: (runId: string) => boolean;
  readonly now: () => number;
  /** How long stages usually take, from past runs. */
  readonly durations: ExpectedDurations;
  /**
   * Settles once the start-up recovery (marking runs of dead owners
   * interrupted) is done. Run requests wait for it: the recovery holds each
   * run's owner lock for a moment, and a resume then would be refused.
   */
  readonly recovered: Promise<void>;
  /** Logs a warning in the server's output (`window/logMessage`). */
  readonly warn: (message: string) => void;
}

const RUN: ErrorContext = {
  notFound: P.ErrorCodes.RunNotFound,
  invalidState: P.ErrorCodes.RunNotResumable,
  inputField: 'inputs',
};

/** Runs `work`, turning engine refusals into protocol errors. */
async function engineCall<T>(context: ErrorContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toRpcError(error, context);
  }
}

function requireTrust(deps: HandlerDeps): void {
  if (!deps.trusted) {
    throw rpcError(
      P.ErrorCodes.WorkspaceUntrusted,
      'The workspace is not trusted: Baton runs nothing in it',
    );
  }
}

/** Builds the handler table; requests about runs wait for the start-up recovery. */
export function createBatonHandlers(deps: HandlerDeps): RequestHandlers {
  const runHandlers = afterRecovery(deps.recovered, {
    ...runControlHandlers(deps),
    ...promptAndRunQueries(deps),
    ...timelineHandlers(deps),
    ...createHistoryHandlers(deps),
  });
  return { ...runHandlers, ...feedAndLockQueries(deps) };
}

/** `baton/getRunTimeline`: the run's event log folded into its timeline. */
function timelineHandlers(deps: HandlerDeps): RequestHandlers {
  const { engine, durations, feed } = deps;
  const timelines = new RunTimelines({
    runState: (runId) => engine.getRunState(runId),
    eventsWritten: (runId) => engine.eventsWritten(runId),
    readEvents: (runId, afterSeq) => engine.files.readEvents(runId, afterSeq),
    expectedMs: (pipeline, stage) => durations.expectedMs(pipeline, stage),
  });
  feed.onChanges((changes) => timelines.follow(changes));
  return {
    'baton/getRunTimeline': async (params) => {
      const state = await engineCall(RUN, () => engine.getRunState(params.runId));
      await durations.load(state.pipeline.id);
      return engineCall(RUN, () => timelines.timeline(params.runId));
    },
  };
}

/** Wraps each handler so it first waits for `recovered`. */
function afterRecovery(recovered: Promise<void>, handlers: RequestHandlers): RequestHandlers {
  const wrapped: Record<string, unknown> = {};
  for (const [method, handler] of Object.entries(handlers)) {
    const call = handler as (params: unknown, context: RequestContext) => unknown;
    wrapped[method] = async (params: unknown, context: RequestContext) => {
      await recovered;
      return call(params, context);
    };
  }
  return wrapped as RequestHandlers;
}

/** Starting, stopping, resuming and retrying runs. */
function runControlHandlers(deps: HandlerDeps): RequestHandlers {
  const { engine, tracker } = deps;
  // Plans kept between requests: the editor's plan preview checks the same pipeline again and again.
  const plans = new PlanMemory(racyWindowOf(process.env));
  return {
    'baton/startRun': (params) => startRun(deps, params),
    'baton/planRun': (params) => planRun(deps, plans, params),
    'baton/stopRun': async (params) => {
      const context = { ...RUN, invalidState: P.ErrorCodes.RunNotActive };
      const state = await engineCall(context, () => engine.getRunState(params.runId));
      // A run that reached a final status may still be winding down here: it is over all the same.
      const ended = isStoppedRunStatus(state.status);
      const outcome = ended
        ? 'alreadyFinished'
        : await engineCall(context, () => engine.stopRun(params.runId, 'rpc', params.reason));
      if (outcome === 'alreadyFinished') {
        throw rpcError(
          P.ErrorCodes.RunNotActive,
          `Run ${params.runId} already ended (${state.status})`,
        );
      }
      return {};
    },
    'baton/resumeRun': async (params) => {
      requireTrust(deps);
      if (params.dryRun === true) {
        const plan = await engineCall(RUN, () => engine.planResume(params.runId));
        if (!plan.resumable)
          throw rpcError(P.ErrorCodes.RunNotResumable, plan.reason ?? 'not resumable');
        return { runId: params.runId, plan: toResumePlan(plan) };
      }
      const handle = await engineCall(RUN, () =>
        engine.resumeRun(params.runId, {
          interactive: params.interactive ?? true,
          ...secretOptions(params),
        }),
      );
      tracker.track(await engine.getRunState(handle.runId), handle.finished);
      return { runId: handle.runId, plan: toResumePlan(handle.plan) };
    },
    'baton/retryStage': (params) => retryStage(deps, params),
  };
}

/** Listing and reading runs, answering prompts. */
function promptAndRunQueries(deps: HandlerDeps): RequestHandlers {
  const { engine, feed } = deps;
  const summaries = new SummaryCache((runId, stage) => engine.files.stageSummaryFile(runId, stage));
  return {
    'baton/getRun': async (params) => {
      const state = await engineCall(RUN, () => engine.getRunState(params.runId));
      // The snapshot's seq and recent events are taken with the state, before
      // anything else is awaited: a seq read later would claim events the state
      // does not hold yet, and a client would drop them as already seen.
      const seq = feed.lastSeq;
      const recentEvents = feed.recent(state.runId, params.recentEvents ?? 50);
      const summary = summaries.read(state);
      await deps.durations.load(state.pipeline.id);
      return toRunSnapshot(state, {
        local: deps.isLocal(state.runId),
        seq,
        recentEvents,
        ...(summary === undefined ? {} : { summary }),
        expectedMs: (stageId) => deps.durations.expectedMs(state.pipeline.id, stageId),
        allUnits: params.allUnits === true,
      });
    },
    'baton/listItems': async (params) => {
      const state = await engineCall(RUN, () => engine.getRunState(params.runId));
      await deps.durations.load(state.pipeline.id);
      return listItems(state, params, (stageId) =>
        deps.durations.expectedMs(state.pipeline.id, stageId),
      );
    },
    'baton/answerPrompt': async (params) => {
      const state = await engineCall(RUN, () => engine.getRunState(params.runId));
      if (
        state.prompts[params.promptId] === undefined &&
        feed.wasClosed(params.runId, params.promptId)
      ) {
        throw rpcError(P.ErrorCodes.PromptClosed, `Prompt ${params.promptId} is already closed`);
      }
      const context: ErrorContext = {
        notFound: P.ErrorCodes.PromptNotFound,
        invalidState: P.ErrorCodes.RunNotActive,
        inputField: 'value',
      };
      await engineCall(context, () =>
        engine.answerPrompt(params.runId, params.promptId, { value: params.value }, 'rpc'),
      );
      return {};
    },
  };
}

/** The event feed, logs, pipelines and locks. */
function feedAndLockQueries(deps: HandlerDeps): RequestHandlers {
  const { engine, feed, catalog } = deps;
  return {
    'baton/listPipelines': () => ({ pipelines: catalog.list() }),
    'baton/getEvents': (params) => feed.getEvents(params),
    'baton/getLog': async (params) => readLog(engine, params),
    'baton/getLock': async (params) => {
      const id = pipelineIdOf(catalog, params.pipeline);
      const owner = await engineCall(RUN, () => engine.files.readPipelineLock(id));
      return { lock: owner === undefined ? null : toLockInfo(id, owner) };
    },
    'baton/breakLock': async (params) => {
      await deps.recovered;
      const id = pipelineIdOf(catalog, params.pipeline);
      const owner = await engineCall(RUN, () => engine.files.readPipelineLock(id));
      if (owner === undefined)
        throw rpcError(P.ErrorCodes.LockNotFound, `Pipeline ${id} has no lock`);
      const lock = toLockInfo(id, owner);
      if (!lock.stale)
        throw rpcError(P.ErrorCodes.LockHeld, `A live process holds the lock of ${id}`, { lock });
      await engine.files.breakPipelineLock(id);
      return { broken: lock };
    },
  };
}

/** The run selection of `baton/startRun` params; with `debug`, the debugged stage (forced) and what it needs. */
function selectionOf(params: P.StartRunParams): RunSelection {
  const debugged = params.debug?.stage;
  if (debugged !== undefined) return { stages: [debugged], force: [debugged] };
  return defined<RunSelection>({ stages: params.stages, from: params.from, force: params.force });
}

/** What a run would run and skip, and why; nothing runs. A plan nothing has changed since is kept. */
async function planRun(
  deps: HandlerDeps,
  plans: PlanMemory,
  params: P.PlanRunParams,
): Promise<P.PlanRunResult> {
  const file = await validPipelineFile(deps, params.pipeline);
  const request = {
    file,
    selection: selectionOf(params),
    ...(params.inputs === undefined ? {} : { inputs: params.inputs }),
  };
  const plan = await engineCall(RUN, () =>
    plans.plan(request, (witness) => deps.engine.planRun({ ...request, witness })),
  );
  const steps = plan.units.map((u) => ({ stage: u.unit, action: u.action, reason: u.reason }));
  return { plan: { steps, warnings: plan.warnings } };
}

/** Runs one stage of an ended run again (only its failed items, or under a debugger, when asked). */
async function retryStage(
  deps: HandlerDeps,
  params: P.RetryStageParams,
): Promise<P.RetryStageResult> {
  const { engine, tracker } = deps;
  requireTrust(deps);
  const state = await engineCall(RUN, () => engine.getRunState(params.runId));
  if (state.stages[params.stage] === undefined) {
    throw rpcError(P.ErrorCodes.StageNotFound, `Run ${params.runId} has no stage ${params.stage}`);
  }
  if (params.debug !== undefined) requireDebuggable(state.pipeline, params.stage, params.debug);
  const rerun = params.failedItems === true ? failedItemsOf(state, params.stage) : [params.stage];
  const handle = await engineCall(RUN, () =>
    engine.resumeRun(params.runId, {
      rerun,
      ...(params.debug === undefined ? {} : { debugStage: params.stage }),
      interactive: true,
      ...secretOptions(params),
    }),
  );
  tracker.track(await engine.getRunState(handle.runId), handle.finished);
  return { runId: handle.runId, plan: toResumePlan(handle.plan) };
}

/** Starts a run of a pipeline of the catalog (or a pipeline file inside the workspace). */
async function startRun(deps: HandlerDeps, params: P.StartRunParams): Promise<P.StartRunResult> {
  const { engine, tracker } = deps;
  requireTrust(deps);
  const file = await validPipelineFile(deps, params.pipeline);
  const handle = await engineCall(RUN, () =>
    engine.startRun({
      file,
      interactive: params.interactive ?? true,
      selection: selectionOf(params),
      ...debugStart(params.debug),
      ...(params.inputs === undefined ? {} : { inputs: params.inputs, inputsBy: 'rpc' }),
      ...secretOptions(params),
    }),
  );
  tracker.track(await engine.getRunState(handle.runId), handle.finished);
  return { runId: handle.runId };
}

/** What `debug` on `baton/startRun` asks of the engine: the stage to debug, checked first. */
function debugStart(debug: P.StartRunParams['debug']): Partial<Parameters<Engine['startRun']>[0]> {
  if (debug === undefined) return {};
  return {
    debugStage: debug.stage,
    checkPipeline: (pipeline) => requireDebuggable(pipeline, debug.stage, debug),
  };
}

/** The file of a valid pipeline of the catalog (or inside the workspace), else the matching error. */
async function validPipelineFile(deps: HandlerDeps, reference: string): Promise<string> {
  const { catalog } = deps;
  const pipeline = catalog.resolve(reference) ?? (await catalog.resolveFile(reference));
  if (pipeline === undefined) {
    throw rpcError(
      P.ErrorCodes.PipelineNotFound,
      `No pipeline ${JSON.stringify(reference)} in the workspace`,
    );
  }
  if (!pipeline.valid) {
    throw rpcError(P.ErrorCodes.PipelineInvalid, `${pipeline.file} has errors`, {
      diagnostics: pipeline.diagnostics,
    });
  }
  return pipeline.file;
}

/** The secrets a request gives, for the engine (which keeps them in memory only). */
function secretOptions(params: P.RunSecrets): SecretOptions {
  return {
    ...(params.secrets === undefined ? {} : { secrets: params.secrets }),
    ...(params.secretsRequired === undefined ? {} : { secretsRequired: params.secretsRequired }),
  };
}

/** The id of a pipeline of the catalog, by id or file; PipelineNotFound otherwise. */
function pipelineIdOf(catalog: PipelineCatalog, reference: string): string {
  const pipeline = catalog.resolve(reference);
  if (pipeline === undefined) {
    throw rpcError(
      P.ErrorCodes.PipelineNotFound,
      `No pipeline ${JSON.stringify(reference)} in the workspace`,
    );
  }
  return pipeline.id;
}

/** Reads a slice of a stage attempt's log; a missing log reads as empty. */
async function readLog(engine: Engine, params: P.GetLogParams): Promise<P.GetLogResult> {
  const state = await engineCall(RUN, () => engine.getRunState(params.runId));
  if (params.stage === P.RUN_LOG_STAGE) {
    const slice = await engine.files.readRunLog(
      params.runId,
      params.offset ?? 0,
      params.limit ?? 1024 * 1024,
    );
    const { text, offset, nextOffset, size } = slice;
    return { attempt: 1, text, offset, nextOffset, size };
  }
  const stage = state.stages[params.stage];
  if (stage === undefined)
    throw rpcError(P.ErrorCodes.StageNotFound, `Run ${params.runId} has no stage ${params.stage}`);
  const attempt = params.attempt ?? Math.max(1, stage.attempt);
  const limit = params.limit ?? 1024 * 1024;
  const slice = await engine.files.readLog(
    params.runId,
    params.stage,
    attempt,
    params.offset ?? 0,
    limit,
  );
  const { text, offset, nextOffset, size } = slice;
  return { attempt, text, offset, nextOffset, size };
}
