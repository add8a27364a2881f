import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Progress, PromptState } from '@baton/core';
import { Engine } from '../../src/engine/engine';
import type { StageAnnotation } from '../../src/engine/engineEvents';
import { commandName, processesOfRun, useEngineFixture, waitFor, writePipeline } from './helpers';
import { StatePaths } from '../../src/store/paths';

describe('Engine: hangs, watched files, resume and the inbox', function () {
  this.timeout(30000);
  const fixture = useEngineFixture('engine-more');
  const newEngine = (): Engine => fixture.newEngine();

  it('diagnoses a stage that goes quiet past its idle timeout and kills it', async () => {
    const engine = newEngine();
    const annotations: StageAnnotation[] = [];
    engine.on('annotation', ({ annotation }) => annotations.push(annotation));
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: idle\nstages:\n  quiet: { run: 'echo "last words"; sleep 60', idle_timeout: 400ms }\n`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'failed');
    assert.deepEqual(processesOfRun(handle.runId), []);
    const log = await fs.readFile(
      new StatePaths(engine.files.stateDir).stageLogFile(handle.runId, 'quiet', 1),
      'utf8',
    );
    assert.match(log, /diagnosis/);
    assert.match(log, /\| last words/);
    assert.match(log, /sleep 60/);
    assert.ok(annotations.some((a) => a.title === 'stage looks hung'));
  });

  it('turns lines of watched JSONL files into progress and log lines', async () => {
    const engine = newEngine();
    const progress: Progress[] = [];
    engine.on('event', ({ event }) => {
      if (event.type === 'stageProgress') progress.push(event.progress);
    });
    // No wait after the last line: the watch reads its files to the end when the
    // stage exits, and this test holds it to that instead of giving it time.
    const file = await writePipeline(
      fixture.dir,
      'p',
      `
name: watch
stages:
  w:
    run: 'mkdir -p status; for i in 1 2 3 4; do echo "{\\"progress\\": $((i * 25)), \\"message\\": \\"step $i\\"}" >> status/w.jsonl; echo "plain $i" >> status/w.jsonl; sleep 0.1; done'
    watch: [status/*.jsonl]
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(progress.at(-1)?.percent, 100);
    const log = await fs.readFile(
      new StatePaths(engine.files.stateDir).stageLogFile(handle.runId, 'w', 1),
      'utf8',
    );
    assert.match(log, /\[status\/w\.jsonl\] step 4/);
    assert.match(log, /\[status\/w\.jsonl\] plain 4/);
  });

  it('applies answers and stop requests dropped into the inbox by another process', async () => {
    const engine = newEngine();
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const file = await writePipeline(
      fixture.dir,
      'p',
      `
name: inbox
stages:
  ask: { run: 'echo "::prompt id=n,type=number::How many?"; read n; echo "$n" > n.txt' }
  wait: { needs: [ask], run: 'sleep 60' }
`,
    );
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the prompt', () => prompts.length > 0);
    // A second engine plays the part of `baton answer` / `baton stop` in another process.
    const other = new Engine({ stateDir: path.join(fixture.dir, '.baton') });
    await assert.rejects(
      other.answerPrompt(handle.runId, 'n', { text: 'many' }, 'other'),
      /not a number/,
    );
    assert.equal(await other.answerPrompt(handle.runId, 'n', { text: '7' }, 'other'), 'sent');
    await waitFor(
      'the answer',
      async () =>
        (await fs.readFile(path.join(fixture.dir, 'n.txt'), 'utf8').catch(() => '')) === '7\n',
    );
    await waitFor('the second stage', () => processesOfRun(handle.runId).length > 0);
    assert.equal(await other.stopRun(handle.runId, 'other'), 'requested');
    assert.equal(await handle.finished, 'cancelled');
    assert.deepEqual(processesOfRun(handle.runId), []);
  });

  it('resumes a failed run without re-running succeeded stages or asking answered prompts again', async () => {
    const engine = newEngine();
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const file = await writePipeline(
      fixture.dir,
      'p',
      `
name: resume
stages:
  once: { run: 'echo once >> runs.txt' }
  ask:
    needs: [once]
    run: 'echo "::prompt id=go,type=confirm::Go?"; read go; echo "ask $go" >> runs.txt; test -e fixed'
`,
    );
    const first = await engine.startRun({ file, interactive: true });
    await waitFor('the prompt', () => prompts.length === 1);
    await engine.answerPrompt(first.runId, 'go', { value: true }, 'test');
    assert.equal(await first.finished, 'failed');
    await fs.writeFile(path.join(fixture.dir, 'fixed'), '');
    const resumed = await engine.resumeRun(first.runId, { interactive: true });
    assert.deepEqual(
      resumed.plan.stages.map((s) => s.action),
      ['skip', 'rerun'],
    );
    assert.equal(await resumed.finished, 'succeeded');
    assert.equal(prompts.length, 1, 'the recorded answer is reused, not asked again');
    assert.equal(
      await fs.readFile(path.join(fixture.dir, 'runs.txt'), 'utf8'),
      'once\nask true\nask true\n',
    );
  });

  it('overlap cancel-running stops the running run, then starts the new one', async () => {
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: latest\nschedule: { cron: "0 4 * * *", overlap: cancel-running }\nstages:\n  s: { run: 'test -e go && exit 0; sleep 60' }\n`,
    );
    const first = newEngine();
    const older = await first.startRun({ file, interactive: false });
    // Its sleep, not merely its shell: a shell still waiting at its gate would see the file.
    await waitFor('the first run to sleep', () =>
      processesOfRun(older.runId).some((pid) => commandName(pid) === 'sleep'),
    );
    await fs.writeFile(path.join(fixture.dir, 'go'), '');
    const notices: string[] = [];
    const second = newEngine();
    second.on('notice', ({ message }) => notices.push(message));
    const newer = await second.startRun({ file, interactive: false });
    assert.equal(await older.finished, 'cancelled');
    assert.equal(await newer.finished, 'succeeded');
    assert.ok(
      notices.some((n) => n.includes(`asked run ${older.runId} to stop`)),
      notices.join('\n'),
    );
    assert.deepEqual(processesOfRun(older.runId), []);
  });
});
