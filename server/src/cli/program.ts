import { Command, Option } from 'commander';
import type { CliContext } from './cliContext';
import { addIncrementalCommands } from './incrementalProgram';
import type { WorkerCommandOptions } from './commands/workerCommand';

// Each command's implementation (and what it needs: the engine, the RPC server,
// the file watcher, the YAML parser) is loaded only when that command runs, so
// `baton --version`, `--help` and usage errors start without them.
const runCommands = () => import('./commands/runCommands.js');
const serveCommands = () => import('./commands/serveCommand.js');
const inspectCommands = () => import('./commands/inspectCommands.js');
const controlCommands = () => import('./commands/controlCommands.js');
const workerCommands = () => import('./commands/workerCommand.js');

/**
 * Loads every command's module. The CLI never needs this; the build runs it
 * once so that V8's code cache of the CLI bundle holds what loading them
 * compiles (see server/bin/cliLoader.js).
 */
export async function loadEveryCommand(): Promise<void> {
  await Promise.all([
    runCommands(),
    serveCommands(),
    inspectCommands(),
    controlCommands(),
    import('./commands/cacheCommands.js'),
    workerCommands(),
  ]);
}

/** The version `baton --version` prints. */
export const BATON_VERSION = '0.1.0';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--force` alone forces every stage; `--force <stage>` (repeatable) the stages named. */
function collectForced(
  value: string | boolean,
  previous: true | string[] | undefined,
): true | string[] {
  if (value === true || previous === true) return true;
  return [...(previous ?? []), String(value)];
}

/** What commander hands the `run` action. */
interface RunCliOptions {
  readonly input: string[];
  readonly yes: boolean;
  readonly json: boolean;
  readonly from?: string;
  readonly force?: true | string[];
  readonly dryRun: boolean;
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`expected a positive whole number, got ${value}`);
  return parsed;
}

type Global = () => { stateDir?: string; redis?: string };
type Act = <A extends unknown[]>(
  handler: (...args: A) => Promise<number | undefined>,
) => (...args: A) => Promise<void>;

/**
 * Builds the `baton` command line. Each action stores its exit code through
 * `setExit`; commander only parses and dispatches.
 */
export function createProgram(context: CliContext, setExit: (code: number) => void): Command {
  const program = new Command('baton')
    .description(
      'Run pipelines of ordinary programs, durably: resumable runs, prompts, progress and logs.',
    )
    .version(BATON_VERSION)
    .addOption(
      new Option('--state-dir <dir>', 'state directory (default: $BATON_STATE_DIR or ./.baton)'),
    )
    .addOption(
      new Option(
        '--redis <url>',
        'Redis of the bullmq executor, redis://[user:password@]host:port (default: $BATON_REDIS_URL)',
      ),
    )
    .showHelpAfterError('(run baton --help for usage)')
    // Subcommands inherit this: usage errors throw (exit 2 in main) instead of exiting.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.terminal.write(text),
      writeErr: (text) => context.terminal.error(text.trimEnd()),
    });
  const global: Global = () => {
    const { stateDir, redis } = program.opts<{ stateDir?: string; redis?: string }>();
    return {
      ...(stateDir === undefined ? {} : { stateDir }),
      ...(redis === undefined ? {} : { redis }),
    };
  };
  const act: Act =
    (handler) =>
    async (...args) => {
      const code = await handler(...args);
      if (code !== undefined) setExit(code);
    };
  addRunCommands(program, context, global, act);
  addInspectCommands(program, context, global, act);
  addControlCommands(program, context, global, act);
  addIncrementalCommands(program, context, global, act);
  addWorkerCommand(program, context, global, act);
  return program;
}

function addRunCommands(program: Command, context: CliContext, global: Global, act: Act): void {
  program
    .command('run <file> [stages...]')
    .description(
      'run a pipeline file (or the stages named and what they need); up-to-date stages are skipped',
    )
    .option('-i, --input <id=value>', 'give an input (repeatable)', collect, [])
    .option('-y, --yes', 'take every default; ask nothing (non-interactive)', false)
    .option('--from <stage>', 'run this stage and everything downstream, even when up to date')
    .option(
      '--force [stage]',
      'ignore the record: for every stage, or for the stage named (repeatable)',
      collectForced,
    )
    .option('-n, --dry-run', 'print the plan (run / skip, with reasons) and run nothing', false)
    .option('--json', 'print the result (or, with --dry-run, the plan) as JSON', false)
    .action(
      act(async (file: string, stages: string[], opts: RunCliOptions) =>
        (await runCommands()).runCommand(context, file, { ...global(), ...opts, stages }),
      ),
    );
  program
    .command('resume <runId>')
    .description('resume an interrupted, failed or cancelled run; succeeded stages are kept')
    .option(
      '-i, --input <id=value>',
      'give a secret input again (they are never stored)',
      collect,
      [],
    )
    .option('-y, --yes', 'take every default; ask nothing', false)
    .option(
      '--rerun <stage>',
      'run this stage (and what depends on it) again (repeatable)',
      collect,
      [],
    )
    .option('--json', 'print the result as JSON', false)
    .action(
      act(
        async (
          runId: string,
          opts: { input: string[]; yes: boolean; json: boolean; rerun: string[] },
        ) => (await runCommands()).resumeCommand(context, runId, { ...global(), ...opts }),
      ),
    );
  program
    .command('serve')
    .description('start the JSON-RPC server (for editors)')
    .option('--stdio', 'talk JSON-RPC over stdin and stdout', false)
    .action(
      act(async (opts: { stdio: boolean }) =>
        (await serveCommands()).serveCommand(context, { ...global(), ...opts }),
      ),
    );
}

function addInspectCommands(program: Command, context: CliContext, global: Global, act: Act): void {
  program
    .command('list')
    .description('list the pipeline files under the current directory and whether they are valid')
    .option('--json', 'print JSON', false)
    .action(
      act(async (opts: { json: boolean }) => (await inspectCommands()).listCommand(context, opts)),
    );
  program
    .command('runs')
    .description('list runs, newest first')
    .option('-n, --limit <count>', 'how many runs', positiveInt, 20)
    .option('--all', 'every run (overrides --limit)', false)
    .option('-p, --pipeline <id>', "only this pipeline's runs")
    .option('--json', 'print JSON', false)
    .action(
      act(async (opts: { json: boolean; limit: number; all: boolean; pipeline?: string }) =>
        (await inspectCommands()).runsCommand(context, { ...global(), ...opts }),
      ),
    );
  program
    .command('status [runId]')
    .description('show a run (default: the newest)')
    .option('--json', 'print the snapshot as JSON', false)
    .action(
      act(async (runId: string | undefined, opts: { json: boolean }) =>
        (await inspectCommands()).statusCommand(context, runId, { ...global(), ...opts }),
      ),
    );
  program
    .command('logs <runId> [stage]')
    .description("print a run's stage logs (the last attempt of each stage)")
    .option('-f, --follow', 'keep printing new output until the run ends', false)
    .action(
      act(async (runId: string, stage: string | undefined, opts: { follow: boolean }) =>
        (await inspectCommands()).logsCommand(context, runId, stage, { ...global(), ...opts }),
      ),
    );
  program
    .command('validate <file>')
    .description('check a pipeline file and print every problem (exit 2 when there is an error)')
    .option('--json', 'print the diagnostics as JSON', false)
    .action(
      act(async (file: string, opts: { json: boolean }) =>
        (await controlCommands()).validateCommand(context, file, { ...global(), ...opts }),
      ),
    );
}

function addControlCommands(program: Command, context: CliContext, global: Global, act: Act): void {
  program
    .command('stop <runId>')
    .description('stop a run (also one running in another process)')
    .action(
      act(async (runId: string) => (await controlCommands()).stopCommand(context, runId, global())),
    );
  program
    .command('answer <runId> <promptId> <value>')
    .description('answer an open prompt of a run (also one running in another process)')
    .action(
      act(async (runId: string, promptId: string, value: string) =>
        (await controlCommands()).answerCommand(context, runId, promptId, value, global()),
      ),
    );
  program
    .command('unlock <pipeline>')
    .description(
      "show who holds a pipeline's lock; break it when the owner is dead (or with --force)",
    )
    .option('--force', 'break the lock even if its owner looks alive', false)
    .action(
      act(async (pipeline: string, opts: { force: boolean }) =>
        (await controlCommands()).unlockCommand(context, pipeline, { ...global(), ...opts }),
      ),
    );
}

function addWorkerCommand(program: Command, context: CliContext, global: Global, act: Act): void {
  program
    .command('worker')
    .description('take stages from bullmq queues on Redis and run them here, until SIGTERM')
    .option(
      '--queue <name>',
      'a queue to take stages from (repeatable; default: default)',
      collect,
      [],
    )
    .option('--concurrency <n>', 'most stages running at once', positiveInt, 1)
    .option('--name <name>', 'the name messages give this worker (default: <host>-<pid>)')
    .option(
      '--work-dir <dir>',
      "where the worker keeps its jobs' files (default: ~/.baton-worker/<name>)",
    )
    .option(
      '--root <dir>',
      "this machine's checkout of the pipelines' repository: stages run at the same place under it (default: the orchestrator's paths)",
    )
    .action(
      act(async (opts: WorkerCommandOptions) =>
        (await workerCommands()).workerCommand(context, { ...global(), ...opts }),
      ),
    );
  // Started by Baton itself, detached, when a remote stage's stop could not reach Redis.
  program
    .command('deliver-stops <file>', { hidden: true })
    .description("deliver a remote stage's stop recorded while Redis was unreachable")
    .action(
      act(async (file: string) => (await workerCommands()).deliverStopsCommand(context, file)),
    );
}
