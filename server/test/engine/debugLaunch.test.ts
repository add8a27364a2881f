import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  commandProgram,
  debugCommand,
  debugRuntimeOf,
  type StageDebugTarget,
} from '../../src/engine/debug/debugLaunch';
import { DebugTargetScanner } from '../../src/engine/debug/debugTargetScanner';

describe('debugLaunch: which stages can be debugged and how they start', () => {
  it('knows a runtime by the program the command starts with, and only by it', () => {
    for (const command of ['node x.js', '  node x.js', '/usr/bin/node x.js', 'nodejs x.js', 'node'])
      assert.equal(debugRuntimeOf(command), 'node', command);
    for (const command of [
      'python x.py',
      'python3 -m pkg',
      'python3.11 x.py',
      '.venv/bin/python x.py',
    ])
      assert.equal(debugRuntimeOf(command), 'python', command);
    for (const command of [
      'sh x.sh',
      'echo node',
      'cd a && node x.js',
      'npm run x',
      'nodemon x',
      'pythonw x',
      '${{ inputs.cmd }}',
      '',
    ])
      assert.equal(debugRuntimeOf(command), undefined, command);
    assert.equal(commandProgram('  python3 -c "print(1)"'), 'python3');
  });

  it('adds the inspector to the node process the stage starts, on a free loopback port', () => {
    assert.equal(
      debugCommand('node x.js --flag "a b"', 'node'),
      'node --inspect-brk=127.0.0.1:0 x.js --flag "a b"',
    );
    assert.equal(
      debugCommand('  /usr/bin/node x.js', 'node'),
      '  /usr/bin/node --inspect-brk=127.0.0.1:0 x.js',
    );
  });

  describe('the Python bootstrap, run by a real python3', () => {
    let dir = '';
    before(function () {
      if (spawnSync('python3', ['--version']).status !== 0) this.skip();
      dir = mkdtempSync(path.join(os.tmpdir(), 'baton-debugpy-'));
      writeFileSync(path.join(dir, 'script.py'), 'print("ran")\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const run = (command: string): { status: number | null; stderr: string } => {
      const result = spawnSync('/bin/sh', ['-c', debugCommand(command, 'python')], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 20000,
      });
      return { status: result.status, stderr: result.stderr };
    };

    it('says debugpy is missing, and how to get it, when the stage’s Python cannot import it', function () {
      if (spawnSync('python3', ['-c', 'import debugpy']).status === 0) this.skip();
      const { status, stderr } = run('python3 script.py');
      assert.equal(status, 97);
      assert.match(
        stderr,
        /^baton-debug: unavailable: debugpy is not importable by \S*python\S*; install it with: \S+ -m pip install debugpy$/m,
      );
    });
  });
});

describe('DebugTargetScanner: where a debugged attempt waits, from its stderr', () => {
  const scan = (runtime: 'node' | 'python', chunks: string[]): StageDebugTarget[] => {
    const found: StageDebugTarget[] = [];
    const scanner = new DebugTargetScanner(runtime, (target) => found.push(target));
    for (const chunk of chunks) scanner.push(Buffer.from(chunk));
    return found;
  };

  it('reads the inspector’s announcement, even split across chunks, once', () => {
    const found = scan('node', [
      'noise\nDebugger listening on ws://127.0.0.1:4',
      '1234/0f1e2d3c-aaaa-bbbb\r\nFor help, see: https://nodejs.org/en/docs/inspector\n',
      'Debugger listening on ws://127.0.0.1:9999/other\n',
    ]);
    assert.deepEqual(found, [
      {
        kind: 'listening',
        runtime: 'node',
        host: '127.0.0.1',
        port: 41234,
        url: 'ws://127.0.0.1:41234/0f1e2d3c-aaaa-bbbb',
      },
    ]);
  });

  it('believes only a loopback address', () => {
    assert.deepEqual(scan('node', ['Debugger listening on ws://10.0.0.5:9229/abc\n']), []);
    assert.deepEqual(scan('python', ['baton-debug: debugpy listening on 0.0.0.0:5678\n']), []);
  });

  it('reads debugpy’s port and what is missing from the Python bootstrap’s marker lines', () => {
    assert.deepEqual(scan('python', ['baton-debug: debugpy listening on 127.0.0.1:5678\n']), [
      { kind: 'listening', runtime: 'python', host: '127.0.0.1', port: 5678 },
    ]);
    assert.deepEqual(scan('python', ['x\nbaton-debug: unavailable: debugpy is missing\n']), [
      { kind: 'unavailable', runtime: 'python', reason: 'debugpy is missing' },
    ]);
  });
});
