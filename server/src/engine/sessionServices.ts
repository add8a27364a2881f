import { RecordStore } from '../incremental/recordStore';
import { spawnStage } from '../process/spawnStage';
import type { SpawnStageOptions } from '../process/spawnStage';
import { SPAWNER_VARIABLE, warmSpawner } from '../process/stageSpawner';
import { createExecutorSet } from '../executor/executorSet';
import { createLocalExecutor } from '../executor/localExecutor';
import type { RunStore } from '../store/runStore';
import { systemClock } from './clock';
import { defaultOutputServices } from './defaultServices';
import type { EngineEvents } from './engineEvents';
import { DEFAULT_ATTEMPT_SETTINGS } from './engineOptions';
import type { EngineOptions } from './engineOptions';
import type { SessionServices } from './run/runSession';
import type { TypedEmitter } from './typedEmitter';

/** The services an engine hands to every run it owns, and how their stages start. */
export interface EngineServices {
  readonly services: SessionServices;
  /** Whether stages start through the stage spawner (`BATON_SPAWNER=1`, no test stand-in for `spawn`). */
  readonly spawnsStages: boolean;
}

/**
 * The engine's shared services from its options: the defaults, with the
 * parts a test stands in for replaced, and stages started by `spawnStage`
 * (through the stage spawner when `BATON_SPAWNER=1`).
 */
export function createSessionServices(
  options: EngineOptions,
  store: RunStore,
  emitter: TypedEmitter<EngineEvents>,
): EngineServices {
  // With `BATON_SPAWNER=1`, stages start through the small spawner process
  // instead of a fork of the engine (stageSpawner.ts; off by default: see
  // docs/benchmarks.md, "Issue 13: per-item start-up").
  const spawnsStages =
    options.services?.spawn === undefined && process.env[SPAWNER_VARIABLE] === '1';
  const spawner = spawnsStages;
  const spawn =
    options.services?.spawn ?? ((launch: SpawnStageOptions) => spawnStage({ ...launch, spawner }));
  const services: SessionServices = {
    store,
    clock: options.clock ?? systemClock,
    emitter,
    settings: { ...DEFAULT_ATTEMPT_SETTINGS, ...options.settings },
    baseEnv: options.baseEnv ?? process.env,
    spawn,
    executors: createExecutorSet(createLocalExecutor(spawn), options.executors),
    record: new RecordStore(options.stateDir),
    ...defaultOutputServices(),
    ...options.services,
  };
  return { services, spawnsStages };
}

/**
 * Starts the stage spawner, when stages start through it, while a run is
 * being prepared, so its first stages need not fork the engine.
 */
export function warmStageSpawner(spawnsStages: boolean): void {
  if (spawnsStages) void warmSpawner();
}
