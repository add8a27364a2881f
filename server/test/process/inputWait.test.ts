import assert from 'node:assert/strict';
import { spawnStage as spawnOne } from '../../src/process/spawnStage';
import { warmSpawner } from '../../src/process/stageSpawner';
import type { SpawnStageOptions, StageProcess } from '../../src/process/spawnStage';
import { waitFor, withDeadline } from '../helpers/waitFor';
import { testEnv, useStageFixture } from './stageFixture';

/** Every test runs with the stage forked by this process, and started by the stage spawner. */
for (const spawner of [false, true]) {
  describe(`StageProcess.inputWaitState (${spawner ? 'through the spawner' : 'forked'})`, () => {
    before(async function () {
      if (spawner && !(await warmSpawner())) this.skip();
    });

    function spawnStage(options: SpawnStageOptions): StageProcess {
      return spawnOne({ ...options, spawner });
    }
    const temp = useStageFixture();

    /** Starts a stage and waits until it printed `marker`. */
    async function startAndWaitFor(command: string, marker: string): Promise<StageProcess> {
      const stage = spawnStage({ command, cwd: temp.dir, env: testEnv() });
      temp.track(stage);
      let output = '';
      stage.onStdout((chunk) => (output += chunk.toString()));
      await waitFor(`"${marker}" on stdout`, () => output.includes(marker));
      return stage;
    }

    it('sees python input() reading stdin', async () => {
      const stage = await startAndWaitFor(`python3 -c 'input("Name? ")'`, 'Name? ');
      await waitFor('python to block in read', () => stage.inputWaitState() === 'reading');
      await stage.writeStdin('Ada\n');
      assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
      assert.equal(stage.inputWaitState(), 'unknown');
    });

    it('sees python input() reading stdin in a gated stage (the engine starts every stage gated)', async () => {
      const stage = spawnStage({
        command: `python3 -c 'input("Name? ")'`,
        cwd: temp.dir,
        env: testEnv(),
        gated: true,
      });
      temp.track(stage);
      let output = '';
      stage.onStdout((chunk) => (output += chunk.toString()));
      await stage.launched;
      stage.start();
      await waitFor('the question', () => output.includes('Name? '));
      await waitFor('python to block in read', () => stage.inputWaitState() === 'reading');
    });

    it('sees the shell read builtin reading stdin', async () => {
      const stage = await startAndWaitFor(`printf 'Continue? '; read answer`, 'Continue? ');
      await waitFor('sh to block in read', () => stage.inputWaitState() === 'reading');
    });

    it('says busy while the stage waits for something else', async () => {
      const stage = await startAndWaitFor(`printf 'Compiling... '; sleep 300`, 'Compiling... ');
      // sleep is blocked in nanosleep and the shell in wait: neither reads stdin, now or later.
      await waitFor('the sleep to start', () => stage.inputWaitState() === 'busy');
      assert.equal(stage.inputWaitState(), 'busy');
    });

    it('says polling for an event loop that holds stdin open', async () => {
      const script = `const rl = require('node:readline').createInterface({ input: process.stdin, output: process.stdout }); rl.question('Q? ', () => rl.close());`;
      const stage = await startAndWaitFor(`node -e "${script}"`, 'Q? ');
      await waitFor('node to wait in epoll', () => stage.inputWaitState() === 'polling');
    });
  });
}
