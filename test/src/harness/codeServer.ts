import type { ChildProcess } from 'node:child_process';
import { withDeadline, waitFor } from './deadline';
import { forEachLine, logLine } from './logLines';
import { exited, killProcessGroup, spawnProcessGroup } from './processGroup';
import type { Sandbox } from './sandbox';

/** A running code-server. */
export interface CodeServer {
  /** Base URL, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** Resolves, saying how, when code-server exits (whether stopped or crashed). */
  readonly exited: Promise<string>;
  /** Kills code-server and every process it started. */
  stop(): Promise<void>;
}

const LISTENING = /HTTP server listening on (http:\/\/\S+)/;
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Starts code-server on a free port of 127.0.0.1 (port 0; the real one is read
 * from its log), with everything it writes kept inside the sandbox, and waits
 * until `/healthz` answers. Its log lines are forwarded to stdout. Workspace
 * trust is off unless `workspaceTrust` is true (the folder then opens untrusted).
 */
export async function startCodeServer(
  entry: string,
  sandbox: Sandbox,
  workspaceTrust = false,
): Promise<CodeServer> {
  const args = [
    entry,
    ...['--auth', 'none', '--bind-addr', '127.0.0.1:0'],
    ...['--disable-telemetry', '--disable-update-check'],
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...['--disable-getting-started-override', '--ignore-last-opened'],
    ...['--user-data-dir', sandbox.userDataDir, '--extensions-dir', sandbox.extensionsDir],
    sandbox.workspace,
  ];
  const child = spawnProcessGroup(process.execPath, args, {
    cwd: sandbox.root,
    env: sandbox.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = (): Promise<void> => killProcessGroup(child);
  try {
    const url = await withDeadline(
      listeningUrl(child),
      STARTUP_TIMEOUT_MS,
      'code-server to listen',
    );
    await waitFor(() => isHealthy(url), { what: `${url}healthz`, timeoutMs: STARTUP_TIMEOUT_MS });
    const hasExited = exited(child).then(
      () => `${child.signalCode ?? `exit code ${child.exitCode}`}`,
    );
    return { url, exited: hasExited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Forwards the server's output and resolves with the URL it listens on. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const onLine = (line: string): void => {
      if (line.trim() !== '') logLine('code-server', line);
      const match = LISTENING.exec(line);
      if (match?.[1]) resolve(match[1].endsWith('/') ? match[1] : `${match[1]}/`);
    };
    if (child.stdout) forEachLine(child.stdout, onLine);
    if (child.stderr) forEachLine(child.stderr, onLine);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`code-server exited during start-up (${signal ?? `exit code ${code}`})`)),
    );
  });
}

async function isHealthy(url: string): Promise<boolean> {
  const response = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
  return response.ok;
}
