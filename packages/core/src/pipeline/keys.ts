/**
 * The keys the validator accepts at each level of a pipeline file. The JSON
 * Schema test checks these lists against the schema's property names, so the
 * two cannot drift apart.
 */

/** Keys allowed at the top level of a pipeline file (`$schema` is for editors and ignored). */
export const TOP_LEVEL_KEYS = [
  '$schema',
  'name',
  'description',
  'concurrency',
  'inputs',
  'schedule',
  'env',
  'secrets',
  'env_file',
  'venv',
  'executor',
  'pools',
  'stages',
] as const;

/** Keys allowed in a stage. */
export const STAGE_KEYS = [
  'run',
  'needs',
  'cwd',
  'env',
  'timeout',
  'idle_timeout',
  'retry',
  'retries',
  'outputs',
  'watch',
  'deps',
  'cache',
  'continue_on_error',
  'venv',
  'executor',
  'if',
  'matrix',
  'foreach',
  'max_parallel',
  'fail_fast',
  'resources',
] as const;

/** Keys of a `matrix:` besides its value lists. */
export const MATRIX_SPECIAL_KEYS = ['include', 'exclude'] as const;

/** Keys allowed in an input. */
export const INPUT_KEYS = ['prompt', 'type', 'options', 'default', 'timeout', 'secret'] as const;

/** Keys allowed in a stage's `retry`. */
export const RETRY_KEYS = [
  'attempts',
  'backoff',
  'factor',
  'max_backoff',
  'jitter',
  'on_exit_codes',
] as const;

/** Keys allowed in an `executor:` mapping. */
export const EXECUTOR_KEYS = ['type', 'queue'] as const;

/** Keys allowed in `schedule`. */
export const SCHEDULE_KEYS = ['cron', 'overlap', 'timezone'] as const;

/**
 * Words people bring from other tools, mapped to Baton's key, for keys that
 * edit distance alone would not catch.
 */
export const KEY_HINTS: Readonly<Record<string, string>> = {
  depends_on: 'needs',
  dependson: 'needs',
  dependencies: 'needs',
  after: 'needs',
  requires: 'needs',
  command: 'run',
  cmd: 'run',
  script: 'run',
  shell: 'run',
  working_directory: 'cwd',
  workdir: 'cwd',
  dir: 'cwd',
  environment: 'env',
  jobs: 'stages',
  steps: 'stages',
  tasks: 'stages',
  params: 'inputs',
  parameters: 'inputs',
  parallelism: 'concurrency',
  timeout_minutes: 'timeout',
  retry_policy: 'retry',
  artifacts: 'outputs',
  choices: 'options',
  question: 'prompt',
  message: 'prompt',
  runner: 'executor',
  runs_on: 'executor',
  allow_failure: 'continue_on_error',
  when: 'if',
  for_each: 'foreach',
  for: 'foreach',
  strategy: 'matrix',
  condition: 'if',
  ignore_errors: 'continue_on_error',
};
