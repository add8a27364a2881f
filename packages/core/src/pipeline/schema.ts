import { DURATION_PATTERN } from './duration';
import { ENV_NAME_PATTERN, ID_PATTERN } from './ids';

/**
 * The JSON Schema (draft-07) of pipeline files: the single source of truth
 * for editor completion and hover text. `schema/pipeline.schema.json` is
 * this constant written out by `scripts/write-schema.mjs`; a test keeps the
 * two equal and checks the property names against the validator's keys.
 * The validator goes further than the schema can (cycles, references, cron).
 */

const duration = (description: string) =>
  ({
    type: 'string',
    pattern: DURATION_PATTERN,
    description: `${description} A duration such as 500ms, 30s, 5m, 1h or 1h30m.`,
  }) as const;

const textList = (description: string) =>
  ({
    description,
    anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  }) as const;

const scalarText = { type: ['string', 'number', 'boolean'] } as const;

const envMap = (description: string) =>
  ({
    type: 'object',
    description,
    propertyNames: { pattern: ENV_NAME_PATTERN },
    additionalProperties: { ...scalarText, description: 'The value; may use ${{ inputs.<id> }}.' },
  }) as const;

const retry = {
  type: 'object',
  description:
    'How to retry a failed attempt. Delays grow from backoff by factor up to max_backoff.',
  additionalProperties: false,
  properties: {
    attempts: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 1,
      description: 'Attempts in all, counting the first (default 1: no retry).',
    },
    backoff: { ...duration('Delay before the first retry (default 1s).'), default: '1s' },
    factor: {
      type: 'number',
      minimum: 1,
      maximum: 100,
      default: 2,
      description: 'Each further delay is the previous one times this (default 2).',
    },
    max_backoff: duration('Cap on the delay between attempts (default 100 × backoff).'),
    jitter: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0,
      description: 'Randomises each delay by up to this fraction, 0 to 1 (default 0).',
    },
    on_exit_codes: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 255 },
      description:
        'Retry only when the program exits with one of these codes (default: any failure).',
    },
  },
} as const;

const stage = {
  type: 'object',
  description: 'A stage: an ordinary program run through the shell.',
  additionalProperties: false,
  required: ['run'],
  properties: {
    run: {
      type: 'string',
      minLength: 1,
      description:
        'The shell command. ${{ inputs.<id> }} and ${{ stages.<id>.outputs.<name> }} are passed as environment variables, never pasted into the command.',
    },
    needs: textList('Stages that must succeed before this one starts.'),
    cwd: {
      type: 'string',
      description: 'Working directory, relative to the pipeline file (default: its directory).',
    },
    env: envMap('Environment variables for this stage, on top of the top-level env.'),
    timeout: duration(
      'Wall-clock limit for each attempt, counted from when it starts running (not while it waits for pool slots); the whole process tree is killed after it.',
    ),
    idle_timeout: duration('No output and no progress for this long means the stage is hung.'),
    retry: { $ref: '#/definitions/retry' },
    executor: { $ref: '#/definitions/executor' },
    retries: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      description: 'Shorthand for retry: { attempts: N }.',
    },
    outputs: textList('Globs that must each match a file after exit 0, else the stage fails.'),
    watch: textList('Globs of files the program writes, tailed live in the editor.'),
    deps: textList(
      'Globs of the files the stage reads, relative to its working directory; with outputs, they make the stage skippable when nothing changed.',
    ),
    cache: {
      type: 'boolean',
      default: true,
      description:
        'false: always run the stage, even when its deps and outputs are unchanged since a recorded success.',
    },
    continue_on_error: {
      type: 'boolean',
      default: false,
      description: 'When true, stages that need this one still run after it fails.',
    },
    matrix: {
      description:
        'Run the stage once per combination of these values (a map of key → list), as ${{ matrix.<key> }} and BATON_MATRIX_<KEY>; include adds or extends combinations, exclude removes them. Each combination is its own unit, <stage>[<values>].',
      type: 'object',
      minProperties: 1,
      properties: {
        include: {
          description: 'Combinations to add, or extra values for the combinations they match.',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: { type: ['string', 'number', 'boolean'] },
          },
        },
        exclude: {
          description: 'Combinations to remove: each entry removes the combinations it matches.',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: { type: ['string', 'number', 'boolean'] },
          },
        },
      },
      additionalProperties: {
        type: 'array',
        minItems: 1,
        items: { type: ['string', 'number', 'boolean'] },
      },
    },
    foreach: {
      description:
        'Run the stage once per item: a glob of files relative to the working directory, or ${{ stages.<s>.outputs.<name> }} holding a JSON list. The item is ${{ item }} and BATON_ITEM, its 0-based index BATON_ITEM_INDEX; each item is its own unit, <stage>[<item>].',
      type: 'string',
      minLength: 1,
    },
    resources: {
      description:
        "Slots of the pipeline's pools each attempt holds while it runs, e.g. { gpu: 1 }; it waits, visibly, while they are held elsewhere.",
      type: 'object',
      additionalProperties: { type: 'integer', minimum: 1, maximum: 1000 },
    },
    max_parallel: {
      description: "At most this many of the stage's matrix or foreach units run at once.",
      type: 'integer',
      minimum: 1,
      maximum: 10000,
    },
    fail_fast: {
      description:
        'With matrix or foreach: true (default) skips the units not started once one fails; false lets them all finish.',
      type: 'boolean',
      default: true,
    },
    if: {
      description:
        "Run the stage only when this condition holds, else skip it with the reason. Reads inputs.<id>, stages.<s>.outputs.<name>, matrix.<key> and item; operators == != < > <= >= && || ! and parentheses; functions contains(), startsWith() and the status functions success() (implied), failure(), always(), cancelled() about the stages it needs. Quote it in YAML when it starts with '!'.",
      anyOf: [{ type: 'string', minLength: 1 }, { type: 'boolean' }],
    },
    venv: {
      description:
        'Python virtual environment the stage runs in (VIRTUAL_ENV set, its bin first on PATH), relative to the pipeline file; false for none even when the pipeline names one.',
      anyOf: [{ type: 'string', minLength: 1 }, { const: false }],
    },
  },
} as const;

const input = {
  type: 'object',
  description: 'An input asked before a run starts, or given as --input id=value.',
  additionalProperties: false,
  properties: {
    prompt: {
      type: 'string',
      description: 'The question shown to the user (default: the input id).',
    },
    type: {
      enum: ['text', 'choice', 'multi', 'number', 'confirm'],
      default: 'text',
      description:
        'text, choice (one of options), multi (several of options), number or confirm (yes/no).',
    },
    options: {
      type: 'array',
      items: scalarText,
      minItems: 1,
      uniqueItems: true,
      description: 'The choices of a choice or multi input.',
    },
    default: {
      description:
        'The answer used when none is given in time; must fit the type (and be among options).',
    },
    timeout: duration(
      'Unanswered for this long: the default is used, or the run fails when there is none.',
    ),
    secret: {
      type: 'boolean',
      default: false,
      description: 'Mask the value in every log, event and view.',
    },
  },
} as const;

const executor = {
  description:
    'Where stages run: local (the default, a child of Baton) or { type: bullmq, queue: <name> }, a queue on Redis that `baton worker` processes take stages from. The Redis connection comes from --redis or BATON_REDIS_URL, never from this file.',
  anyOf: [
    { const: 'local' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'queue'],
      properties: {
        type: { const: 'bullmq', description: 'Stages go to a BullMQ queue on Redis.' },
        queue: {
          type: 'string',
          pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
          description: 'The queue `baton worker --queue <name>` takes stages from, e.g. gpu.',
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: 'local', description: 'Stages run as children of Baton.' } },
    },
  ],
} as const;

const schedule = {
  description: 'Run on a cron schedule (a bare string is the cron expression).',
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['cron'],
      properties: {
        cron: {
          type: 'string',
          description:
            'Five fields (minute hour day month weekday), six with seconds first, or @daily and friends.',
        },
        overlap: {
          enum: ['skip', 'queue', 'cancel-running'],
          default: 'skip',
          description:
            'When a run is due while another is active: skip it, queue it, or cancel the running one.',
        },
        timezone: {
          type: 'string',
          description:
            'IANA time zone the cron fields are read in, e.g. Europe/Berlin (default UTC).',
        },
      },
    },
  ],
} as const;

/** The draft-07 JSON Schema of `*.pipeline.yaml|yml|json` files. */
export const pipelineJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Baton pipeline',
  description:
    'A Baton pipeline: stages (shell commands) with dependencies, inputs, retries and an optional schedule.',
  type: 'object',
  additionalProperties: false,
  required: ['stages'],
  properties: {
    $schema: {
      type: 'string',
      description: 'The JSON Schema this file follows, for editors; Baton ignores it.',
    },
    name: {
      type: 'string',
      description: 'Display name (default: the file name without .pipeline.yaml).',
    },
    description: { type: 'string', description: 'What the pipeline does.' },
    concurrency: {
      type: 'integer',
      minimum: 1,
      maximum: 10000,
      description: 'Most stages running at once (default: the number of CPUs).',
    },
    inputs: {
      type: 'object',
      description: 'Inputs asked before a run starts, by id.',
      propertyNames: { pattern: ID_PATTERN },
      additionalProperties: { anyOf: [{ $ref: '#/definitions/input' }, { type: 'null' }] },
    },
    schedule: { $ref: '#/definitions/schedule' },
    pools: {
      description:
        'Named capacities, e.g. { gpu: 1, openai: 4 }, shared by every run in the workspace that names the same pool, across pipelines and processes; stages take slots with resources.',
      type: 'object',
      additionalProperties: { type: 'integer', minimum: 1, maximum: 1000 },
    },
    env: envMap('Environment variables for every stage.'),
    venv: {
      type: 'string',
      minLength: 1,
      description:
        'Python virtual environment every stage runs in unless it names its own (or says venv: false), relative to the pipeline file.',
    },
    executor: { $ref: '#/definitions/executor' },
    env_file: {
      type: 'string',
      minLength: 1,
      description:
        'A dotenv file, relative to the pipeline file, whose variables stages get as if set in the environment (which wins); secrets: may name them. Default: .env beside the pipeline, if any.',
    },
    secrets: {
      type: 'array',
      items: { type: 'string', pattern: ENV_NAME_PATTERN },
      description:
        'Names of environment variables whose values are secret: masked in every log, event and view.',
    },
    stages: {
      type: 'object',
      description: 'The stages, by id. Declaration order breaks scheduling ties.',
      minProperties: 1,
      propertyNames: { pattern: ID_PATTERN },
      additionalProperties: { $ref: '#/definitions/stage' },
    },
  },
  definitions: { stage, input, retry, schedule, executor },
} as const;
