import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PromptState } from '@baton/core';
import type { Engine } from '../../src/engine/engine';
import { isEngineError } from '../../src/engine/engineErrors';
import { waitFor, writePipeline } from '../engine/helpers';
import type { TestWorker } from '../helpers/workerProcess';
import { useBullmqFixture } from './bullmqFixture';

describe('bullmq executor: stages on real baton worker processes through a real Redis', function () {
  this.timeout(60_000);
  const fx = useBullmqFixture();
  const { paths } = fx;
  const newEngine = (): Engine => fx.newEngine();
  const worker = (name: string): Promise<TestWorker> => fx.worker(name);
  let dir = '';
  beforeEach(() => {
    dir = fx.dir;
  });

  it('runs a stage on a worker: output in order, outputs, state and summary come back', async () => {
    await worker('w1');
    const engine = newEngine();
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  remote:
    run: |
      for i in 1 2 3 4 5; do echo "line $i"; done
      echo "answer=42" >> "$BATON_OUTPUT"
      echo "# done remotely" >> "$BATON_SUMMARY"
      echo kept > "$BATON_STATE/memo"
  after:
    needs: remote
    executor: local
    run: echo "got \${{ stages.remote.outputs.answer }}" > got.txt
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    assert.equal(state.stages.remote?.outputs.answer, '42');
    assert.equal(state.stages.remote?.handle?.executor, 'bullmq');
    assert.equal(await fs.readFile(path.join(dir, 'got.txt'), 'utf8'), 'got 42\n');
    const log = await fs.readFile(paths().stageLogFile(handle.runId, 'remote', 1), 'utf8');
    assert.equal(log, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    const memo = path.join(paths().stageStateDir(handle.runId, 'remote'), 'memo');
    assert.equal(await fs.readFile(memo, 'utf8'), 'kept\n');
  });

  it('writes a prompt answer into the remote stage stdin and masks the worker secrets', async () => {
    await worker('w1');
    const engine = newEngine();
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
secrets: [REMOTE_TOKEN]
stages:
  ask:
    run: 'echo "token is $REMOTE_TOKEN"; echo "::prompt id=color,type=choice,options=red|blue::Pick"; read answer; echo "got $answer"'
`,
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the remote prompt', () => prompts.length > 0);
    await engine.answerPrompt(handle.runId, 'color', { text: 'blue' }, 'test');
    assert.equal(await handle.finished, 'succeeded');
    const log = await fs.readFile(paths().stageLogFile(handle.runId, 'ask', 1), 'utf8');
    assert.match(log, /token is \*\*\*/);
    assert.doesNotMatch(log, /hunter2/);
    assert.match(log, /got blue/);
  });

  it('stop ends the remote tree, a background grandchild included, before the stage ends', async () => {
    await worker('w1');
    const engine = newEngine();
    const pidFile = path.join(dir, 'grandchild.pid');
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  long:
    run: 'sh -c "sleep 300 & echo \\$! > ${pidFile}; wait" & wait'
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    await waitFor(
      'the grandchild',
      async () => (await fs.readFile(pidFile, 'utf8').catch(() => '')) !== '',
    );
    const pid = Number(await fs.readFile(pidFile, 'utf8'));
    await engine.stopRun(handle.runId, 'test');
    assert.equal(await handle.finished, 'cancelled');
    assert.equal(isAlive(pid), false, 'the grandchild was killed');
  });

  it('a killed worker fails its attempt saying so; the retry runs on the other worker', async () => {
    const w1 = await worker('w1');
    const engine = newEngine();
    const marker = path.join(dir, 'attempts');
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  flaky:
    retry: { attempts: 2, backoff: 100ms }
    run: 'echo "$BATON_ATTEMPT" >> ${marker}; if [ "$BATON_ATTEMPT" = 1 ]; then sleep 300; fi'
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    await waitFor(
      'the first attempt',
      async () => (await fs.readFile(marker, 'utf8').catch(() => '')) !== '',
    );
    await worker('w2');
    await w1.stop('SIGKILL');
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    assert.equal(state.stages.flaky?.attempt, 2);
    assert.equal(await fs.readFile(marker, 'utf8'), '1\n2\n');
  });

  it('refuses a pipeline with a bullmq stage when no Redis is configured', async () => {
    const engine = fx.plainEngine();
    const file = await writePipeline(
      dir,
      'p',
      'stages:\n  a: { run: "true", executor: { type: bullmq, queue: gpu } }\n',
    );
    await assert.rejects(engine.startRun({ file, interactive: false }), (error: unknown) => {
      assert.ok(isEngineError(error, 'invalidPipeline'));
      assert.match(
        error.message,
        /no Redis connection is configured: give --redis <url> or set BATON_REDIS_URL/,
      );
      assert.equal(error.diagnostics[0]?.code, 'no-executor-connection');
      assert.equal(error.diagnostics[0]?.line, 2);
      return true;
    });
  });
});

/** Whether `pid` runs (a zombie waiting for a parent that never reaps it counts as ended). */
function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
