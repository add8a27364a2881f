import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { CliContext } from '../../src/cli/cliContext';
import { main } from '../../src/cli/cliMain';
import { tempDir } from '../engine/helpers';
import { captureTerminal } from './captureTerminal';

const COMMANDS = [
  'run',
  'resume',
  'serve',
  'list',
  'runs',
  'status',
  'logs',
  'validate',
  'stop',
  'answer',
  'unlock',
  'why',
  'cache',
];
const NO_RUN = '20260101-000000-000-abcd';
const MAIN_MODULE = path.resolve(__dirname, '..', '..', 'src', 'cli', 'cliMain.js');

/** What a command printed and its exit code. */
interface Outcome {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

describe('baton commands, each loaded when it runs', () => {
  let dir: string;
  let context: CliContext & { terminal: ReturnType<typeof captureTerminal> };

  beforeEach(async () => {
    dir = await tempDir('cli-program');
    context = { terminal: captureTerminal(), cwd: dir, env: {} };
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function baton(...args: string[]): Promise<Outcome> {
    context.terminal.out.length = 0;
    context.terminal.err.length = 0;
    const code = await main(['--state-dir', 'state', ...args], context);
    return { code, out: context.terminal.out.join(''), err: context.terminal.err.join('') };
  }

  it('--help lists every command', async () => {
    const { code, out } = await baton('--help');
    assert.equal(code, 0);
    for (const command of COMMANDS) assert.match(out, new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('an unknown command is a usage error (exit 2), also as JSON with --json', async () => {
    const plain = await baton('frob');
    assert.equal(plain.code, 2);
    assert.match(plain.err, /unknown command 'frob'/);
    const json = await baton('frob', '--json');
    assert.equal(json.code, 2);
    assert.equal((JSON.parse(json.out) as { error: { kind: string } }).error.kind, 'usage');
  });

  it('every command reaches its own implementation', async () => {
    const expected: [string[], number, RegExp][] = [
      [['run', 'nope.pipeline.yaml'], 1, /cannot read pipeline file nope\.pipeline\.yaml/],
      [['resume', NO_RUN], 1, new RegExp(`no run ${NO_RUN}`)],
      [['serve'], 2, /serve needs --stdio/],
      [['list'], 0, /No \*\.pipeline\.yaml/],
      [['runs'], 0, /No runs in /],
      [['status'], 2, /there are no runs/],
      [['logs', NO_RUN], 1, new RegExp(`no run ${NO_RUN}`)],
      [['validate', 'nope.pipeline.yaml'], 2, /cannot read nope\.pipeline\.yaml: no such file/],
      [['stop', NO_RUN], 1, new RegExp(`no run ${NO_RUN}`)],
      [['answer', NO_RUN, 'inputs.x', 'y'], 1, new RegExp(`no run ${NO_RUN}`)],
      [['unlock', 'nope'], 0, /Pipeline nope is not locked/],
      [['why', 'nope.pipeline.yaml', 's'], 1, /cannot read pipeline file nope\.pipeline\.yaml/],
      [['cache', 'ls'], 0, /the record is empty/],
    ];
    assert.deepEqual(expected.map(([args]) => args[0]).sort(), [...COMMANDS].sort());
    for (const [args, code, message] of expected) {
      const outcome = await baton(...args);
      assert.equal(outcome.code, code, `baton ${args.join(' ')}: ${outcome.err}`);
      assert.match(outcome.out + outcome.err, message, `baton ${args.join(' ')}`);
    }
  });

  it('--version, --help and usage errors load no command and no engine', async () => {
    // A fresh process: this one has loaded every module already.
    const script = `
      const { main } = require(${JSON.stringify(MAIN_MODULE)});
      const terminal = { isTTY: false, columns: 80, rows: 24, colors: {}, write() {}, line() {}, error() {} };
      (async () => {
        for (const args of [['--version'], ['--help'], ['frob'], ['resume']])
          await main(args, { terminal, cwd: process.cwd(), env: {} });
        const loaded = Object.keys(require.cache).filter((file) => /[\\\\/](commands|engine|rpc)[\\\\/]/.test(file) && !/engineErrors/.test(file));
        process.stdout.write(JSON.stringify(loaded));
      })();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: dir });
    assert.deepEqual(JSON.parse(stdout), []);
  });

  it('loadEveryCommand loads every command module and runs none', async () => {
    const script = `
      const { loadEveryCommand } = require(${JSON.stringify(MAIN_MODULE)});
      loadEveryCommand().then(() => {
        const loaded = Object.keys(require.cache).filter((file) => /[\\\\/]cli[\\\\/]commands[\\\\/]/.test(file));
        process.stdout.write(JSON.stringify(loaded.map((file) => file.replace(/^.*[\\\\/]/, '')).sort()));
      });
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: dir });
    assert.deepEqual(JSON.parse(stdout), [
      'cacheCommands.js',
      'controlCommands.js',
      'inspectCommands.js',
      'runCommands.js',
      'runsCommand.js',
      'serveCommand.js',
      'workerCommand.js',
    ]);
    assert.deepEqual(await fs.readdir(dir), []);
  });
});
