import { HeapGrowthPolicy } from '../heapGrowth';
import { remoteExecutorsFor } from '../../executor/remoteExecutors';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as P from '@baton/protocol';
import { RUN_LOG_STAGE } from '@baton/protocol';
import { Engine } from '../../engine/engine';
import type { Connection } from '../connection';
import { createBatonHandlers } from './batonHandlers';
import { DEFAULT_FEED_CAPACITY, EventFeed } from './eventFeed';
import { ExpectedDurations } from './expectedDurations';
import { ExternalRunWatcher } from '../../workspace/externalRuns';
import { FeedJournal } from './feedJournal';
import { liveLogLimits, type LiveLogLimits } from './liveLogBudget';
import { LogCoalescer } from './logCoalescer';
import { PipelineCatalog } from '../../workspace/pipelineCatalog';
import { startLanguageServer, type LanguageServer } from '../../language/languageServer';
import { runStoreHistory } from '../../language/runHistory';
import { RunTracker } from './runTracker';
import { Scheduler } from '../../workspace/scheduler';
import { stageDirOf, toWireAnnotation } from './wire';

/** How long shutdown waits for owned runs to be interrupted. */
const INTERRUPT_TIMEOUT_MS = 10_000;

/** Settings the service starts with. */
export interface ServiceSettings {
  /** State dir given on the command line; `initializationOptions.stateDir` wins over it. */
  readonly stateDir?: string;
}

/**
 * Everything behind the connection once `initialize` arrived: the engine,
 * the event feed, log coalescing, progress, and the pipeline catalog.
 */
export class BatonService {
  private readonly disposers: (() => void | Promise<void>)[] = [];

  private readonly logs: LogCoalescer;
  private readonly external: ExternalRunWatcher;
  private language: LanguageServer | undefined;

  private constructor(
    readonly engine: Engine,
    private readonly localRuns: LocalRuns,
    readonly feed: EventFeed,
    readonly catalog: PipelineCatalog,
    readonly tracker: RunTracker,
    connection: Connection,
    liveLog: LiveLogLimits,
  ) {
    this.logs = new LogCoalescer(
      {
        send: (params) =>
          void connection.notify('baton/didAppendLog', { seq: feed.lastSeq, ...params }),
        backlog: () => connection.backlog(),
      },
      { limits: liveLog },
    );
    this.external = new ExternalRunWatcher(engine, feed, this.logs, connection.logger);
  }

  /** Sets up the service for the workspace named in `initialize` and installs the handlers. */
  static async start(
    connection: Connection,
    params: P.InitializeParams,
    settings: ServiceSettings,
  ): Promise<BatonService> {
    const folders = workspaceFolders(params);
    const options = params.initializationOptions ?? {};
    const engine = await createEngine(folders[0] ?? process.cwd(), options, settings);
    const now = (): number => Date.now();
    const localRuns = new LocalRuns(engine);
    const durations = new ExpectedDurations((pipelineId) => engine.files.listRuns({ pipelineId }));
    const feed = await createFeed(connection, localRuns, durations);
    // Run changes gathered for one didChangeRun go out before any other notification (a run's
    // progress end, its log), so a client never hears of an effect before the change itself.
    connection.beforeNotify((method) => {
      if (method !== 'baton/didChangeRun') feed.flush();
    });
    const catalog = new PipelineCatalog(folders, connection.logger);
    const tracker = new RunTracker(connection, hasWorkDoneProgress(params), now);
    const liveLog = liveLogLimits(options.liveLogBytesPerSecond);
    const service = new BatonService(
      engine,
      localRuns,
      feed,
      catalog,
      tracker,
      connection,
      liveLog,
    );
    service.wireEngine(connection);
    const language = service.startLanguage(connection, now);
    const pipelines = await catalog.scan();
    language.catalogChanged(pipelines);
    const trusted = options.trusted !== false;
    // An untrusted workspace runs nothing, scheduled runs included.
    const scheduler = trusted ? new Scheduler(engine, tracker, connection) : undefined;
    void scheduler?.arm(pipelines);
    await catalog.watch((changed) => {
      void connection.notify('baton/didChangePipelines', { seq: feed.lastSeq, pipelines: changed });
      language.catalogChanged(changed);
      void scheduler?.arm(changed);
    });
    service.disposers.push(() => catalog.dispose());
    service.disposers.push(() => scheduler?.dispose());
    const recovered = recoverInterruptedRuns(engine, connection);
    connection.setHandlers(
      createBatonHandlers({
        engine,
        feed,
        catalog,
        tracker,
        trusted,
        isLocal: (runId) => localRuns.has(runId),
        now,
        durations,
        recovered,
        warn: (message) => connection.logger.warn(message),
      }),
    );
    void service.seedFromDisk(connection, recovered);
    return service;
  }

  /** Stops watching and interrupts the runs this server owns (they stay resumable). */
  async shutdown(): Promise<void> {
    for (const dispose of this.disposers.splice(0).reverse()) await dispose();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, INTERRUPT_TIMEOUT_MS)),
    );
    await Promise.race([this.engine.interruptAll('the Baton server shut down'), timeout]);
    clearTimeout(timer);
    // Last: interrupting the runs still adds events to the feed.
    await this.feed.dispose();
  }

  /** The language server for pipeline files, on the same connection; past runs come from the run store. */
  private startLanguage(connection: Connection, now: () => number): LanguageServer {
    const language = startLanguageServer(connection, {
      history: runStoreHistory(this.engine.files),
      now,
    });
    this.language = language;
    this.disposers.push(() => language.dispose());
    return language;
  }

  /** The client sent `initialized`: the language server may publish diagnostics of files on disk. */
  initialized(): void {
    this.language?.ready();
  }

  /** Stops a run whose progress the user cancelled in the client. */
  cancelProgress(token: string | number): void {
    const runId = this.tracker.runOfToken(token);
    if (runId !== undefined)
      void this.engine.stopRun(runId, 'rpc', 'cancelled from the progress').catch(() => undefined);
  }

  private wireEngine(connection: Connection): void {
    const { engine, feed, tracker, logs, external, localRuns } = this;
    const subscriptions = [
      engine.on('runChanged', ({ state, changes }) => {
        localRuns.add(state.runId);
        external.markLocal(state.runId);
        logs.flush();
        feed.applyChanges(state, changes);
        tracker.changed(state);
      }),
      // The batch itself, not its text: only what is sent of it gets decoded.
      engine.on('log', (batch) => logs.append(batch.runId, batch.stage, batch.attempt, batch)),
      // The run's own notes go the same way, so they keep their place among the stages' output.
      engine.on('runLog', (note) => logs.append(note.runId, RUN_LOG_STAGE, 1, note)),
      engine.on('annotation', ({ runId, stage, attempt, annotation }) => {
        const state = feed.runState(runId);
        const wire = toWireAnnotation(annotation, state && stageDirOf(state, stage));
        if (wire !== undefined) feed.annotated(runId, stage, attempt, wire, Date.now());
      }),
      engine.on(
        'debugTarget',
        (told) =>
          void connection.notify('baton/didOpenDebugTarget', { seq: feed.lastSeq, ...told }),
      ),
      engine.on('problem', ({ runId, message }) =>
        connection.logger.warn(runId === undefined ? message : `${runId}: ${message}`),
      ),
    ];
    this.disposers.push(() => {
      logs.dispose();
      for (const subscription of subscriptions) subscription.dispose();
    });
  }

  /** Marks runs of dead owners interrupted, then follows the runs on disk (other processes' runs live). */
  private async seedFromDisk(connection: Connection, recovered: Promise<void>): Promise<void> {
    try {
      await recovered;
      await this.external.start();
      this.disposers.push(() => this.external.dispose());
    } catch (error) {
      connection.logger.error('Reading the runs in the state dir failed', error);
    }
  }
}

/** Marks runs of dead owners interrupted; a failure is logged, never thrown. */
function recoverInterruptedRuns(engine: Engine, connection: Connection): Promise<void> {
  return engine.recoverInterruptedRuns().then(
    () => undefined,
    (error: unknown) =>
      connection.logger.error('Marking runs of dead owners interrupted failed', error),
  );
}

/** The event feed, with its journal on disk when one can be made. */
async function createFeed(
  connection: Connection,
  localRuns: LocalRuns,
  durations: ExpectedDurations,
): Promise<EventFeed> {
  const feed = new EventFeed(
    (method, body) => connection.notify(method, body),
    (runId) => localRuns.has(runId),
    DEFAULT_FEED_CAPACITY,
    await createJournal(connection),
    durations,
  );
  // The server's heap is bounded while a large run is live (see heapGrowth.ts).
  const heapGrowth = new HeapGrowthPolicy();
  feed.onChanges((changes) => heapGrowth.follow(changes.map((change) => change.after)));
  return feed;
}

/** The feed's journal on disk; without one, `getEvents` still serves the ring. */
async function createJournal(connection: Connection): Promise<FeedJournal | undefined> {
  try {
    return await FeedJournal.create();
  } catch (error) {
    connection.logger.warn(
      `No event journal on disk: getEvents keeps the newest events only (${String(error)})`,
    );
    return undefined;
  }
}

/**
 * The runs this server's engine has run. The engine lets go of a run just
 * before announcing its final state, so "owned by the engine" alone would call
 * a run this server ran external at its very end; every reply and
 * notification asks this set instead, so they agree.
 */
class LocalRuns {
  private readonly runs = new Set<string>();

  constructor(private readonly engine: Engine) {}

  /** Remembers a run the engine reported a change of. */
  add(runId: string): void {
    this.runs.add(runId);
  }

  /** Whether this server runs or ran the run. */
  has(runId: string): boolean {
    return this.runs.has(runId) || this.engine.ownsRun(runId);
  }
}

/** Workspace folder paths from `workspaceFolders`, else `rootUri`, else `rootPath`. */
function workspaceFolders(params: P.InitializeParams): string[] {
  const uris =
    params.workspaceFolders?.map((folder) => folder.uri) ??
    (params.rootUri ? [params.rootUri] : []);
  const paths = uris.flatMap((uri) => (uri.startsWith('file:') ? [fileURLToPath(uri)] : []));
  if (paths.length === 0 && typeof params.rootPath === 'string') paths.push(params.rootPath);
  return paths.map((folder) => path.resolve(folder));
}

/** Whether the client said it handles server-initiated work-done progress. */
function hasWorkDoneProgress(params: P.InitializeParams): boolean {
  const window = params.capabilities.window as { workDoneProgress?: unknown } | undefined;
  return window?.workDoneProgress === true;
}

/** The engine of the workspace whose first folder is `root`, with its state dir. */
async function createEngine(
  root: string,
  options: NonNullable<P.InitializeParams['initializationOptions']>,
  settings: ServiceSettings,
): Promise<Engine> {
  const stateDir = path.resolve(root, options.stateDir ?? settings.stateDir ?? '.baton');
  return new Engine({
    stateDir,
    // The editor's server takes the bullmq executor's Redis from its environment only.
    executors: await remoteExecutorsFor(process.env.BATON_REDIS_URL || undefined),
    ...(options.concurrency === undefined ? {} : { defaultConcurrency: options.concurrency }),
  });
}
