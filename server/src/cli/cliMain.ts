import { CommanderError } from 'commander';
import * as path from 'node:path';
import { isEngineError } from '../engine/engineErrors';
import type { CliContext } from './cliContext';
import { UsageError } from './cliContext';
import { EXIT } from './exitCodes';
import { formatDiagnostic } from './terminalFormat';
import { createProgram } from './program';
import { processTerminal } from './terminal';

export { loadEveryCommand } from './program';

/** Runs `baton` with `argv` (without the node and script names); resolves with the exit code. */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram(context, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (argv.includes('--json')) reportJsonError(context, error);
    return reportError(context, error);
  }
}

/** With --json, errors are also printed as JSON on stdout, for the program that asked. */
function reportJsonError(context: CliContext, error: unknown): void {
  if (error instanceof CommanderError && error.exitCode === 0) return;
  const message = error instanceof Error ? error.message : String(error);
  const kind = isEngineError(error)
    ? error.kind
    : error instanceof UsageError || error instanceof CommanderError
      ? 'usage'
      : 'error';
  const diagnostics = isEngineError(error) ? error.diagnostics : [];
  context.terminal.line(JSON.stringify({ error: { kind, message, diagnostics } }, null, 2));
}

/** Prints an error in plain words and picks the exit code. */
function reportError(context: CliContext, error: unknown): number {
  const { terminal } = context;
  if (error instanceof CommanderError) {
    // Help and version "errors" are normal exits; commander has printed them already.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    terminal.error(`baton: ${error.message}`);
    return EXIT.usage;
  }
  if (isEngineError(error)) {
    for (const diagnostic of error.diagnostics) {
      // The engine reads files by absolute path; people read paths relative to where they are.
      const file = path.relative(context.cwd, diagnostic.file) || diagnostic.file;
      terminal.error(formatDiagnostic({ ...diagnostic, file }, terminal.colors));
    }
    terminal.error(`baton: ${error.message}`);
    return error.kind === 'invalidPipeline' || error.kind === 'invalidInput'
      ? EXIT.usage
      : EXIT.failed;
  }
  terminal.error(`baton: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT.failed;
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0 || stream.destroyed) resolve();
    else stream.write('', () => resolve());
  });
}

/** Entry point of the `baton` binary. */
export function runCli(): void {
  const context: CliContext = { terminal: processTerminal(), cwd: process.cwd(), env: process.env };
  main(process.argv.slice(2), context).then(
    (code) => {
      process.exitCode = code;
      // A finished command (`serve` included: it returns when the server has ended)
      // must not wait for stray handles such as watchers or timers to go away,
      // but must not cut off what it printed: a pipe takes 64 KB at a time, and
      // `--json` of a large plan or run is more.
      void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() =>
        setImmediate(() => process.exit(code)),
      );
    },
    (error: unknown) => {
      context.terminal.error(`baton: ${String(error)}`);
      process.exit(EXIT.failed);
    },
  );
}
