import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnStage as spawnOne } from '../../src/process/spawnStage';
import type { SpawnStageOptions, StageProcess } from '../../src/process/spawnStage';
import { warmSpawner } from '../../src/process/stageSpawner';
import { waitFor, withDeadline } from '../helpers/waitFor';
import { readPids, survivors, testEnv, useStageFixture } from './stageFixture';

/** Collects a stage's stdout (or stderr) as text. */
function collect(stage: StageProcess, stream: 'stdout' | 'stderr' = 'stdout'): () => string {
  const chunks: Buffer[] = [];
  const listen = stream === 'stdout' ? stage.onStdout.bind(stage) : stage.onStderr.bind(stage);
  listen((chunk) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Every test runs with the stage forked by this process, and started by the stage spawner. */
for (const spawner of [false, true]) {
  describe(`spawnStage (${spawner ? 'through the spawner' : 'forked'})`, () => {
    const temp = useStageFixture();

    before(async function () {
      if (spawner && !(await warmSpawner())) this.skip();
    });

    function spawnStage(options: SpawnStageOptions): StageProcess {
      return spawnOne({ ...options, spawner });
    }

    function run(
      command: string,
      options: { trackIntervalMs?: number; leftoverGraceMs?: number } = {},
    ) {
      const stage = spawnStage({ command, cwd: temp.dir, env: testEnv(), ...options });
      temp.track(stage);
      return stage;
    }

    it('runs the command through the shell in the working directory with the given environment', async () => {
      const stage = spawnStage({
        command: 'echo "$GREETING from $(pwd)"; echo oops >&2; exit 7',
        cwd: temp.dir,
        env: testEnv({ GREETING: 'hello' }),
      });
      const stdout = collect(stage);
      const stderr = collect(stage, 'stderr');
      assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 7 });
      assert.equal(stdout(), `hello from ${temp.dir}\n`);
      assert.equal(stderr(), 'oops\n');
    });

    it('delivers output that arrived before the listener was registered', async () => {
      const stage = run('echo early');
      await withDeadline('exit', stage.exited);
      assert.equal(collect(stage)(), 'early\n');
    });

    it('starts the stage in its own process group and marks it with a process token', async () => {
      const stage = run('echo "$$ $BATON_PROCESS_TOKEN"; ps -o pgid= -p $$');
      const stdout = collect(stage);
      await withDeadline('exit', stage.exited);
      const [first, second] = stdout().trim().split('\n');
      assert.equal(first, `${stage.pid} ${stage.processToken}`);
      assert.equal(Number(second), stage.pid);
    });

    it('reports a missing working directory through exited, without throwing', async () => {
      const cwd = join(temp.dir, 'missing');
      const stage = spawnStage({ command: 'true', cwd, env: testEnv() });
      const exit = await withDeadline('exit', stage.exited);
      assert.match(exit.error ?? '', /working directory .*missing does not exist/);
      assert.equal(exit.exitCode, undefined);
      assert.equal(await stage.writeStdin('x\n'), false);
      assert.deepEqual(await stage.kill(), { escalated: false, survivors: [] });
    });

    it('reports a missing shell through exited', async () => {
      const stage = spawnStage({
        command: 'true',
        cwd: temp.dir,
        env: testEnv(),
        shell: '/nonexistent/sh',
      });
      const exit = await withDeadline('exit', stage.exited);
      assert.match(exit.error ?? '', /shell \/nonexistent\/sh does not exist/);
    });

    it('reports an environment the system cannot pass through exited, without throwing', async () => {
      const stage = spawnStage({ command: 'true', cwd: temp.dir, env: testEnv({ BAD: 'a\0b' }) });
      const exit = await withDeadline('exit', stage.exited);
      assert.match(exit.error ?? '', /^cannot start the stage: .*null bytes/);
      assert.equal(stage.pid, undefined);
    });

    it('writes answers to stdin that python input() reads', async () => {
      const stage = run(`python3 -c 'print("you said: " + input("Name? "))'`);
      const stdout = collect(stage);
      await waitFor('the question', () => stdout().includes('Name? '));
      assert.equal(await stage.writeStdin('Ada\n'), true);
      assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
      assert.equal(stdout(), 'Name? you said: Ada\n');
    });

    it('writes answers to stdin that the shell read builtin reads', async () => {
      const stage = run('read x; echo got $x');
      const stdout = collect(stage);
      assert.equal(await stage.writeStdin('yes\n'), true);
      assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
      assert.equal(stdout(), 'got yes\n');
    });

    it('closes stdin so a program reading to the end finishes', async () => {
      const stage = run('wc -l');
      const stdout = collect(stage);
      await stage.writeStdin('a\nb\n');
      stage.closeStdin();
      await withDeadline('exit', stage.exited);
      assert.equal(stdout().trim(), '2');
    });

    it('reports false instead of failing when the stage closed its stdin', async () => {
      const stage = run('exec 0<&-; echo closed; sleep 300');
      const stdout = collect(stage);
      await waitFor('stdin closed', () => stdout().includes('closed'));
      // The first write may still land in the pipe buffer; a reader-less pipe fails soon after.
      await waitFor('a failed write', async () => !(await stage.writeStdin('answer\n')));
      await stage.kill({ graceMs: 1000 });
      assert.equal(await stage.writeStdin('late\n'), false);
    });

    it('finishes normally when the stage closes stdout and stderr early', async () => {
      const stage = run('exec >&- 2>&-; read x; exit 3');
      await stage.writeStdin('go\n');
      assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 3 });
    });

    it('kills the whole tree, grandchildren included', async () => {
      const pids = join(temp.dir, 'pids');
      const stage = run(
        `sleep 300 & echo $! >> ${pids}; (sleep 300 & echo $! >> ${pids}; wait) & echo $! >> ${pids}; wait`,
      );
      const recorded = await readPids(pids, 3);
      const result = await withDeadline('kill', stage.kill({ graceMs: 2000 }));
      assert.deepEqual(result, { escalated: false, survivors: [] });
      assert.deepEqual(survivors(recorded, stage.pid), []);
      assert.deepEqual(await withDeadline('exit', stage.exited), { signal: 'SIGTERM' });
    });

    it('escalates to SIGKILL when the stage ignores SIGTERM', async () => {
      const pids = join(temp.dir, 'pids');
      const stage = run(`trap '' TERM; sleep 300 & echo $! >> ${pids}; echo $$ >> ${pids}; wait`);
      const recorded = await readPids(pids, 2);
      const result = await withDeadline('kill', stage.kill({ graceMs: 200 }));
      assert.deepEqual(result, { escalated: true, survivors: [] });
      assert.deepEqual(survivors(recorded, stage.pid), []);
      assert.deepEqual(await withDeadline('exit', stage.exited), { signal: 'SIGKILL' });
    });

    it('joins a kill in progress instead of starting another', async () => {
      const stage = run(`trap '' TERM; echo ready; sleep 300`);
      const stdout = collect(stage);
      await waitFor('ready', () => stdout().includes('ready'));
      const first = stage.kill({ graceMs: 100 });
      assert.equal(stage.kill({ graceMs: 100 }), first);
      assert.equal((await first).escalated, true);
    });

    it('kills a grandchild that escaped with setsid while its parent still runs', async () => {
      const pids = join(temp.dir, 'pids');
      // Without the token and with its own session, only the parent link still ties it to the stage.
      const stage = run(
        `env -u BATON_PROCESS_TOKEN setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $! >> ${pids}; wait`,
      );
      const recorded = await readPids(pids, 1);
      await waitFor('the escapee in its own session', () => survivors(recorded).length === 1);
      await withDeadline('kill', stage.kill({ graceMs: 2000 }));
      assert.deepEqual(survivors(recorded, stage.pid), []);
    });

    it('kills a daemon that escaped with setsid after its parent exited (by the process token)', async () => {
      const pids = join(temp.dir, 'pids');
      const stage = run(`setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $! >> ${pids}; read x`);
      const recorded = await readPids(pids, 1);
      await stage.writeStdin('exit now\n');
      assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
      assert.deepEqual(
        survivors(recorded, stage.pid),
        [],
        'the daemon must be gone once exited settles',
      );
    });

    it('kills background processes left in the group when the shell exits normally', async () => {
      const pids = join(temp.dir, 'pids');
      const stage = run(
        `sleep 300 & echo $! >> ${pids}; (trap '' TERM; sleep 300) & echo $! >> ${pids}; exit 4`,
        {
          leftoverGraceMs: 200,
        },
      );
      const recorded = await readPids(pids, 2);
      assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 4 });
      assert.deepEqual(survivors(recorded, stage.pid), []);
    });
  });
}
