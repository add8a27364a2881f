import type { Pipeline } from '@baton/core';
import { requireExecutors } from '../../executor/executorCheck';
import { readPipelineEnvFile } from './envFile';
import { checkGivenSecrets } from './givenSecrets';
import type { SecretOptions } from './givenSecrets';
import type { RunEnv } from './runSession';

/**
 * The variables a run of `pipeline` adds to `baseEnv`: its dotenv file's and
 * the given secrets, checked (see `checkGivenSecrets`). Throws first when a
 * stage names an executor that is not among `executorTypes`.
 */
export async function checkedRunEnv(
  pipeline: Pipeline,
  executorTypes: ReadonlySet<string>,
  baseEnv: Readonly<Record<string, string | undefined>>,
  options: SecretOptions,
): Promise<RunEnv> {
  // Checked here, where every start and resume passes before anything of the run moves.
  requireExecutors(pipeline, executorTypes);
  const file = await readPipelineEnvFile(pipeline);
  const secrets = checkGivenSecrets(pipeline, { ...file, ...baseEnv }, options);
  return { file, secrets };
}
