import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AnswerValue, PromptState } from '@baton/core';
import { Engine } from '../../src/engine/engine';
import { UNPRINTED_QUESTION } from '../../src/engine/attempt/bareQuestion';
import { readTree, useEngineFixture, waitFor, writePipeline } from './helpers';

/**
 * Debian's Python, with Debian's rich and click (scripts/install-system-deps.sh
 * installs them): the `python3` on PATH may be another one without them.
 */
const PYTHON = '/usr/bin/python3';

function requirePythonModules(modules: readonly string[]): void {
  try {
    execFileSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'pipe' });
  } catch {
    throw new Error(
      `${PYTHON} lacks ${modules.join(', ')}: run scripts/install-system-deps.sh as root ` +
        `(apt-get install python3-rich python3-click)`,
    );
  }
}

/** Questions as people ask them with rich, click and getpass, one after the other. */
const PROGRAM = `
import getpass, os
import click
from rich.prompt import Confirm, Prompt
go = Confirm.ask("Continue?", default=False)
pick = Prompt.ask("Pick", choices=["soil", "water", "ALL"], default="ALL")
passes = click.prompt("Passes", default=3, type=int)
sure = click.confirm("Go on?")
token = Prompt.ask("Secret", password=True)
word = getpass.getpass()
with open(os.environ["BATON_OUTPUT"], "a") as out:
    out.write(f"go={go}\\npick={pick}\\npasses={passes}\\nsure={sure}\\n")
    out.write(f"secrets_ok={token == 'tok-5ecret' and word == 'pw-5ecret'}\\n")
print("token was", token)
`;

/** What each question looks like in Baton, and the answer given. */
const EXPECTED: readonly (readonly [Partial<PromptState>, AnswerValue])[] = [
  [{ message: 'Continue? [y/n] (n):', type: 'confirm', default: false }, true],
  [
    {
      message: 'Pick [soil/water/ALL] (ALL):',
      type: 'choice',
      options: ['soil', 'water', 'ALL'],
      default: 'ALL',
      allowOther: true,
    },
    'water',
  ],
  [{ message: 'Passes [3]:', type: 'text', default: '3' }, '5'],
  [{ message: 'Go on? [y/N]:', type: 'confirm', default: false }, false],
  [{ message: 'Secret:', type: 'text', secret: true }, 'tok-5ecret'],
  [{ message: 'Password:', type: 'text', secret: true }, 'pw-5ecret'],
];

describe('Engine: questions asked by rich, click, getpass and the shell', function () {
  this.timeout(30_000);
  const fixture = useEngineFixture('library-prompts');
  let engine: Engine;
  beforeEach(() => {
    engine = fixture.newEngine();
  });

  it('offers the control each convention asks for, and masks password answers', async () => {
    requirePythonModules(['rich', 'click']);
    await fs.writeFile(path.join(fixture.dir, 'ask.py'), PROGRAM);
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: libs\nstages:\n  py: { run: ${PYTHON} ask.py }\n`,
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    for (const [index, [shape, answer]] of EXPECTED.entries()) {
      await waitFor(`question ${index + 1}`, () => prompts.length > index);
      const prompt = prompts[index];
      assert.ok(prompt);
      for (const [key, value] of Object.entries(shape)) {
        assert.deepEqual(prompt[key as keyof PromptState], value, `${prompt.message} ${key}`);
      }
      await engine.answerPrompt(handle.runId, prompt.id, { value: answer }, 'test');
    }
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    assert.deepEqual(state.stages.py?.outputs, {
      go: 'True',
      pick: 'water',
      passes: '5',
      sure: 'False',
      secrets_ok: 'True',
    });
    for (const { file: written, text } of await readTree(path.join(fixture.dir, '.baton'))) {
      assert.ok(!text.includes('5ecret'), `${written} shows a password answer`);
    }
  });

  it('reads a shell question with its default, answered with the words it takes', async () => {
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: sh
stages:
  sh:
    run: |
      printf 'Overwrite? [Y/n] '
      read answer
      echo "answer=$answer" >> "$BATON_OUTPUT"
`,
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the question', () => prompts.length > 0);
    assert.equal(prompts[0]?.type, 'confirm');
    assert.equal(prompts[0]?.default, true);
    await engine.answerPrompt(handle.runId, prompts[0]?.id ?? '', { value: false }, 'test');
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    assert.deepEqual(state.stages.sh?.outputs, { answer: 'n' });
  });

  it("asks for a shell's read -p, which prints no prompt when stdin is no terminal", async () => {
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: sh
stages:
  sh:
    run: bash ask.sh
`,
    );
    await fs.writeFile(
      path.join(fixture.dir, 'ask.sh'),
      [
        'echo starting',
        "read -p 'Name: ' name",
        "read -r -p 'Town: ' town",
        'echo "name=$name" >> "$BATON_OUTPUT"',
        'echo "town=$town" >> "$BATON_OUTPUT"',
      ].join('\n'),
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the first question', () => prompts.length > 0);
    assert.equal(prompts[0]?.message, UNPRINTED_QUESTION);
    assert.equal(prompts[0]?.secret, undefined, 'a script without read -s asks in the clear');
    await engine.answerPrompt(handle.runId, prompts[0]?.id ?? '', { value: 'Ada' }, 'test');
    await waitFor('the second question', () => prompts.length > 1);
    await engine.answerPrompt(handle.runId, prompts[1]?.id ?? '', { value: 'Rome' }, 'test');
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    assert.deepEqual(state.stages.sh?.outputs, { name: 'Ada', town: 'Rome' });
  });

  // bash, not /bin/sh: dash has no read -s. One reads in a script file, one in the run: line.
  for (const [where, run] of [
    ['a script file', 'bash ask.sh'],
    [
      'the run: line',
      `bash -c 'read -s word; test "$word" = pw-5ecret && echo ok=yes >> "$BATON_OUTPUT"'`,
    ],
  ] as const) {
    it(`treats a read -s in ${where}, which prints nothing, as a secret prompt`, async () => {
      await fs.writeFile(
        path.join(fixture.dir, 'ask.sh'),
        'read -s word\ntest "$word" = pw-5ecret && echo ok=yes >> "$BATON_OUTPUT"\n',
      );
      const file = await writePipeline(
        fixture.dir,
        'p',
        `name: sh\nstages:\n  sh:\n    run: ${JSON.stringify(run)}\n`,
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
      assert.deepEqual(state.stages.sh?.outputs, { ok: 'yes' });
      for (const { file: written, text } of await readTree(path.join(fixture.dir, '.baton'))) {
        assert.ok(!text.includes('5ecret'), `${written} shows the password`);
      }
    });
  }

  it('masks a password answered from another process (baton answer) before it is logged', async () => {
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: sh\nstages:\n  sh: { run: 'printf "Password: "; read word; echo "got $word"' }\n`,
    );
    const prompts: PromptState[] = [];
    engine.on('promptOpened', ({ prompt }) => prompts.push(prompt));
    const handle = await engine.startRun({ file, interactive: true });
    await waitFor('the question', () => prompts.length > 0);
    assert.equal(prompts[0]?.secret, true);
    // A second engine plays the part of `baton answer` in another process: its answer goes through the inbox.
    const other = new Engine({ stateDir: path.join(fixture.dir, '.baton') });
    const sent = await other.answerPrompt(
      handle.runId,
      prompts[0]?.id ?? '',
      { text: 'pw-5ecret' },
      'cli',
    );
    assert.equal(sent, 'sent');
    assert.equal(await handle.finished, 'succeeded');
    for (const { file: written, text } of await readTree(path.join(fixture.dir, '.baton'))) {
      assert.ok(!text.includes('5ecret'), `${written} shows the password`);
    }
  });
});
