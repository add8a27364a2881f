import * as assert from 'node:assert/strict';
import type { Progress } from '@baton/core';
import { BareInputDetector } from '../../src/engine/attempt/bareInputDetector';
import { ProgressGate } from '../../src/engine/attempt/progressGate';
import { buildStageEnv } from '../../src/engine/attempt/stageEnv';
import { TimerTable } from '../../src/engine/run/timerTable';
import { TypedEmitter } from '../../src/engine/typedEmitter';
import { ManualClock } from './manualClock';

describe('engine building blocks', () => {
  describe('TimerTable', () => {
    it('restarts a key, cancels quietly and forgets fired timers', () => {
      const clock = new ManualClock();
      const table = new TimerTable(clock);
      const fired: string[] = [];
      table.start('a', clock.now() + 100, () => fired.push('a1'));
      table.start('a', clock.now() + 300, () => fired.push('a2'));
      table.start('b', clock.now() + 200, () => fired.push('b'));
      table.cancel('nope');
      clock.advance(250);
      assert.deepEqual(fired, ['b']);
      assert.equal(table.size, 1);
      clock.advance(100);
      assert.deepEqual(fired, ['b', 'a2']);
      assert.equal(table.size, 0);
    });
  });

  describe('ProgressGate', () => {
    it('sends the first report at once and the latest of a burst at the end of the interval', () => {
      const clock = new ManualClock();
      const sent: Progress[] = [];
      const gate = new ProgressGate(clock, 100, (progress) => sent.push(progress));
      for (let percent = 1; percent <= 50; percent++) gate.offer({ percent });
      assert.deepEqual(sent, [{ percent: 1 }]);
      clock.advance(100);
      assert.deepEqual(sent, [{ percent: 1 }, { percent: 50 }]);
      gate.offer({ percent: 60 });
      gate.flush();
      assert.deepEqual(sent.at(-1), { percent: 60 });
      clock.advance(1000);
      assert.equal(sent.length, 3);
    });
  });

  describe('BareInputDetector', () => {
    it('asks with an empty question for a stage that reads stdin having printed nothing, once per quiet spell', () => {
      const clock = new ManualClock();
      let reads = false;
      const questions: string[] = [];
      const detector = new BareInputDetector(
        { partialLine: () => '', canAsk: () => true, readsStdin: () => reads },
        clock,
        1000,
        (question) => questions.push(question),
      );
      detector.noteOutput();
      clock.advance(1500);
      assert.deepEqual(questions, [], 'a quiet stage that does not read stdin is not asking');
      detector.noteOutput();
      clock.advance(600);
      detector.noteOutput();
      reads = true;
      clock.advance(600);
      assert.deepEqual(questions, [], 'output restarts the silence');
      clock.advance(500);
      assert.deepEqual(questions, ['']);
      clock.advance(5000);
      assert.equal(questions.length, 1, 'asked once until something happens again');
      detector.dispose();
    });

    it('asks once after silence following an unfinished line, and re-arms on output', () => {
      const clock = new ManualClock();
      let partial = '';
      let canAsk = true;
      const questions: string[] = [];
      const detector = new BareInputDetector(
        { partialLine: () => partial, canAsk: () => canAsk },
        clock,
        1000,
        (question) => questions.push(question),
      );
      partial = 'Name? ';
      detector.noteOutput();
      clock.advance(900);
      partial = 'Name? still typing';
      detector.noteOutput();
      clock.advance(900);
      assert.deepEqual(questions, []);
      clock.advance(200);
      assert.deepEqual(questions, ['Name? still typing']);
      clock.advance(5000);
      assert.equal(questions.length, 1);
      canAsk = false;
      detector.noteOutput();
      clock.advance(2000);
      assert.equal(questions.length, 1, 'no question while a prompt is open');
      partial = '';
      canAsk = true;
      detector.noteOutput();
      clock.advance(2000);
      assert.equal(questions.length, 1, 'a finished line is no question');
    });
  });

  describe('buildStageEnv', () => {
    it('layers the base env, the stage env and Baton variables, which win', () => {
      const env = buildStageEnv({
        runId: 'r',
        stage: 's',
        attempt: 2,
        runDir: '/runs/r',
        interactive: false,
        outputFile: '/o',
        stateDir: '/st',
        summaryFile: '/su',
        inputs: { 'my-topic': 'x', tags: ['a', 'b'] },
        inputSpecs: [
          { id: 'my-topic', prompt: 'p', type: 'text' },
          { id: 'tags', prompt: 'p', type: 'multi', options: ['a', 'b'] },
        ],
        stageEnv: { MODE: 'fast', BATON_STAGE: 'spoofed' },
        baseEnv: { PATH: '/bin', MODE: 'slow', UNSET: undefined },
        githubEnv: { GITHUB_OUTPUT: '/o' },
      });
      assert.equal(env.PATH, '/bin');
      assert.equal(env.GITHUB_OUTPUT, '/o');
      assert.equal(env.MODE, 'fast');
      assert.equal(env.BATON_STAGE, 's');
      assert.equal(env.BATON_ATTEMPT, '2');
      assert.equal(env.BATON_INTERACTIVE, '0');
      assert.equal(env.BATON_INPUT_MY_TOPIC, 'x');
      assert.equal(env.BATON_INPUT_TAGS, 'a,b');
      assert.ok(!('UNSET' in env));
    });

    it('puts a venv first on PATH, then exported directories; the pipeline env beats exported variables', () => {
      const env = buildStageEnv({
        runId: 'r',
        stage: 's',
        attempt: 1,
        runDir: '/runs/r',
        interactive: false,
        outputFile: '/o',
        stateDir: '/st',
        summaryFile: '/su',
        inputs: {},
        inputSpecs: [],
        stageEnv: { MODE: 'declared' },
        baseEnv: { PATH: '/bin', PYTHONHOME: '/elsewhere' },
        inherited: { env: { MODE: 'exported', TOOL: 'x' }, path: ['/tools/bin'] },
        venv: '/p/.venv',
        githubEnv: {},
      });
      assert.equal(env.PATH, '/p/.venv/bin:/tools/bin:/bin');
      assert.equal(env.VIRTUAL_ENV, '/p/.venv');
      assert.ok(!('PYTHONHOME' in env));
      assert.equal(env.MODE, 'declared');
      assert.equal(env.TOOL, 'x');
    });
  });

  describe('TypedEmitter', () => {
    it('keeps delivering when a listener throws and stops after dispose', () => {
      const errors: unknown[] = [];
      const emitter = new TypedEmitter<{ tick: number }>((error) => errors.push(error));
      const seen: number[] = [];
      emitter.on('tick', () => {
        throw new Error('boom');
      });
      const subscription = emitter.on('tick', (n) => seen.push(n));
      emitter.emit('tick', 1);
      subscription.dispose();
      emitter.emit('tick', 2);
      assert.deepEqual(seen, [1]);
      assert.equal(errors.length, 2);
    });
  });
});
