/**
 * How a stage's command is started under a debugger ("Debug Stage"): which
 * runtime it runs, and the same command with that runtime's debug server
 * waiting on a loopback port before the stage's first line.
 */
import * as path from 'node:path';

/** What a debugged stage runs: `node …` or `python …`. */
export type StageDebugRuntime = 'node' | 'python';

/** Where a debugged attempt waits for a debugger, or why it cannot be debugged. */
export type StageDebugTarget =
  | {
      readonly kind: 'listening';
      readonly runtime: StageDebugRuntime;
      readonly host: string;
      readonly port: number;
      readonly url?: string;
    }
  | { readonly kind: 'unavailable'; readonly runtime: StageDebugRuntime; readonly reason: string };

/** The marker the Python bootstrap writes to stderr; nothing else prints it. */
export const PYTHON_DEBUG_MARKER = 'baton-debug:';

/** The program a shell command starts with (its first word), e.g. `node`, `python3`, `sh`. */
export function commandProgram(command: string): string {
  return /^\s*(\S*)/.exec(command)?.[1] ?? '';
}

/**
 * The runtime a command starts: `node` for `node …`/`nodejs …`, `python` for
 * `python …`, `python3 …`, `python3.12 …` (a path to one counts too);
 * undefined for anything else (`sh`, `cd x && node y`, `npm run …`): Baton
 * debugs the process it starts itself, not one a shell or tool starts later.
 */
export function debugRuntimeOf(command: string): StageDebugRuntime | undefined {
  const name = path.basename(commandProgram(command)).replace(/\.exe$/i, '');
  if (name === 'node' || name === 'nodejs') return 'node';
  if (/^python(\d+(\.\d+)?)?$/.test(name)) return 'python';
  return undefined;
}

/**
 * The command with the runtime's debug server added after the program.
 * Node gets `--inspect-brk=127.0.0.1:0`: the inspector on a free loopback
 * port, paused before the first line; only this process, not the node
 * processes it starts (which `NODE_OPTIONS` would pause too, with nobody to
 * resume them). Python runs a bootstrap that imports debugpy, listens on a
 * free loopback port, says where, waits for the client and runs the script
 * or module as `python` would.
 */
export function debugCommand(command: string, runtime: StageDebugRuntime): string {
  const program = commandProgram(command);
  const start = command.indexOf(program) + program.length;
  const rest = command.slice(start);
  const added =
    runtime === 'node'
      ? ' --inspect-brk=127.0.0.1:0'
      : ` -X frozen_modules=off -c '${PYTHON_BOOTSTRAP}'`;
  return command.slice(0, start) + added + rest;
}

/**
 * Run by `python -c` before the stage's script: `sys.argv[1:]` is what
 * followed the program (`script.py args` or `-m module args`). Lines that
 * start with the marker tell the server where debugpy listens, or what is
 * missing. Single-quoted in the shell, so it holds no single quote.
 */
const PYTHON_BOOTSTRAP = [
  'import os, runpy, sys',
  'try:',
  '    import debugpy',
  'except ImportError:',
  `    sys.stderr.write("${PYTHON_DEBUG_MARKER} unavailable: debugpy is not importable by " + sys.executable + "; install it with: " + sys.executable + " -m pip install debugpy\\n")`,
  '    sys.exit(97)',
  'args = sys.argv[1:]',
  'if not (len(args) > 1 and args[0] == "-m") and not (args and not args[0].startswith("-")):',
  `    sys.stderr.write("${PYTHON_DEBUG_MARKER} unavailable: Baton debugs python SCRIPT ... and python -m MODULE ..., not python " + " ".join(args) + "\\n")`,
  '    sys.exit(97)',
  'host, port = debugpy.listen(("127.0.0.1", 0))',
  `sys.stderr.write("${PYTHON_DEBUG_MARKER} debugpy listening on %s:%d\\n" % (host, port))`,
  'sys.stderr.flush()',
  'debugpy.wait_for_client()',
  'if args[0] == "-m":',
  '    sys.argv = args[1:]',
  '    runpy.run_module(args[1], run_name="__main__", alter_sys=True)',
  'else:',
  '    sys.argv = args',
  '    sys.path[0] = os.path.dirname(os.path.abspath(args[0]))',
  '    runpy.run_path(args[0], run_name="__main__")',
].join('\n');
