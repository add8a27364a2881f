import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { waitFor, writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';

const BATON = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

describe('bullmq executor: durability across an orchestrator killed with kill -9', function () {
  this.timeout(90_000);
  const fx = useBullmqFixture();

  it('keeps the remote stage running; resume re-attaches: it ran once, no line lost or doubled', async () => {
    await fx.worker('w1');
    const { dir } = fx;
    const ran = path.join(dir, 'ran.txt');
    const go = path.join(dir, 'go');
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  remote:
    run: |
      echo once >> ${ran}
      for i in 1 2 3; do echo "line $i"; done
      while [ ! -e ${go} ]; do sleep 0.05; done
      for i in 4 5 6; do echo "line $i"; done
      echo "result=done" >> "$BATON_OUTPUT"
`,
    );
    // The orchestrator is a real `baton run`, killed with SIGKILL while the stage waits.
    const orchestrator = spawn(
      process.execPath,
      [BATON, '--state-dir', path.join(dir, '.baton'), '--redis', fx.redis.url, 'run', '-y', file],
      { stdio: 'ignore' },
    );
    const runsDir = path.join(dir, '.baton', 'runs');
    let runId = '';
    await waitFor('the first three lines in the log', async () => {
      const ids = await fs.readdir(runsDir).catch(() => [] as string[]);
      runId = ids[0] ?? '';
      if (runId === '') return false;
      const log = await fs
        .readFile(fx.paths().stageLogFile(runId, 'remote', 1), 'utf8')
        .catch(() => '');
      return log.includes('line 3');
    });
    const gone = new Promise((resolve) => orchestrator.once('exit', resolve));
    orchestrator.kill('SIGKILL');
    await gone;
    await fs.writeFile(go, '');
    const engine = fx.newEngine();
    const resumed = await engine.resumeRun(runId, {
      interactive: false,
      beforeResume: (plan) =>
        assert.deepEqual(
          plan.stages.map((step) => step.action),
          ['attach'],
        ),
    });
    const status = await resumed.finished;
    const after = await engine.getRunState(runId);
    assert.equal(status, 'succeeded', JSON.stringify(after.stages.remote));
    assert.equal(await fs.readFile(ran, 'utf8'), 'once\n', 'the stage ran once');
    const log = await fs.readFile(fx.paths().stageLogFile(runId, 'remote', 1), 'utf8');
    assert.equal(log, 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n');
    const state = await engine.getRunState(runId);
    assert.equal(state.stages.remote?.outputs.result, 'done');
    assert.equal(state.stages.remote?.attempt, 1);
  });
});
