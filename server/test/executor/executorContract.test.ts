/**
 * The executor contract: the same cases, run once with stages on the local
 * executor and once on the bullmq executor (real `baton worker` processes,
 * a real Redis). What a stage can do must not depend on where it runs.
 */
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PromptState } from '@baton/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { controlStreamKey, KEY_PREFIX, outputStreamKey } from '../../src/executor/bullmq/remoteJob';
import type { Engine } from '../../src/engine/engine';
import { isEngineError } from '../../src/engine/engineErrors';
import { UNPRINTED_QUESTION } from '../../src/engine/attempt/bareQuestion';
import { readTree, waitFor, writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';
import type { BullmqFixture } from './bullmqFixture';

/** How a case runs its stages: the `executor:` line, and the engine (with a worker for bullmq). */
interface ExecutorUnderTest {
  readonly kind: 'local' | 'bullmq';
  readonly header: string;
  engine(): Promise<Engine>;
}

function underTest(kind: 'local' | 'bullmq', fx: BullmqFixture): ExecutorUnderTest {
  return kind === 'local'
    ? { kind, header: 'executor: local', engine: async () => fx.plainEngine() }
    : {
        kind,
        header: 'executor: { type: bullmq, queue: default }',
        engine: async () => {
          await fx.worker('w1');
          return fx.newEngine();
        },
      };
}

for (const kind of ['local', 'bullmq'] as const) {
  describe(`executor contract: ${kind}`, function () {
    this.timeout(60_000);
    const fx = useBullmqFixture();
    const target = (): ExecutorUnderTest => underTest(kind, fx);

    it('runs a stage: output in order, outputs, state and summary reach the engine', async () => {
      const { kind: which, header, engine: make } = target();
      const engine = await make();
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  first:
    run: |
      for i in 1 2 3 4 5; do echo "line $i"; done
      echo "answer=42" >> "$BATON_OUTPUT"
      echo "# done" >> "$BATON_SUMMARY"
      echo kept > "$BATON_STATE/memo"
  after:
    needs: first
    executor: local
    run: echo "got \${{ stages.first.outputs.answer }}" > got.txt
`,
      );
      const handle = await engine.startRun({ file, interactive: false });
      assert.equal(await handle.finished, 'succeeded');
      const state = await engine.getRunState(handle.runId);
      assert.equal(state.stages.first?.outputs.answer, '42');
      const where = (await engine.getSnapshot(handle.runId)).stages[0]?.where;
      if (which === 'bullmq') assert.match(where ?? '', /^worker w1 on /);
      else assert.equal(where, undefined);
      assert.equal(await fs.readFile(path.join(fx.dir, 'got.txt'), 'utf8'), 'got 42\n');
      const log = await fs.readFile(fx.paths().stageLogFile(handle.runId, 'first', 1), 'utf8');
      assert.equal(log, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
      const memo = path.join(fx.paths().stageStateDir(handle.runId, 'first'), 'memo');
      assert.equal(await fs.readFile(memo, 'utf8'), 'kept\n');
    });

    it('tails watch: files where the stage runs: their lines in the log, their progress on the stage', async () => {
      const { kind: which, header, engine: make } = target();
      const engine = await make();
      const progress: number[] = [];
      engine.on('event', ({ event }) => {
        if (event.type === 'stageProgress' && event.progress.percent !== undefined)
          progress.push(event.progress.percent);
      });
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  w:
    watch: [status/*.jsonl]
    run: |
      mkdir -p status
      echo out 1
      for i in 1 2; do
        echo "{\\"progress\\": $((i * 50)), \\"message\\": \\"step $i\\"}" >> status/w.jsonl
        echo "plain $i" >> status/w.jsonl
        sleep 0.2
      done
      echo out 2
`,
      );
      const handle = await engine.startRun({ file, interactive: false });
      assert.equal(await handle.finished, 'succeeded');
      assert.equal(progress.at(-1), 100);
      const log = await fs.readFile(fx.paths().stageLogFile(handle.runId, 'w', 1), 'utf8');
      const lines = log.split('\n');
      for (const line of [
        'out 1',
        '[status/w.jsonl] step 1',
        '[status/w.jsonl] plain 2',
        'out 2',
      ]) {
        assert.equal(
          lines.filter((logged) => logged === line).length,
          1,
          `${line} once in:\n${log}`,
        );
      }
      if (which === 'bullmq') {
        // Tailed on the worker: the lines came through the job's output stream.
        const stream = outputStreamKey('default', `${handle.runId}.w.1`);
        const redis = new Redis(fx.redis.url);
        try {
          const kinds = (await redis.xrange(stream, '-', '+')).map(([, fields]) => fields[1]);
          assert.ok(kinds.includes('w') && kinds.includes('p'), kinds.join(','));
        } finally {
          redis.disconnect();
        }
      }
    });

    it("writes a prompt's answer into the stage's stdin", async () => {
      const { header, engine: make } = target();
      const engine = await make();
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  ask:
    run: 'echo "::prompt id=color,type=choice,options=red|blue::Pick"; read answer; echo "got $answer"'
`,
      );
      const prompts: PromptState[] = [];
      engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
      const handle = await engine.startRun({ file, interactive: true });
      await waitFor('the prompt', () => prompts.length > 0);
      await engine.answerPrompt(handle.runId, 'color', { text: 'blue' }, 'test');
      assert.equal(await handle.finished, 'succeeded');
      const log = await fs.readFile(fx.paths().stageLogFile(handle.runId, 'ask', 1), 'utf8');
      assert.match(log, /got blue/);
    });

    it('asks a bare question the stage waits on, not a status line it left unfinished', async () => {
      const { header, engine: make } = target();
      const engine = await make();
      // The status line stays unfinished far longer than the engine's silence (300 ms).
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  ask:
    run: 'printf "Compiling... "; sleep 1.5; echo done; printf "Name? "; read name; echo "hi $name"'
`,
      );
      const prompts: PromptState[] = [];
      engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
      const handle = await engine.startRun({ file, interactive: true });
      await waitFor('the question', () => prompts.length > 0);
      assert.deepEqual(
        prompts.map((prompt) => prompt.message),
        ['Name?'],
      );
      await engine.answerPrompt(handle.runId, prompts[0]?.id ?? '', { text: 'Ada' }, 'test');
      assert.equal(await handle.finished, 'succeeded');
      const log = await fs.readFile(fx.paths().stageLogFile(handle.runId, 'ask', 1), 'utf8');
      assert.match(log, /hi Ada/);
    });

    it("asks a shell's read -s as a secret question (its script read where it runs)", async () => {
      const { kind: which, header, engine: make } = target();
      const engine = await make();
      // bash, not /bin/sh: dash has no read -s. It prints nothing before it reads.
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  ask:
    run: bash -c 'read -s word; test "$word" = pw-5ecret && echo ok=yes >> "$BATON_OUTPUT"'
`,
      );
      const prompts: PromptState[] = [];
      engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
      const handle = await engine.startRun({ file, interactive: true });
      await waitFor('the question', () => prompts.length > 0);
      assert.equal(prompts[0]?.message, UNPRINTED_QUESTION);
      assert.equal(prompts[0]?.secret, true);
      await engine.answerPrompt(handle.runId, prompts[0]?.id ?? '', { value: 'pw-5ecret' }, 'test');
      assert.equal(await handle.finished, 'succeeded');
      const state = await engine.getRunState(handle.runId);
      assert.deepEqual(state.stages.ask?.outputs, { ok: 'yes' });
      for (const { file: written, text } of await readTree(path.join(fx.dir, '.baton'))) {
        assert.ok(!text.includes('5ecret'), `${written} shows the password`);
      }
      if (which === 'bullmq') {
        // The answer went through the job's control stream; the worker deleted it once delivered.
        const redis = new Redis(fx.redis.url);
        try {
          const key = controlStreamKey('default', `${handle.runId}.ask.1`);
          const entries = await redis.xrange(key, '-', '+');
          assert.ok(!JSON.stringify(entries).includes('5ecret'), 'the answer stays in Redis');
        } finally {
          redis.disconnect();
        }
      }
    });

    it('stop ends the whole tree, a background grandchild included', async () => {
      const { header, engine: make } = target();
      const engine = await make();
      const pidFile = path.join(fx.dir, 'grandchild.pid');
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  long:
    run: 'sh -c "sleep 300 & echo \\$! > ${pidFile}; wait" & wait'
`,
      );
      const handle = await engine.startRun({ file, interactive: false });
      await waitFor('the grandchild', async () => (await readText(pidFile)) !== '');
      const pid = Number(await readText(pidFile));
      await engine.stopRun(handle.runId, 'test');
      assert.equal(await handle.finished, 'cancelled');
      assert.equal(isAlive(pid), false, 'the grandchild was killed');
    });

    it('a timeout ends the attempt and its tree, and fails the stage saying so', async () => {
      const { header, engine: make } = target();
      const engine = await make();
      const pidFile = path.join(fx.dir, 'child.pid');
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  slow:
    timeout: 1s
    run: 'sleep 300 & echo $! > ${pidFile}; wait'
`,
      );
      const handle = await engine.startRun({ file, interactive: false });
      assert.equal(await handle.finished, 'failed');
      const state = await engine.getRunState(handle.runId);
      assert.match(state.stages.slow?.reason ?? '', /tim/i);
      assert.equal(isAlive(Number(await readText(pidFile))), false);
    });

    it('a retry is a new attempt (a new job on a queue) and sees the state the first left', async () => {
      const { kind: which, header, engine: make } = target();
      const engine = await make();
      const file = await writePipeline(
        fx.dir,
        'p',
        `
${header}
stages:
  flaky:
    retry: { attempts: 2, backoff: 100ms }
    run: 'echo "$BATON_ATTEMPT" >> "$BATON_STATE/tries"; [ "$BATON_ATTEMPT" = 2 ]'
`,
      );
      const handle = await engine.startRun({ file, interactive: false });
      assert.equal(await handle.finished, 'succeeded');
      const state = await engine.getRunState(handle.runId);
      assert.equal(state.stages.flaky?.attempt, 2);
      const tries = path.join(fx.paths().stageStateDir(handle.runId, 'flaky'), 'tries');
      assert.equal(await readText(tries), '1\n2\n');
      if (which === 'bullmq') assert.match(state.stages.flaky?.handle?.id ?? '', /\.flaky\.2$/);
    });
  });
}

describe('bullmq executor: what only a remote executor has', function () {
  this.timeout(60_000);
  const fx = useBullmqFixture();

  it("masks the worker's secrets on the worker; their values never reach the engine", async () => {
    await fx.worker('w1');
    const engine = fx.newEngine();
    const file = await writePipeline(
      fx.dir,
      'p',
      `
executor: { type: bullmq, queue: default }
secrets: [REMOTE_TOKEN]
stages:
  show:
    run: 'echo "token is $REMOTE_TOKEN"'
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    const log = await fs.readFile(fx.paths().stageLogFile(handle.runId, 'show', 1), 'utf8');
    assert.equal(log, 'token is ***\n');
  });

  it('a killed worker fails its attempt naming it; the retry runs on the other worker', async () => {
    const w1 = await fx.worker('w1');
    const engine = fx.newEngine();
    const marker = path.join(fx.dir, 'attempts');
    const file = await writePipeline(
      fx.dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  flaky:
    retry: { attempts: 2, backoff: 100ms }
    run: 'echo "$BATON_ATTEMPT" >> ${marker}; if [ "$BATON_ATTEMPT" = 1 ]; then sleep 300; fi'
`,
    );
    const reasons: string[] = [];
    engine.on('event', ({ event }) => {
      if (event.type === 'stageExited' && event.error !== undefined) reasons.push(event.error);
    });
    const handle = await engine.startRun({ file, interactive: false });
    await waitFor('the first attempt', async () => (await readText(marker)) !== '');
    await fx.worker('w2');
    await w1.stop('SIGKILL');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await readText(marker), '1\n2\n');
    assert.match(reasons[0] ?? '', /worker w1 on .* stopped responding/);
    // Failed in Redis too, by the orchestrator (workers run no stalled checks of their own).
    const queue = new Queue('default', { connection: { url: fx.redis.url }, prefix: KEY_PREFIX });
    try {
      assert.equal(await (await queue.getJob(`${handle.runId}.flaky.1`))?.getState(), 'failed');
    } finally {
      await queue.close();
    }
  });

  it('refuses a pipeline with a bullmq stage when no Redis is configured', async () => {
    const engine = fx.plainEngine();
    const file = await writePipeline(
      fx.dir,
      'p',
      'stages:\n  a: { run: "true", executor: { type: bullmq, queue: gpu } }\n',
    );
    await assert.rejects(engine.startRun({ file, interactive: false }), (error: unknown) => {
      assert.ok(isEngineError(error, 'invalidPipeline'));
      assert.match(error.message, /no Redis connection is configured: give --redis <url> or set/);
      assert.equal(error.diagnostics[0]?.code, 'no-executor-connection');
      assert.equal(error.diagnostics[0]?.line, 2);
      return true;
    });
  });
});

function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch(() => '');
}

/** Whether `pid` runs (a zombie waiting for a parent that never reaps it counts as ended). */
function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
