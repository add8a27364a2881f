import * as assert from 'node:assert/strict';
import type { DidOpenDebugTargetParams } from '@baton/protocol';
import {
  attachConfiguration,
  attachRuntimes,
  missingDebuggerText,
} from '../src/model/debugConfiguration';
import { DebugTargets } from '../src/model/debugTargets';

const told = (runId: string, stage: string, port: number): DidOpenDebugTargetParams => ({
  seq: 1,
  runId,
  stage,
  attempt: 2,
  target: { kind: 'listening', runtime: 'node', host: '127.0.0.1', port },
});

describe('DebugTargets', () => {
  it('hands a waiter its stage’s target, also one told before it waited', async () => {
    const targets = new DebugTargets();
    const never = new Promise<void>(() => undefined);
    const waiting = targets.next('r1', 'a', never);
    targets.told(told('r1', 'b', 1));
    targets.told(told('r1', 'a', 2));
    assert.equal((await waiting)?.target.kind, 'listening');
    assert.equal(((await waiting)?.target as { port: number }).port, 2);
    assert.equal(((await targets.next('r1', 'b', never))?.target as { port: number }).port, 1);
  });

  it('forgets an earlier target of the stage, and gives up when asked to', async () => {
    const targets = new DebugTargets();
    targets.told(told('r1', 'a', 1));
    targets.forget('r1', 'a');
    assert.equal(await targets.next('r1', 'a', Promise.resolve()), undefined);
  });
});

describe('debugConfiguration', () => {
  it('asks only for runtimes VS Code has a debugger for', () => {
    assert.deepEqual(attachRuntimes({ node: true, python: undefined }), ['node']);
    assert.deepEqual(attachRuntimes({ node: true, python: 'debugpy' }), ['node', 'python']);
  });

  it('attaches js-debug to the inspector and lets the paused stage go; the Python debugger to debugpy', () => {
    const node = attachConfiguration(
      { kind: 'listening', runtime: 'node', host: '127.0.0.1', port: 9229 },
      'work',
      { node: true, python: undefined },
    );
    assert.deepEqual(
      { type: node.type, request: node.request, port: node.port, go: node.continueOnAttach },
      { type: 'pwa-node', request: 'attach', port: 9229, go: true },
    );
    const python = attachConfiguration(
      { kind: 'listening', runtime: 'python', host: '127.0.0.1', port: 5678 },
      'train',
      { node: true, python: 'python' },
    );
    assert.equal(python.type, 'python');
    assert.deepEqual(python.connect, { host: '127.0.0.1', port: 5678 });
  });

  it('says what is missing in words', () => {
    assert.match(missingDebuggerText('train', 'python', 'python3'), /ms-python\.debugpy/);
    assert.match(missingDebuggerText('train', 'python', 'python3'), /pip install debugpy/);
    assert.match(missingDebuggerText('x', null, 'sh'), /only Node and Python stages can.*"sh"/);
  });
});
