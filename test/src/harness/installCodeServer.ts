import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installScript } from './paths';

let installed: Promise<string> | undefined;

/**
 * Makes sure code-server is installed in its cache (installing it on first
 * use, about a minute) and returns the path of its entry script. The install
 * script itself is idempotent and returns at once when the cache is complete;
 * the result is also memoised for the life of this process.
 */
export function ensureCodeServer(): Promise<string> {
  installed ??= runInstallScript();
  return installed;
}

async function runInstallScript(): Promise<string> {
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    // Progress (stderr) goes straight to the terminal; stdout is the answer.
    const child = spawn('bash', [installScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${installScript} failed (${signal ?? `exit code ${code}`}); see its output above`,
          ),
        );
    });
  });
  const installDir = output.trim().split('\n').pop() ?? '';
  const entry = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) {
    throw new Error(
      `${installScript} reported ${JSON.stringify(installDir)}, which holds no code-server`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 5)
    process.stderr.write(`[harness] code-server ready after ${seconds.toFixed(0)} s\n`);
  return entry;
}
