import type { Command } from 'commander';
import type { CliContext } from './cliContext';

const cacheCommands = () => import('./commands/cacheCommands.js');

type Global = () => { stateDir?: string };
type Act = <A extends unknown[]>(
  handler: (...args: A) => Promise<number | undefined>,
) => (...args: A) => Promise<void>;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function wholeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`expected a whole number of at least 0, got ${value}`);
  return parsed;
}

/** Adds `baton why` and `baton cache ls|prune|clear` (incremental runs) to the program. */
export function addIncrementalCommands(
  program: Command,
  context: CliContext,
  global: Global,
  act: Act,
): void {
  program
    .command('why <file> <stage>')
    .description('say whether a run would run or skip a stage now, and why')
    .option('-i, --input <id=value>', 'give an input (repeatable)', collect, [])
    .option('--json', 'print JSON', false)
    .action(
      act(async (file: string, stage: string, opts: { input: string[]; json: boolean }) =>
        (await cacheCommands()).whyCommand(context, file, stage, { ...global(), ...opts }),
      ),
    );
  const cache = program
    .command('cache')
    .description('the record of what succeeded, which lets runs skip up-to-date stages');
  cache
    .command('ls')
    .description("list each pipeline's record: stages, entries, size")
    .option('--json', 'print JSON', false)
    .action(
      act(async (opts: { json: boolean }) =>
        (await cacheCommands()).cacheListCommand(context, { ...global(), ...opts }),
      ),
    );
  cache
    .command('prune')
    .description('keep only the newest entries of each stage')
    .option('--keep <count>', 'entries to keep per stage', wholeNumber, 1)
    .action(
      act(async (opts: { keep: number }) =>
        (await cacheCommands()).cachePruneCommand(context, { ...global(), ...opts }),
      ),
    );
  cache
    .command('clear [file]')
    .description('forget the whole record, or the record of one pipeline file')
    .action(
      act(async (file: string | undefined) =>
        (await cacheCommands()).cacheClearCommand(context, file, global()),
      ),
    );
}
