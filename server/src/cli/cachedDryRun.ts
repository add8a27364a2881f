import { PlanCache } from '../incremental/planCache';
import type { CliContext } from './cliContext';
import { stateDirOf } from './cliContext';
import { printRunPlan } from './planView';
import { processTerminal } from './terminal';

/** A dry run this entry can answer alone: `[--state-dir <dir>] run <file> -n [--json]`. */
interface PlainDryRun {
  readonly stateDir?: string;
  readonly file: string;
  readonly json: boolean;
}

/** The value of `--state-dir` at `argv[0]`, and how many words it took; undefined when it is not there. */
function stateDirAt(argv: readonly string[]): { dir: string; words: number } | undefined {
  const first = argv[0];
  if (first === '--state-dir' && argv[1] !== undefined && !argv[1].startsWith('-'))
    return { dir: argv[1], words: 2 };
  if (first?.startsWith('--state-dir=') === true && first.length > '--state-dir='.length)
    return { dir: first.slice('--state-dir='.length), words: 1 };
  return undefined;
}

/**
 * Reads `argv` as a plain dry run, or undefined for anything else (inputs,
 * stages, `--from`, `--force`, `--redis`, `--`, bundled short flags, …): those
 * go to the full CLI, whose reading of the command line is the only one.
 */
export function plainDryRunOf(argv: readonly string[]): PlainDryRun | undefined {
  const global = stateDirAt(argv);
  const rest = argv.slice(global?.words ?? 0);
  if (rest[0] !== 'run') return undefined;
  let file: string | undefined;
  let dryRun = false;
  let json = false;
  for (const word of rest.slice(1)) {
    if (word === '-n' || word === '--dry-run') dryRun = true;
    else if (word === '--json') json = true;
    else if (word.startsWith('-') || file !== undefined) return undefined;
    else file = word;
  }
  if (!dryRun || file === undefined || file === '') return undefined;
  return { ...(global === undefined ? {} : { stateDir: global.dir }), file, json };
}

/**
 * Prints the kept plan of a plain `baton run <file> --dry-run` when nothing
 * it depended on changed (`PlanCache`), without loading the rest of Baton;
 * returns false, having printed nothing, when the full CLI must answer. The
 * `baton` command tries this first (server/bin/cliLoader.js), with the build
 * id of the CLI bundle that would otherwise answer: only plans that build
 * made are used.
 * @param argv the command's arguments (without the node and script names)
 * @param build the build id of the CLI bundle (its first line)
 * @param context the terminal, directory and environment (this process's by default)
 */
export function printCachedPlan(
  argv: readonly string[],
  build: string,
  context: CliContext = { terminal: processTerminal(), cwd: process.cwd(), env: process.env },
): boolean {
  const asked = plainDryRunOf(argv);
  if (asked === undefined) return false;
  const options = asked.stateDir === undefined ? {} : { stateDir: asked.stateDir };
  const plan = new PlanCache(stateDirOf(context, options), build).read({
    cwd: context.cwd,
    file: asked.file,
    inputs: {},
    selection: {},
    env: context.env,
  });
  if (plan === undefined) return false;
  printRunPlan(context, plan, asked.json);
  return true;
}
