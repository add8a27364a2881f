/**
 * Finds where a debugged attempt waits for its debugger, in what the stage
 * writes to stderr: Node's "Debugger listening on ws://127.0.0.1:PORT/ID", or
 * the Python bootstrap's marker lines (see `debugLaunch.ts`).
 */
import type { StageDebugRuntime, StageDebugTarget } from './debugLaunch';
import { PYTHON_DEBUG_MARKER } from './debugLaunch';

/** The inspector's announcement; only a loopback address is believed. */
const NODE_LISTENING = /Debugger listening on (ws:\/\/127\.0\.0\.1:(\d+)\/[\w-]+)/;
const PYTHON_LISTENING = new RegExp(
  `^${PYTHON_DEBUG_MARKER} debugpy listening on 127\\.0\\.0\\.1:(\\d+)`,
);
const PYTHON_UNAVAILABLE = new RegExp(`^${PYTHON_DEBUG_MARKER} unavailable: (.+)$`);
/** A line longer than this is no announcement: what is kept of a partial line is bounded. */
const MAX_LINE = 4096;

/** Reads stderr chunks of one debugged attempt until the target is found, then ignores the rest. */
export class DebugTargetScanner {
  private partial = '';
  private found = false;

  constructor(
    private readonly runtime: StageDebugRuntime,
    private readonly onTarget: (target: StageDebugTarget) => void,
  ) {}

  /** Takes a chunk of the attempt's stderr. */
  push(chunk: Buffer): void {
    if (this.found) return;
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = (lines.pop() ?? '').slice(-MAX_LINE);
    for (const line of lines) {
      const target = this.targetOf(line.replace(/\r$/, ''));
      if (target !== undefined) {
        this.found = true;
        this.partial = '';
        this.onTarget(target);
        return;
      }
    }
  }

  private targetOf(line: string): StageDebugTarget | undefined {
    const { runtime } = this;
    if (runtime === 'node') {
      const match = NODE_LISTENING.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) return undefined;
      return {
        kind: 'listening',
        runtime,
        host: '127.0.0.1',
        port: Number(match[2]),
        url: match[1],
      };
    }
    const listening = PYTHON_LISTENING.exec(line);
    if (listening?.[1] !== undefined) {
      return { kind: 'listening', runtime, host: '127.0.0.1', port: Number(listening[1]) };
    }
    const reason = PYTHON_UNAVAILABLE.exec(line)?.[1];
    return reason === undefined ? undefined : { kind: 'unavailable', runtime, reason };
  }
}
