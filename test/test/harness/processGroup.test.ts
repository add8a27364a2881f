import * as assert from 'node:assert/strict';
import { waitFor } from '../../src/harness/deadline';
import { exited, killProcessGroup, spawnProcessGroup } from '../../src/harness/processGroup';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('killProcessGroup', () => {
  it('kills the leader and the children it started, even those ignoring SIGTERM', async () => {
    // The shell starts a grandchild that ignores SIGTERM, prints its pid, and waits.
    const child = spawnProcessGroup(
      'sh',
      ['-c', `sh -c 'trap "" TERM; echo $$; while :; do sleep 1; done' & wait`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const grandchild = await waitFor(() => Number.parseInt(output, 10) || undefined, {
      what: 'the grandchild pid',
      timeoutMs: 5000,
    });
    assert.ok(isAlive(grandchild));
    await killProcessGroup(child, 200);
    await exited(child);
    await waitFor(() => !isAlive(grandchild), { what: 'the grandchild to die', timeoutMs: 5000 });
  });

  it('is a no-op for a group that is already gone', async () => {
    const child = spawnProcessGroup('true', [], { stdio: 'ignore' });
    await exited(child);
    await killProcessGroup(child);
  });
});
