import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { adoptedSince, joinedSince, lookAtAdopters } from '../../src/process/adoptedProcesses';
import type { ChildrenLook } from '../../src/process/adoptedProcesses';
import { isProcessAlive, processStartTime } from '../../src/process/processTree';
import type { ProcessInfo } from '../../src/process/processTree';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir, readPids, testEnv } from './stageFixture';

/** A look that claims `pid` was already a child of every adopter the real look lists, taken `ageMs` ago. */
function lookWith(pid: number, ageMs: number): ChildrenLook {
  const real = lookAtAdopters();
  assert.ok(real, 'the kernel lists children');
  const lists = new Map(
    [...real.lists].map(([adopter, children]) => [adopter, [...children, pid]]),
  );
  return { at: Date.now() - ageMs, lists };
}

describe('adoptedProcesses', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const orphans: number[] = [];

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(() => {
    for (const pid of orphans.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    temp.dispose();
  });

  /** Runs a shell that leaves a `setsid sleep` behind and exits; returns the orphan once adopted. */
  async function leaveOrphan(
    before: ChildrenLook | undefined,
  ): Promise<{ orphan: ProcessInfo; since: number }> {
    const pids = join(temp.dir, 'pids');
    const shell = spawn('/bin/sh', ['-c', `setsid sleep 309 & echo $! >> ${pids}`], {
      env: testEnv(),
      detached: true,
      stdio: 'ignore',
    });
    const leader = shell.pid ?? 0;
    const since = processStartTime(leader) ?? 0;
    const [recorded] = await readPids(pids, 1);
    assert.ok(recorded);
    orphans.push(recorded.pid);
    await waitFor('the shell to exit', () => !isProcessAlive(leader));
    const orphan = await waitFor('the orphan to be adopted', () =>
      adoptedSince(since, before)?.find((p) => p.pid === recorded.pid),
    );
    return { orphan, since };
  }

  it('finds an orphan that was adopted after a look taken before its stage started', async () => {
    const before = lookAtAdopters();
    const { orphan } = await leaveOrphan(before);
    assert.ok(orphan.startTime > 0);
  });

  it('trusts a recent look: a child the look already listed is not read again', async () => {
    const { orphan, since } = await leaveOrphan(undefined);
    const found = adoptedSince(since, lookWith(orphan.pid, 0));
    assert.equal(
      found?.some((p) => p.pid === orphan.pid),
      false,
    );
  });

  it('does not trust an old look: every child is read again', async () => {
    const { orphan, since } = await leaveOrphan(undefined);
    const found = adoptedSince(since, lookWith(orphan.pid, 60_000));
    assert.equal(
      found?.some((p) => p.pid === orphan.pid),
      true,
    );
  });

  describe('joinedSince', () => {
    it('returns what was appended after the entries seen before', () => {
      assert.deepEqual(joinedSince([1, 2, 3, 4, 5], [1, 2, 3]), [4, 5]);
    });

    it('skips entries that left the list since', () => {
      assert.deepEqual(joinedSince([1, 3, 9], [1, 2, 3, 4]), [9]);
    });

    it('counts an entry out of the earlier order as new, and everything after it', () => {
      assert.deepEqual(joinedSince([1, 3, 2, 7], [1, 2, 3]), [2, 7]);
    });

    it('returns everything when nothing was seen before, nothing when nothing changed', () => {
      assert.deepEqual(joinedSince([4, 5], []), [4, 5]);
      assert.deepEqual(joinedSince([4, 5], [4, 5]), []);
      assert.deepEqual(joinedSince([], [4, 5]), []);
    });
  });
});
