import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PromptState } from '@baton/core';
import type { Engine } from '../../src/engine/engine';
import { useEngineFixture, waitFor, writePipeline } from './helpers';

/**
 * A program that asks with a bare `input()`, then masks a value and prints
 * it, then asks again: the unfinished question line must end where the
 * answer is written, as a terminal's echo ends it.
 */
const PROGRAM = `
name = input("Your name: ")
print("::add-mask::tok-" + "5ecret-value")
print("token is tok-" + "5ecret-value")
passes = input("How many passes: ")
print("hello", name, passes)
`;

describe('Engine: a bare input() answered, then more output', function () {
  this.timeout(30_000);
  const fixture = useEngineFixture('bare-input');
  let engine: Engine;
  beforeEach(() => {
    engine = fixture.newEngine();
  });

  it('ends the question line at the answer: the next command counts, the next question stands alone', async () => {
    await fs.writeFile(path.join(fixture.dir, 'ask.py'), PROGRAM);
    const file = await writePipeline(
      fixture.dir,
      'p',
      'name: bare\nstages:\n  py: { run: python3 ask.py }\n',
    );
    const prompts: PromptState[] = [];
    const logged: string[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    engine.on('log', ({ text }) => logged.push(text));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the first question', () => prompts.length > 0);
    assert.equal(prompts[0]?.message, 'Your name:');
    await engine.answerPrompt(handle.runId, prompts[0]?.id ?? '', { value: 'Ada' }, 'test');
    await waitFor('the second question', () => prompts.length > 1);
    assert.equal(prompts[1]?.message, 'How many passes:');
    await engine.answerPrompt(handle.runId, prompts[1]?.id ?? '', { value: '3' }, 'test');
    assert.equal(await handle.finished, 'succeeded');

    const log = await fs.readFile(
      path.join(fixture.dir, '.baton', 'runs', handle.runId, 'logs', 'py.1.log'),
      'utf8',
    );
    const events = await fs.readFile(
      path.join(fixture.dir, '.baton', 'runs', handle.runId, 'events.jsonl'),
      'utf8',
    );
    for (const [where, text] of [
      ['the log file', log],
      ['the log events', logged.join('')],
      ['the event log', events],
    ] as const) {
      assert.ok(!text.includes('5ecret-value'), `${where} shows the masked value`);
      assert.ok(!text.includes('::add-mask::'), `${where} shows the ::add-mask:: command`);
    }
    assert.match(log, /^Your name: \n/m);
    assert.match(log, /^token is \*\*\*\n/m);
    assert.match(log, /^hello Ada 3\n/m);
  });
});
