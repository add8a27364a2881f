/**
 * Hand-written params validators, one per Baton request. Each takes the raw
 * params and returns them typed, or throws `-32602` with `data: { field, reason }`.
 */
import * as P from '@baton/protocol';
import { defined } from './defined';
import { invalidParams } from './rpcErrors';
import { isPlainObject, ParamReader } from './paramReader';
import { RUN_ID_PATTERN } from '../store/runId';
import { parseItemCursor } from './service/itemPages';

/** Baton's own requests: every `ServerRequests` method except the LSP life cycle. */
export type BatonRequestMethod = Exclude<P.ServerRequestMethod, 'initialize' | 'shutdown'>;

/** Params of a Baton request. */
export type ParamsOf<M extends P.ServerRequestMethod> = P.ServerRequests[M]['params'];

/** A validator per Baton request. */
export type Validators = { readonly [M in BatonRequestMethod]: (params: unknown) => ParamsOf<M> };

const RUN_STATUSES: readonly P.RunStatus[] = [
  'queued',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
];
const MAX_SEQ = Number.MAX_SAFE_INTEGER;
const MAX_LOG_SLICE = 16 * 1024 * 1024;

/** `baton/startRun` (and `baton/planRun`) params: the pipeline, inputs and the selection. */
function startRunParams(params: unknown): P.StartRunParams {
  const r = ParamReader.of(params);
  return defined<P.StartRunParams>({
    pipeline: r.string('pipeline'),
    inputs: r.optionalAnswers('inputs'),
    interactive: r.optionalBoolean('interactive'),
    stages: r.optionalIds('stages'),
    from: r.optionalString('from'),
    force: r.optionalForce('force'),
    debug: debugStartOptions(r),
    ...runSecrets(r),
  });
}

/** A `baton/listRuns` cursor: the `nextCursor` of an earlier page, which is a run id. */
function runCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !RUN_ID_PATTERN.test(cursor))
    throw invalidParams('cursor', 'must be the nextCursor of an earlier page');
  return cursor;
}

/** A `baton/listItems` cursor: the `nextCursor` of an earlier page. */
function itemCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && parseItemCursor(cursor) === undefined)
    throw invalidParams('cursor', 'must be the nextCursor of an earlier page');
  return cursor;
}

/** The validators the connection runs before calling a Baton handler. */
export const validators: Validators = {
  [P.ListPipelinesMethod]: (params) => {
    ParamReader.of(params, true);
    return {};
  },
  [P.StartRunMethod]: startRunParams,
  [P.PlanRunMethod]: startRunParams,
  [P.StopRunMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.StopRunParams>({ runId: r.id('runId'), reason: r.optionalString('reason') });
  },
  [P.ResumeRunMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.ResumeRunParams>({
      runId: r.id('runId'),
      dryRun: r.optionalBoolean('dryRun'),
      interactive: r.optionalBoolean('interactive'),
      ...runSecrets(r),
    });
  },
  [P.RetryStageMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.RetryStageParams>({
      runId: r.id('runId'),
      stage: r.stageId('stage'),
      debug: debugOptions(r),
      failedItems: r.optionalBoolean('failedItems'),
      ...runSecrets(r),
    });
  },
  [P.ListRunsMethod]: (params) => {
    const r = ParamReader.of(params, true);
    return defined<P.ListRunsParams>({
      pipeline: r.optionalString('pipeline'),
      status: r.optionalEnumArray('status', RUN_STATUSES),
      limit: r.optionalInt('limit', { min: 1, max: 1000 }),
      cursor: runCursor(r.optionalString('cursor')),
    });
  },
  [P.CompareRunsMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.CompareRunsParams>({
      runId: r.id('runId'),
      baseRunId: r.optionalString('baseRunId') === undefined ? undefined : r.id('baseRunId'),
    });
  },
  [P.GetRunMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.GetRunParams>({
      runId: r.id('runId'),
      recentEvents: r.optionalInt('recentEvents', { min: 0, max: 1000 }),
      allUnits: r.optionalBoolean('allUnits'),
    });
  },
  [P.ListItemsMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.ListItemsParams>({
      runId: r.id('runId'),
      stage: r.stageId('stage'),
      limit: r.optionalInt('limit', { min: 1, max: 1000 }),
      cursor: itemCursor(r.optionalString('cursor')),
    });
  },
  [P.GetRunTimelineMethod]: (params) => ({ runId: ParamReader.of(params).id('runId') }),
  [P.AnswerPromptMethod]: (params) => {
    const r = ParamReader.of(params);
    // Prompt ids are keys like `inputs.pillar` or `stage/name`, never paths, so `/` is fine.
    return { runId: r.id('runId'), promptId: r.string('promptId'), value: r.answer('value') };
  },
  [P.GetEventsMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.GetEventsParams>({
      afterSeq: r.int('afterSeq', { min: 0, max: MAX_SEQ }),
      runId: r.optionalString('runId') === undefined ? undefined : r.id('runId'),
      limit: r.optionalInt('limit', { min: 1, max: 10000 }),
    });
  },
  [P.GetLogMethod]: (params) => {
    const r = ParamReader.of(params);
    return defined<P.GetLogParams>({
      runId: r.id('runId'),
      // The run's own log has a name no stage can have.
      stage: r.string('stage') === P.RUN_LOG_STAGE ? P.RUN_LOG_STAGE : r.stageId('stage'),
      attempt: r.optionalInt('attempt', { min: 1, max: 100000 }),
      offset: r.optionalInt('offset', { min: -MAX_SEQ, max: MAX_SEQ }),
      limit: r.optionalInt('limit', { min: 1, max: MAX_LOG_SLICE }),
    });
  },
  [P.GetLockMethod]: (params) => ({ pipeline: ParamReader.of(params).string('pipeline') }),
  [P.BreakLockMethod]: (params) => ({ pipeline: ParamReader.of(params).string('pipeline') }),
};

/** The `RunSecrets` fields of a request that starts or resumes a run. */
/** `debug: { attach: [runtime…] }` of `baton/retryStage`, if given. */
function debugOptions(r: ParamReader): P.DebugOptions | undefined {
  const debug = r.optionalObject('debug');
  if (debug === undefined) return undefined;
  const attach = debug.optionalEnumArray<P.DebugRuntime>('attach', ['node', 'python']);
  if (attach === undefined) throw invalidParams('debug.attach', 'is required (an array)');
  return { attach };
}

/** `debug: { stage, attach }` of `baton/startRun`, if given. */
function debugStartOptions(r: ParamReader): P.StartRunParams['debug'] {
  const options = debugOptions(r);
  const debug = r.optionalObject('debug');
  return options === undefined || debug === undefined
    ? undefined
    : { stage: debug.id('stage'), ...options };
}

function runSecrets(r: ParamReader): P.RunSecrets {
  return defined<P.RunSecrets>({
    secrets: r.optionalStringMap('secrets'),
    secretsRequired: r.optionalBoolean('secretsRequired'),
  });
}

/** Validates `initialize` params: the fields Baton reads must have the right types; others pass. */
export function validateInitialize(params: unknown): P.InitializeParams {
  const r = ParamReader.of(params);
  const raw = params as Record<string, unknown>;
  if (
    raw.processId !== null &&
    r.optionalInt('processId', { min: 1, max: 2 ** 32 }) === undefined
  ) {
    throw invalidParams('processId', 'is required (an integer or null)');
  }
  const options = raw.initializationOptions;
  if (options !== undefined && options !== null) {
    const o = ParamReader.of(options, false, 'initializationOptions');
    o.optionalString('stateDir');
    o.optionalBoolean('trusted');
    o.optionalInt('concurrency', { min: 1, max: 1024 });
    o.optionalInt('liveLogBytesPerSecond', { min: 1024, max: Number.MAX_SAFE_INTEGER });
  }
  const folders = raw.workspaceFolders;
  if (folders !== undefined && folders !== null) {
    if (!Array.isArray(folders) || !folders.every(isWorkspaceFolder)) {
      throw invalidParams('workspaceFolders', 'expected an array of { uri, name }');
    }
  }
  for (const field of ['rootUri', 'rootPath'] as const) {
    const value = raw[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw invalidParams(field, 'expected a string or null');
    }
  }
  return raw as unknown as P.InitializeParams;
}

function isWorkspaceFolder(value: unknown): value is P.WorkspaceFolder {
  return isPlainObject(value) && typeof value.uri === 'string' && typeof value.name === 'string';
}
