import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PromptState } from '@baton/core';
import type { Engine } from '../../src/engine/engine';
import { toRunSummary } from '../../src/rpc/service/wire';
import { useEngineFixture, waitFor, writePipeline } from './helpers';

/** Run numbers, changed inputs, run time across a resume, and answers written to the log (issue 18). */
describe('Engine: run numbers, labels and answer notes', function () {
  this.timeout(30000);
  const fixture = useEngineFixture('labels');
  let dir: string;
  let engine: Engine;

  beforeEach(() => {
    dir = fixture.dir;
    engine = fixture.newEngine();
  });

  it('numbers the runs of each pipeline 1, 2, … and keeps the number in run.json', async () => {
    const a = await writePipeline(dir, 'a', 'name: A\nstages:\n  s: { run: "true" }\n');
    const b = await writePipeline(dir, 'b', 'name: B\nstages:\n  s: { run: "true" }\n');
    const numbers: (number | undefined)[] = [];
    for (const file of [a, a, b, a]) {
      const handle = await engine.startRun({ file, interactive: false });
      await handle.finished;
      numbers.push((await engine.getRunState(handle.runId)).number);
    }
    assert.deepEqual(numbers, [1, 2, 1, 3]);
    const counter = await fs.readFile(path.join(dir, '.baton', 'numbers', 'a'), 'utf8');
    assert.equal(counter.trim(), '3');
  });

  it('starts after the runs a state directory already has when it has no count yet', async () => {
    const file = await writePipeline(dir, 'a', 'name: A\nstages:\n  s: { run: "true" }\n');
    for (let i = 0; i < 2; i += 1)
      await (
        await engine.startRun({ file, interactive: false })
      ).finished;
    await fs.rm(path.join(dir, '.baton', 'numbers'), { recursive: true });
    const handle = await engine.startRun({ file, interactive: false });
    await handle.finished;
    assert.equal((await engine.getRunState(handle.runId)).number, 3);
  });

  it('serves the inputs that differ from their defaults, never a secret one', async () => {
    const file = await writePipeline(
      dir,
      'p',
      `name: P
inputs:
  pillars: { type: choice, options: [ONE, ALL], default: ONE }
  depth: { type: number, default: 2 }
  token: { type: text, secret: true, default: x }
stages:
  s: { run: "true" }
`,
    );
    const handle = await engine.startRun({
      file,
      interactive: false,
      inputs: { pillars: 'ALL', depth: 2, token: 'hunter22' },
    });
    await handle.finished;
    const summary = toRunSummary(await engine.getRunState(handle.runId), true);
    assert.deepEqual(summary.changedInputs, { pillars: 'ALL' });
    assert.equal(summary.number, 1);
  });

  it('counts only the time a run ran: the wait before a resume is left out', async () => {
    const file = await writePipeline(dir, 'p', 'name: P\nstages:\n  s: { run: "test -f go" }\n');
    const first = await engine.startRun({ file, interactive: false });
    assert.equal(await first.finished, 'failed');
    const failed = await engine.getRunState(first.runId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fs.writeFile(path.join(dir, 'go'), '');
    const resumed = await engine.resumeRun(first.runId, { interactive: false });
    assert.equal(await resumed.finished, 'succeeded');
    const state = await engine.getRunState(first.runId);
    assert.equal(state.resumes, 1);
    assert.equal(state.earlierRanMs, (failed.endedAt ?? 0) - (failed.startedAt ?? 0));
    assert.ok((state.resumedAt ?? 0) >= (failed.endedAt ?? 0) + 300);
  });

  it('writes every answer into the asking stage log, a secret one hidden', async () => {
    const file = await writePipeline(
      dir,
      'p',
      `name: P
stages:
  ask:
    run: |
      echo "::prompt id=tag::Which tag?"; read tag
      printf 'Password: '; read pw
      echo "done $tag"
`,
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the first prompt', () => prompts.length > 0);
    await engine.answerPrompt(handle.runId, 'tag', { value: 'v1.2' }, 'rpc');
    await waitFor('the second prompt', () => prompts.length > 1);
    await engine.answerPrompt(handle.runId, prompts[1]?.id ?? '', { value: 's3cret-value' }, 'cli');
    assert.equal(await handle.finished, 'succeeded');
    const log = (await engine.files.readLog(handle.runId, 'ask', 1, 0, 1 << 20)).text;
    assert.match(log, /Which tag\?\n\[baton\] answered `v1\.2` in the editor\n/);
    assert.match(log, /\[baton\] answered a secret answer in the terminal\n/);
    assert.doesNotMatch(log, /s3cret-value/);
  });
});
