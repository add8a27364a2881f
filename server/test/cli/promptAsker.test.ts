import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { PromptState } from '@baton/core';
import { askInline } from '../../src/cli/promptAsker';

/** A question read from a library's conventions: rich's `Pick [soil/water/ALL] (ALL):`. */
const PICK: PromptState = {
  kind: 'stage',
  stage: 'ask',
  attempt: 1,
  name: 'input-1',
  id: 'input-1',
  message: 'Pick [soil/water/ALL] (ALL):',
  type: 'choice',
  options: ['soil', 'water', 'ALL'],
  default: 'ALL',
  allowOther: true,
  openedAt: 0,
};

/** Keys as a terminal sends them. */
const DOWN = '\u001b[B';
const ENTER = '\r';

/** Asks `prompt` with the real @inquirer/prompts on in-memory streams, typing `keys` one by one once it is drawn. */
async function askWithKeys(prompt: PromptState, keys: readonly string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  const drawn = new Promise<void>((resolve) => {
    output.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (screen.includes('Other…')) resolve();
    });
  });
  const asking = askInline(prompt, new AbortController().signal, { input, output });
  await drawn;
  for (const key of keys) {
    input.write(key);
    // Each key is one readline event: let inquirer redraw before the next.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { outcome: await asking, screen: () => screen };
}

describe('CLI: a choice that takes other text (allowOther)', function () {
  this.timeout(10_000);

  it('offers "Other…" after the options and asks for the text when it is picked', async () => {
    // From the default (ALL, the third row) one step down is Other….
    const { outcome, screen } = await askWithKeys(PICK, [DOWN, ENTER, 'c', 'l', 'a', 'y', ENTER]);
    assert.deepEqual(outcome, { kind: 'answered', value: 'clay' });
    assert.match(screen(), /soil[\s\S]*water[\s\S]*ALL[\s\S]*Other…/);
  });

  it('still answers with a listed option', async () => {
    const { outcome } = await askWithKeys(PICK, [ENTER]);
    assert.deepEqual(outcome, { kind: 'answered', value: 'ALL' });
  });

  it('shows no "Other…" row for a choice that takes only its options', async () => {
    const { allowOther: _ignored, ...strict } = PICK;
    const output = new PassThrough();
    const input = new PassThrough();
    let screen = '';
    output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
    const asking = askInline(strict, new AbortController().signal, { input, output });
    await new Promise<void>((resolve) => output.once('data', () => resolve()));
    input.write(ENTER);
    assert.deepEqual(await asking, { kind: 'answered', value: 'ALL' });
    assert.ok(!screen.includes('Other…'), screen);
  });
});
