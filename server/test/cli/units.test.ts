import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createRun, parsePipeline } from '@baton/core';
import type { PromptState, RunState } from '@baton/core';
import type { CliContext } from '../../src/cli/cliContext';
import { findWorkspace, stateDirOf } from '../../src/cli/cliContext';
import { parseInputs } from '../../src/cli/commands/runCommands';
import { exitCodeForStatus } from '../../src/cli/exitCodes';
import { formatDuration, progressBar, truncate } from '../../src/cli/terminalFormat';
import { LiveView } from '../../src/cli/liveView';
import { main } from '../../src/cli/cliMain';
import { PlainView } from '../../src/cli/plainView';
import type { AskOutcome } from '../../src/cli/promptAsker';
import { PromptQueue } from '../../src/cli/promptQueue';
import { tempDir } from '../engine/helpers';
import { captureTerminal } from './captureTerminal';

function prompt(id: string): PromptState {
  return {
    kind: 'input',
    input: id,
    id: `inputs.${id}`,
    message: `${id}?`,
    type: 'text',
    openedAt: 0,
  };
}

describe('CLI building blocks', () => {
  it('formats durations, bars and cut text', () => {
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(12_340), '12.3s');
    assert.equal(formatDuration(245_000), '4m 05s');
    assert.equal(formatDuration(2 * 3600_000 + 180_000), '2h 03m');
    assert.equal(formatDuration(Number.NaN), '-');
    assert.equal(progressBar(50, 10), '█████     ');
    assert.equal([...progressBar(100, 10)].length, 10);
    assert.equal(truncate('abcdef', 4), 'abc…');
  });

  it('reads --input pairs and refuses a pair without =', () => {
    assert.deepEqual(parseInputs(['a=1', 'b=x=y', 'c=']), { a: '1', b: 'x=y', c: '' });
    assert.throws(() => parseInputs(['novalue']), /expected id=value/);
    assert.throws(() => parseInputs(['=v']), /expected id=value/);
  });

  it('maps run statuses to exit codes', () => {
    assert.equal(exitCodeForStatus('succeeded'), 0);
    assert.equal(exitCodeForStatus('failed'), 1);
    assert.equal(exitCodeForStatus('cancelled'), 1);
    assert.equal(exitCodeForStatus('interrupted'), 130);
  });

  it('plain view prints each completed line once with its stage, and a bar only in its final state', () => {
    const terminal = captureTerminal();
    const view = new PlainView(terminal, () => 0);
    view.onLog({ runId: 'r', stage: 's', attempt: 1, text: 'hel', bytes: 3 });
    view.onLog({
      runId: 'r',
      stage: 's',
      attempt: 1,
      text: 'lo\n 10%|#\r 50%|###\r100%|#####\r\ndone\n',
      bytes: 36,
    });
    const lines = terminal.out.map((line) => line.replace(/^\S+ /, ''));
    assert.deepEqual(lines, ['[s] hello\n', '[s] 100%|#####\n', '[s] done\n']);
  });

  it('prompt queue asks one prompt at a time and drops prompts closed elsewhere', async () => {
    const asked: string[] = [];
    const answered: string[] = [];
    let release: (outcome: AskOutcome) => void = () => undefined;
    const queue = new PromptQueue(
      (p, signal) =>
        new Promise<AskOutcome>((resolve) => {
          asked.push(p.id);
          release = resolve;
          signal.addEventListener('abort', () => resolve({ kind: 'aborted' }));
        }),
      {
        before: () => undefined,
        after: () => undefined,
        answered: (p, outcome) => {
          answered.push(`${p.id}:${outcome.kind}`);
          return Promise.resolve();
        },
      },
    );
    queue.opened(prompt('a'));
    queue.opened(prompt('b'));
    queue.opened(prompt('c'));
    queue.opened(prompt('a'));
    assert.deepEqual(asked, ['inputs.a']);
    queue.closed('inputs.b');
    release({ kind: 'answered', value: 'x' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(asked, ['inputs.a', 'inputs.c']);
    queue.closed('inputs.c');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(answered, ['inputs.a:answered', 'inputs.c:aborted']);
  });

  it('main reports an unreadable or invalid file with exit code 2 and plain words', async () => {
    const dir = await tempDir('cli-units');
    try {
      const terminal = captureTerminal();
      const context: CliContext = { terminal, cwd: dir, env: {} };
      assert.equal(await main(['validate', 'missing.pipeline.yaml'], context), 2);
      assert.match(terminal.err.join(''), /cannot read missing\.pipeline\.yaml: no such file/);
      await fs.writeFile(
        path.join(dir, 'x.pipeline.yaml'),
        'name: x\nstages:\n  a: { run: "true", needs: [zz] }\n',
      );
      assert.equal(await main(['run', path.join(dir, 'x.pipeline.yaml'), '--yes'], context), 2);
      assert.match(terminal.err.join(''), /x\.pipeline\.yaml:3:\d+: error: /);
      assert.equal(await main(['status'], context), 2);
      assert.match(terminal.err.join(''), /there are no runs/);
      assert.equal(await main(['resume', '20260101-000000-000-abcd'], context), 1);
      assert.match(terminal.err.join(''), /no run 20260101-000000-000-abcd/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('live view draws a line per stage, redraws in place and holds notes while a prompt has the screen', () => {
    const parsed = parsePipeline(
      'name: Demo\nstages:\n  fetch: { run: "true" }\n  build: { run: "true", needs: [fetch] }\n',
      'demo.pipeline.yaml',
    );
    assert.ok(parsed.pipeline);
    const base = createRun({
      runId: 'r1',
      pipeline: parsed.pipeline,
      at: 0,
      interactive: true,
      defaultConcurrency: 2,
    });
    const fetch = base.stages.fetch;
    assert.ok(fetch);
    const state: RunState = {
      ...base,
      status: 'running',
      startedAt: 0,
      stages: {
        ...base.stages,
        fetch: {
          ...fetch,
          status: 'running',
          attempt: 1,
          startedAt: 0,
          progress: { percent: 50, message: 'half way' },
        },
      },
    };
    const terminal = captureTerminal(true);
    const view = new LiveView(terminal, () => 1500);
    view.onRunChanged({ runId: 'r1', seq: 1, state, changes: [] });
    view.start();
    view.pause();
    view.note('a warning');
    assert.ok(!terminal.out.join('').includes('a warning'), 'held while paused');
    view.resume();
    view.stop();
    const screen = terminal.out.join('');
    assert.match(screen, /Demo r1 running 1\.5s/);
    assert.match(screen, /fetch ██████████ {10} {2}50% {4}1\.5s half way/);
    assert.match(screen, /build/);
    assert.ok(screen.indexOf('a warning') > screen.indexOf('half way'), 'printed after the prompt');
    const esc = String.fromCharCode(27);
    assert.ok(
      screen.includes(`${esc}[0J`) && /\[\d+A/.test(screen),
      'redraws in place (cursor up, clear down)',
    );
  });

  it('finds the workspace above the current directory and its state directory', async () => {
    const root = await tempDir('workspace');
    try {
      const deep = path.join(root, 'a', 'b');
      await fs.mkdir(deep, { recursive: true });
      assert.equal(findWorkspace(deep), deep, 'no marker: the directory itself');
      await fs.mkdir(path.join(root, '.git'));
      assert.equal(findWorkspace(deep), root);
      await fs.mkdir(path.join(root, 'a', '.baton'));
      assert.equal(findWorkspace(deep), path.join(root, 'a'), 'an existing .baton wins');
      const context: CliContext = { terminal: captureTerminal(), cwd: deep, env: {} };
      assert.equal(stateDirOf(context, {}), path.join(root, 'a', '.baton'));
      assert.equal(
        stateDirOf({ ...context, env: { BATON_STATE_DIR: 'st' } }, {}),
        path.join(deep, 'st'),
      );
      assert.equal(stateDirOf(context, { stateDir: '/x/y' }), '/x/y');
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
