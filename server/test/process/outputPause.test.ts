import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnStage as spawnOne } from '../../src/process/spawnStage';
import { warmSpawner } from '../../src/process/stageSpawner';
import type { SpawnStageOptions, StageProcess } from '../../src/process/spawnStage';
import { descendantsOf } from '../../src/process/processTree';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir, testEnv } from './stageFixture';

/**
 * Whether some process of the stage is blocked writing its output (per the
 * kernel's wait channel; Node's stdio pipes are socket pairs, hence both names).
 */
function blockedOnPipe(shellPid: number): boolean {
  return [shellPid, ...descendantsOf(shellPid).map((p) => p.pid)].some((pid) => {
    try {
      return /pipe_write|sock_alloc_send/.test(readFileSync(`/proc/${pid}/wchan`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Every test runs with the stage forked by this process, and started by the stage spawner. */
for (const spawner of [false, true]) {
  describe(`spawnStage: pausing output (${spawner ? 'through the spawner' : 'forked'})`, () => {
    before(async function () {
      if (spawner && !(await warmSpawner())) this.skip();
    });

    function spawnStage(options: SpawnStageOptions): StageProcess {
      return spawnOne({ ...options, spawner });
    }
    it('blocks the stage on its full pipe while paused, and delivers every byte once resumed', async () => {
      const temp = makeTempDir();
      const bytes = 4_000_000;
      const stage = spawnStage({
        command: `head -c ${bytes} /dev/zero`,
        cwd: temp.dir,
        env: testEnv(),
      });
      try {
        await stage.launched;
        const pid = stage.pid;
        assert.ok(pid !== undefined);
        let received = 0;
        stage.pauseOutput();
        stage.onStdout((chunk) => (received += chunk.length));
        await waitFor('the stage to block on its pipe', () => blockedOnPipe(pid));
        const whilePaused = received;
        assert.ok(whilePaused < bytes, `only what was read before the pause: ${whilePaused}`);
        // Still blocked, and still nothing more delivered: the engine holds no output.
        assert.ok(blockedOnPipe(pid));
        assert.equal(received, whilePaused);
        stage.resumeOutput();
        assert.deepEqual(await stage.exited, { exitCode: 0 });
        assert.equal(received, bytes);
      } finally {
        await stage.kill({ graceMs: 100 });
        temp.dispose();
      }
    });
  });
}
