import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readProcess } from '../../src/process/processTree';
import { spawnStage } from '../../src/process/spawnStage';
import type { SpawnStageOptions, StageProcess } from '../../src/process/spawnStage';
import { spawnerPid, warmSpawner } from '../../src/process/stageSpawner';
import { waitFor, withDeadline } from '../helpers/waitFor';
import { readPids, survivors, testEnv, useStageFixture } from './stageFixture';

/** The processes and files of the stage spawner itself; spawnStage's suite runs every stage test through it too. */
describe('the stage spawner', () => {
  const temp = useStageFixture();

  beforeEach(async function () {
    if (!(await warmSpawner())) this.skip();
  });

  function run(command: string, options: Partial<SpawnStageOptions> = {}): StageProcess {
    const stage = spawnStage({ command, cwd: temp.dir, env: testEnv(), spawner: true, ...options });
    return temp.track(stage);
  }

  it('starts stages as its children, not this process’s, with their pid known once launched', async () => {
    const stage = run('read x');
    await withDeadline('launch', stage.launched ?? Promise.resolve());
    const pid = stage.pid ?? 0;
    assert.ok(pid > 0);
    assert.equal(readProcess(pid)?.ppid, spawnerPid());
    assert.notEqual(readProcess(pid)?.ppid, process.pid);
    assert.equal(stage.startTime, readProcess(pid)?.startTime);
    await stage.writeStdin('done\n');
    assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
  });

  it('holds a gated stage until start, then runs it', async () => {
    const marker = join(temp.dir, 'ran');
    const stage = run(`touch ${marker}`, { gated: true });
    await withDeadline('launch', stage.launched ?? Promise.resolve());
    assert.equal(existsSync(marker), false);
    stage.start();
    assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
    assert.equal(existsSync(marker), true);
  });

  it('reports a stage lost with its spawner as an error, after ending its processes, and starts a new spawner', async () => {
    const pids = join(temp.dir, 'pids');
    const stage = run(`sleep 300 & echo $! >> ${pids}; echo $$ >> ${pids}; wait`);
    const recorded = await readPids(pids, 2);
    await withDeadline('launch', stage.launched ?? Promise.resolve());
    const first = spawnerPid() ?? 0;
    process.kill(first, 'SIGKILL');
    const exit = await withDeadline('exit', stage.exited);
    assert.match(exit.error ?? '', /stage spawner \(pid \d+\) died.*the stage was ended/);
    assert.deepEqual(survivors(recorded, stage.pid), []);
    // The next stage is forked here while a new spawner starts; the one after uses the new spawner.
    assert.deepEqual(await withDeadline('exit', run('exit 3').exited), { exitCode: 3 });
    assert.equal(await warmSpawner(), true);
    assert.notEqual(spawnerPid(), first);
    assert.deepEqual(await withDeadline('exit', run('exit 4').exited), { exitCode: 4 });
  });

  it('runs nothing of a gated stage whose spawner dies before its start', async () => {
    const marker = join(temp.dir, 'ran');
    const stage = run(`touch ${marker}`, { gated: true });
    await withDeadline('launch', stage.launched ?? Promise.resolve());
    process.kill(spawnerPid() ?? 0, 'SIGKILL');
    const exit = await withDeadline('exit', stage.exited);
    assert.match(exit.error ?? '', /stage spawner/);
    await waitFor('the gated shell gone', () => readProcess(stage.pid ?? 0) === undefined);
    assert.equal(existsSync(marker), false);
  });
});
