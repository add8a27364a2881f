import type { DebugEndpoint, DebugRuntime } from '@baton/protocol';

/** Which debugger VS Code has for each runtime Baton can debug. */
export interface AttachableDebuggers {
  /** The built-in JavaScript debugger (ms-vscode.js-debug): always there. */
  readonly node: boolean;
  /** The debug type of the Python debugger extension: `debugpy` (ms-python.debugpy), `python` (older ms-python.python), or none. */
  readonly python: 'debugpy' | 'python' | undefined;
}

/** The runtimes a `debug` request may ask for, given the debuggers at hand. */
export function attachRuntimes(debuggers: AttachableDebuggers): DebugRuntime[] {
  return [
    ...(debuggers.node ? (['node'] as const) : []),
    ...(debuggers.python !== undefined ? (['python'] as const) : []),
  ];
}

/**
 * The launch configuration that attaches VS Code's debugger to a debugged
 * stage. Node: the JavaScript debugger attaches to the inspector and lets
 * the paused process go once breakpoints are set (`continueOnAttach`).
 * Python: the Python debugger connects to debugpy, which then runs the script.
 */
export function attachConfiguration(
  endpoint: DebugEndpoint,
  stage: string,
  debuggers: AttachableDebuggers,
): Record<string, unknown> & { type: string; name: string; request: string } {
  const name = `Baton: ${stage}`;
  if (endpoint.runtime === 'node') {
    return {
      type: 'pwa-node',
      request: 'attach',
      name,
      address: endpoint.host,
      port: endpoint.port,
      continueOnAttach: true,
      skipFiles: ['<node_internals>/**'],
    };
  }
  return {
    type: debuggers.python ?? 'debugpy',
    request: 'attach',
    name,
    connect: { host: endpoint.host, port: endpoint.port },
    justMyCode: true,
  };
}

/** What is missing to debug a stage whose runtime the client cannot attach to, and how to get it. */
export function missingDebuggerText(
  stage: string,
  runtime: DebugRuntime | null,
  program: string,
): string {
  if (runtime === 'python') {
    return `Stage ${stage} is a Python stage: debugging it needs the Python Debugger extension (ms-python.debugpy) in VS Code, and debugpy in the stage's Python (\`python -m pip install debugpy\`). Install the extension from the Extensions view, then run Debug Stage again.`;
  }
  if (runtime === 'node')
    return `Stage ${stage} is a Node stage, but VS Code's JavaScript debugger (ms-vscode.js-debug) is not available.`;
  return `Stage ${stage} cannot be debugged: only Node and Python stages can (a command that starts with node or python), and its command starts with ${JSON.stringify(program)}.`;
}
