import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { spawnStage } from '../../src/process/spawnStage';
import type { StageExit } from '../../src/process/spawnStage';
import { gatedScript, GATE_CLOSED_EXIT_CODE, withoutGate } from '../../src/process/stageGate';
import { readCommandLine } from '../../src/process/processTree';
import { waitFor, withDeadline } from '../helpers/waitFor';
import { testEnv, useStageFixture } from './stageFixture';

/** What a finished stage showed: its exit and its output, with the per-attempt token blanked. */
interface Observed {
  readonly exit: StageExit;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Whether `pid` is blocked reading its gate, its stdin (descriptor 0). On
 * other machines than x86-64 and arm64 it cannot tell and says yes.
 */
function waitsAtGate(pid: number): boolean {
  const readCalls: Record<string, readonly string[]> = { x64: ['0'], arm64: ['63'] };
  const calls = readCalls[process.arch];
  if (!calls) return true;
  try {
    const [call, fd] = readFileSync(`/proc/${pid}/syscall`, 'latin1').split(' ');
    if (!calls.includes(call ?? '') || fd === undefined) return false;
    const gate = readlinkSync(`/proc/${pid}/fd/0`);
    return readlinkSync(`/proc/${pid}/fd/${Number.parseInt(fd, 16)}`) === gate;
  } catch {
    return false;
  }
}

describe('stage gate', () => {
  const temp = useStageFixture();

  async function observe(command: string, gated: boolean): Promise<Observed> {
    const stage = spawnStage({ command, cwd: temp.dir, env: testEnv({ GREETING: 'hi' }), gated });
    temp.track(stage);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    stage.onStdout((chunk) => stdout.push(chunk));
    stage.onStderr((chunk) => stderr.push(chunk));
    stage.start();
    const exit = await withDeadline('exit', stage.exited);
    const blank = (text: string): string => text.replaceAll(stage.processToken, '<token>');
    return {
      exit,
      stdout: blank(Buffer.concat(stdout).toString('utf8')),
      stderr: blank(Buffer.concat(stderr).toString('utf8')),
    };
  }

  const commands = [
    'echo "$0|$#|$*|$LINENO|${BATON_GATE-unset}|$GREETING"; pwd',
    'exit 7',
    'no_such_command_for_baton',
    'echo before\nno_such_command_for_baton\necho "line $LINENO"',
    'if',
    'echo printed; if',
    'echo printed\nif',
    ')',
    'kill -TERM $$',
    '[ -e /proc/$$/fd/3 ] && echo "fd 3 open" || echo "fd 3 closed"',
    'env | sort',
    'cat <<EOF\nheredoc $0\nEOF',
    "set -e; false; echo 'not reached'",
    'f() { return 3; }; f',
  ];

  for (const command of commands) {
    it(`shows the command what sh -c shows it: ${JSON.stringify(command)}`, async () => {
      const plain = await observe(command, false);
      const gated = await observe(command, true);
      assert.deepEqual(gated, plain);
    });
  }

  it('runs nothing of the command until started', async () => {
    const marker = join(temp.dir, 'ran');
    const stage = spawnStage({
      command: `echo ran > ${marker}`,
      cwd: temp.dir,
      env: testEnv(),
      gated: true,
    });
    temp.track(stage);
    const pid = stage.pid ?? 0;
    await waitFor('the shell to wait at its gate', () => waitsAtGate(pid));
    assert.equal(existsSync(marker), false);
    stage.start();
    assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
    assert.equal(readFileSync(marker, 'utf8'), 'ran\n');
  });

  it('hands the command its stdin from the first byte after the go', async () => {
    const stage = spawnStage({ command: 'cat', cwd: temp.dir, env: testEnv(), gated: true });
    temp.track(stage);
    const stdout: Buffer[] = [];
    stage.onStdout((chunk) => stdout.push(chunk));
    stage.start();
    // Started twice, as a retry of the engine's start might: one go only.
    stage.start();
    assert.equal(await stage.writeStdin('first line\nsecond'), true);
    stage.closeStdin();
    assert.deepEqual(await withDeadline('exit', stage.exited), { exitCode: 0 });
    assert.equal(Buffer.concat(stdout).toString('utf8'), 'first line\nsecond');
  });

  it('ends the shell before the command when the gate closes without a go', () => {
    const marker = join(temp.dir, 'ran');
    // Stdin on /dev/null: end of file at once, as when the engine died.
    const result = spawnSync('/bin/sh', ['-c', gatedScript(`echo ran > ${marker}`)], {
      cwd: temp.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(result.status, GATE_CLOSED_EXIT_CODE);
    assert.equal(result.stdout.toString(), '');
    assert.equal(existsSync(marker), false);
  });

  it('shows the command as written in the process table', async () => {
    const stage = spawnStage({ command: 'sleep 30', cwd: temp.dir, env: testEnv(), gated: true });
    temp.track(stage);
    const pid = stage.pid ?? 0;
    await waitFor('the shell to wait at its gate', () => waitsAtGate(pid));
    assert.equal(readCommandLine(pid), '/bin/sh -c sleep 30');
  });

  it('leaves command lines without a gate alone', () => {
    assert.equal(withoutGate('/bin/sh -c echo hi'), '/bin/sh -c echo hi');
    assert.equal(withoutGate(`/bin/sh -c ${gatedScript('make -j4')}`), '/bin/sh -c make -j4');
  });
});
