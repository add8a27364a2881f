/**
 * Secrets a client gives with the request that starts or resumes a run (the
 * editor's SecretStorage, or a value the user typed): values for names the
 * pipeline lists under `secrets:`. They live in this process's memory for
 * the run only. They join the stages' environment and the run's masker, so
 * every file of the run shows them as `***`, and nothing stores them: a
 * resume must be given them again.
 */
import type { Pipeline } from '@baton/core';
import { EngineError } from '../engineErrors';

/** What a caller says about a run's secrets. */
export interface SecretOptions {
  /** Values by name; each must be one of the pipeline's `secrets:`. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Refuse to start (`secretsMissing`) when a secret has no value, instead of running without it. */
  readonly secretsRequired?: boolean;
}

/**
 * The given secrets, checked: throws `invalidInput` for a name the pipeline
 * does not list as a secret (a client may not set other variables this way),
 * and, when `secretsRequired`, `secretsMissing` naming every secret without
 * a value in `env`, the pipeline's `env:` or the given ones.
 */
export function checkGivenSecrets(
  pipeline: Pipeline,
  env: Readonly<Record<string, string | undefined>>,
  options: SecretOptions,
): Readonly<Record<string, string>> {
  const given = options.secrets ?? {};
  const undeclared = Object.keys(given).filter((name) => !pipeline.secretEnv.includes(name));
  if (undeclared.length > 0) {
    throw new EngineError(
      'invalidInput',
      `secrets: ${undeclared.join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} not listed under secrets: in ${pipeline.file}`,
    );
  }
  if (options.secretsRequired === true) {
    const missing = missingSecrets(pipeline, { ...env, ...given });
    if (missing.length > 0) {
      throw new EngineError(
        'secretsMissing',
        `${pipeline.file} needs the secret${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, which nothing sets (environment, env:, ${envFileName(pipeline)})`,
        [],
        undefined,
        missing,
      );
    }
  }
  return given;
}

/** The pipeline's `secrets:` that have no value in its `env:` or in `env`, in the order listed. */
export function missingSecrets(
  pipeline: Pipeline,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return pipeline.secretEnv.filter(
    (name) => pipeline.env[name] === undefined && env[name] === undefined,
  );
}

function envFileName(pipeline: Pipeline): string {
  return pipeline.envFile ?? '.env';
}
