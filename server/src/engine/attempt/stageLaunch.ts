import type { AttemptLaunch } from '@baton/core';
import type { StageLaunch } from '../../executor/stageExecutor';
import { debugCommand } from '../debug/debugLaunch';
import type { AttemptDeps } from './attemptDeps';
import { secretNamesOf } from './attemptDeps';
import { githubFileEnv, savedStateEnv } from './githubFiles';
import { layerStageEnv, stageEnvLayers } from './stageEnv';
import type { StageEnvContext } from './stageEnv';
import { stageVenv } from './stageVenv';

/**
 * What the executor launches for an attempt (or launches again, on attach,
 * when it never received it): the core's command, under a debugger when the
 * attempt is debugged, with the stage's whole environment; for a queue, the
 * names of the secrets the worker supplies and the files it tails.
 */
export function stageLaunchOf(deps: AttemptDeps, launch: AttemptLaunch): StageLaunch {
  const layers = stageEnvLayers(envContext(deps, launch));
  return {
    runId: deps.controller.runId,
    stage: deps.effect.stage,
    attempt: deps.effect.attempt,
    files: deps.files,
    ...(deps.spec.executor?.type === 'bullmq'
      ? {
          queue: deps.spec.executor.queue,
          secretNames: secretNamesOf(deps.controller.state),
          envLayers: layers,
          watch: deps.spec.watch,
        }
      : {}),
    command: deps.debug === undefined ? launch.command : debugCommand(launch.command, deps.debug),
    cwd: deps.files.cwd,
    env: layerStageEnv(deps.baseEnv, layers),
  };
}

/** What the attempt's environment is made of: Baton's variables, the run's inputs, the stage's env, its venv. */
function envContext(deps: AttemptDeps, launch: AttemptLaunch): Omit<StageEnvContext, 'baseEnv'> {
  const state = deps.controller.state;
  const venv = stageVenv(deps.spec, deps.pipelineDir);
  return {
    runId: deps.controller.runId,
    stage: deps.effect.stage,
    attempt: deps.effect.attempt,
    runDir: deps.files.runDir,
    interactive: state.interactive,
    outputFile: deps.files.outputFile,
    stateDir: deps.files.stateDir,
    summaryFile: deps.files.summaryFile,
    inputs: state.inputs,
    inputSpecs: state.pipeline.inputs,
    stageEnv: launch.env,
    ...(launch.inherited === undefined ? {} : { inherited: launch.inherited }),
    ...(venv === undefined ? {} : { venv }),
    githubEnv: { ...githubFileEnv(deps.files), ...savedStateEnv(deps.files.savedStateFile) },
  };
}
