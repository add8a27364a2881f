import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PromptState } from '@baton/core';
import { Engine } from '../../src/engine/engine';
import { processesOfRun, readTree, tempDir, waitFor, writePipeline } from './helpers';

describe('Engine with real processes', function () {
  this.timeout(30000);
  let dir: string;
  let engine: Engine;

  beforeEach(async () => {
    dir = await tempDir('engine');
    engine = new Engine({
      stateDir: path.join(dir, '.baton'),
      settings: { killGraceMs: 500, bareInputSilenceMs: 300, progressIntervalMs: 50 },
      defaultConcurrency: 4,
    });
  });

  afterEach(async () => {
    await engine.interruptAll('test over');
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function run(
    yaml: string,
    interactive = false,
  ): Promise<{ runId: string; status: string }> {
    const file = await writePipeline(dir, 'p', yaml);
    const handle = await engine.startRun({ file, interactive });
    return { runId: handle.runId, status: await handle.finished };
  }

  it('runs stages in dependency order under the concurrency cap', async () => {
    // b, c and d overlap by a handshake, not by sleeping: each marks that it
    // started and waits for the go file, which the test writes only once two
    // of them run. A third start would come from the same scheduling step as
    // the first two, so it would be among the starts seen by then.
    const track = (id: string): string =>
      `echo "start ${id}" >> order.txt; echo "end ${id}" >> order.txt`;
    const held = (id: string): string =>
      `echo "start ${id}" >> order.txt; touch started-${id}; while [ ! -e go ]; do sleep 0.01; done; echo "end ${id}" >> order.txt`;
    const started: string[] = [];
    engine.on('event', ({ event }) => {
      if (event.type === 'stageStarted') started.push(event.stage);
    });
    const file = await writePipeline(
      dir,
      'p',
      `
name: order
concurrency: 2
stages:
  a: { run: '${track('a')}' }
  b: { needs: [a], run: '${held('b')}' }
  c: { needs: [a], run: '${held('c')}' }
  d: { needs: [a], run: '${held('d')}' }
  e: { needs: [b, c, d], run: '${track('e')}' }
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    const startedFiles = async (): Promise<string[]> =>
      (await fs.readdir(dir)).filter((name) => name.startsWith('started-'));
    await waitFor('two of b, c and d to start', async () => (await startedFiles()).length >= 2);
    const running = await startedFiles();
    assert.equal(running.length, 2, `only two stages may run at once: ${running.join(', ')}`);
    assert.deepEqual(
      started.filter((stage) => stage !== 'a'),
      running.map((name) => name.slice('started-'.length)).sort(),
    );
    await fs.writeFile(path.join(dir, 'go'), '');
    assert.equal(await handle.finished, 'succeeded');
    const lines = (await fs.readFile(path.join(dir, 'order.txt'), 'utf8')).trim().split('\n');
    assert.deepEqual(lines.slice(0, 2), ['start a', 'end a']);
    assert.deepEqual(lines.slice(-2), ['start e', 'end e']);
    let runningNow = 0;
    let most = 0;
    for (const line of lines) {
      runningNow += line.startsWith('start') ? 1 : -1;
      most = Math.max(most, runningNow);
    }
    assert.equal(most, 2, `at most two stages at once, saw ${most}: ${lines.join(', ')}`);
  });

  it('retries a failing stage with backoff until it succeeds', async () => {
    const { runId, status } = await run(`
name: retry
stages:
  flaky:
    run: 'date +%s%3N >> starts.txt; test "$BATON_ATTEMPT" -ge 3'
    retry: { attempts: 3, backoff: 200ms, factor: 2 }
`);
    assert.equal(status, 'succeeded');
    const starts = (await fs.readFile(path.join(dir, 'starts.txt'), 'utf8'))
      .trim()
      .split('\n')
      .map(Number);
    assert.equal(starts.length, 3);
    const [first = 0, second = 0, third = 0] = starts;
    assert.ok(second - first >= 150, `first backoff ${second - first}ms`);
    assert.ok(third - second >= 300, `second backoff ${third - second}ms (factor 2)`);
    const state = await engine.getRunState(runId);
    assert.equal(state.stages.flaky?.attempt, 3);
  });

  it('kills the whole process tree on timeout and leaves nothing behind', async () => {
    const file = await writePipeline(
      dir,
      'p',
      `
name: timeout
stages:
  slow:
    run: 'sleep 60 & sleep 60 & (sh -c "sleep 60") ; wait'
    timeout: 500ms
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    await waitFor('stage processes', () => processesOfRun(handle.runId).length >= 3);
    assert.equal(await handle.finished, 'failed');
    assert.deepEqual(processesOfRun(handle.runId), []);
  });

  it('stop ends every process of the run', async () => {
    const file = await writePipeline(
      dir,
      'p',
      `name: stop\nstages:\n  s: { run: 'sleep 60 & sleep 60; wait' }\n`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    await waitFor('stage processes', () => processesOfRun(handle.runId).length >= 2);
    assert.equal(await engine.stopRun(handle.runId, 'test'), 'stopping');
    assert.equal(await handle.finished, 'cancelled');
    assert.deepEqual(processesOfRun(handle.runId), []);
  });

  it('answers a ::prompt through the stage stdin', async () => {
    const file = await writePipeline(
      dir,
      'p',
      `
name: prompt
stages:
  ask:
    run: 'echo "::prompt id=color,type=choice,options=red|blue::Pick a color"; read answer; echo "got $answer" > answer.txt'
`,
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the prompt', () => prompts.length > 0);
    assert.equal(prompts[0]?.type, 'choice');
    await assert.rejects(
      engine.answerPrompt(handle.runId, 'color', { text: 'green' }, 'test'),
      /not one of/,
    );
    await engine.answerPrompt(handle.runId, 'color', { text: 'blue' }, 'test');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await fs.readFile(path.join(dir, 'answer.txt'), 'utf8'), 'got blue\n');
  });

  it('turns a bare input() into a text prompt', async () => {
    const file = await writePipeline(
      dir,
      'p',
      `
name: bare
stages:
  py:
    run: python3 -c 'name = input("Your name? "); open("name.txt", "w").write(name)'
`,
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the bare prompt', () => prompts.length > 0);
    assert.equal(prompts[0]?.type, 'text');
    assert.equal(prompts[0]?.message, 'Your name?');
    await engine.answerPrompt(handle.runId, prompts[0]?.id ?? '', { value: 'Ada' }, 'test');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await fs.readFile(path.join(dir, 'name.txt'), 'utf8'), 'Ada');
  });

  it('turns a Node readline question into a text prompt', async () => {
    await fs.writeFile(
      path.join(dir, 'ask.js'),
      `const rl = require('node:readline').createInterface({ input: process.stdin, output: process.stdout });
rl.question('Tag? ', (answer) => {
  require('node:fs').writeFileSync('tag.txt', answer);
  rl.close();
  // Baton keeps stdin open for further answers; Node waits for its end unless told not to.
  process.stdin.destroy();
});
`,
    );
    const file = await writePipeline(dir, 'p', `name: rl\nstages:\n  js: { run: node ask.js }\n`);
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the readline prompt', () => prompts.length > 0);
    assert.equal(prompts[0]?.message, 'Tag?');
    await engine.answerPrompt(handle.runId, 'input-1', { text: 'v2.0.0' }, 'test');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await fs.readFile(path.join(dir, 'tag.txt'), 'utf8'), 'v2.0.0');
  });

  it('does not take an unfinished status line for a question when nothing reads stdin', async () => {
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const { status } = await run(
      `name: status\nstages:\n  s: { run: 'printf "Downloading... "; sleep 1.2; echo done' }\n`,
      true,
    );
    assert.equal(status, 'succeeded');
    assert.deepEqual(prompts, []);
  });

  it('never writes a masked value into logs, events or run files', async () => {
    const logs: string[] = [];
    engine.on('log', ({ text }) => logs.push(text));
    const { status } = await run(`
name: mask
stages:
  leak:
    run: 'echo "::add-mask::hunter2-secret"; echo "the password is hunter2-secret"; echo "::progress value=1,total=2::using hunter2-secret"; echo "token=hunter2-secret" >> "$BATON_OUTPUT"; echo "summary hunter2-secret" >> "$BATON_SUMMARY"'
  later:
    needs: [leak]
    run: 'echo "again hunter2-secret"'
`);
    assert.equal(status, 'succeeded');
    for (const { file, text } of await readTree(path.join(dir, '.baton', 'runs'))) {
      assert.ok(!text.includes('hunter2-secret'), `${file} leaks the secret`);
    }
    assert.ok(logs.join('').includes('the password is ***'));
    assert.ok(!logs.join('').includes('hunter2-secret'));
  });

  it('passes outputs from one stage to the next', async () => {
    const { status } = await run(`
name: outputs
stages:
  produce:
    run: 'echo "count=42" >> "$BATON_OUTPUT"; printf "note<<EOF\\nline one\\nline two\\nEOF\\n" >> "$BATON_OUTPUT"'
  consume:
    needs: [produce]
    run: 'echo "\${{ stages.produce.outputs.count }}" > count.txt'
`);
    assert.equal(status, 'succeeded');
    assert.equal(await fs.readFile(path.join(dir, 'count.txt'), 'utf8'), '42\n');
  });

  it('fails a stage whose declared outputs are missing', async () => {
    const { runId, status } = await run(`
name: missing
stages:
  s: { run: 'true', outputs: [results/*.json] }
`);
    assert.equal(status, 'failed');
    const state = await engine.getRunState(runId);
    assert.match(state.stages.s?.reason ?? '', /results\/\*\.json/);
  });
});
