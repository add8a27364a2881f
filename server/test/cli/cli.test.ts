import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { processesOfRun, readTree, tempDir, waitFor, writePipeline } from '../engine/helpers';

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `baton` in `cwd` (stdout is a pipe, so the plain view is used). */
function startBaton(
  cwd: string,
  args: readonly string[],
): { child: ChildProcess; done: Promise<Finished>; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, output: () => stdout + stderr };
}

function baton(cwd: string, args: readonly string[]): Promise<Finished> {
  return startBaton(cwd, args).done;
}

function runIdIn(text: string): string {
  const match = /run (\d{8}-\d{6}-\d{3}-[a-z0-9]{4})/.exec(text);
  if (!match?.[1]) throw new Error(`no run id in: ${text}`);
  return match[1];
}

describe('baton CLI', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir('cli');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('validate prints file:line:col diagnostics and exits 2', async () => {
    await writePipeline(
      dir,
      'bad',
      'name: bad\nstages:\n  a:\n    run: true\n    needs: [nowhere]\n    timout: 5s\n',
    );
    const result = await baton(dir, ['validate', 'bad.pipeline.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /^bad\.pipeline\.yaml:5:\d+: error: .*nowhere.* \[[a-z-]+\]$/m);
    assert.match(result.stdout, /^bad\.pipeline\.yaml:6:\d+: error: .*timout.* \[[a-z-]+\]$/m);
    await writePipeline(dir, 'good', 'name: good\nstages:\n  a: { run: "true" }\n');
    const good = await baton(dir, ['validate', 'good.pipeline.yaml']);
    assert.equal(good.code, 0);
    assert.match(good.stdout, /valid \(1 stage\)/);
  });

  it('exits 0 when the run succeeds, 1 when it fails, 2 on bad usage', async () => {
    await writePipeline(dir, 'ok', 'name: ok\nstages:\n  a: { run: "echo hello" }\n');
    await writePipeline(
      dir,
      'ko',
      'name: ko\nstages:\n  a: { run: "exit 3" }\n  b: { needs: [a], run: "true" }\n',
    );
    const ok = await baton(dir, ['run', 'ok.pipeline.yaml', '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /\[a\] hello/);
    const ko = await baton(dir, ['run', 'ko.pipeline.yaml', '--yes']);
    assert.equal(ko.code, 1);
    assert.match(ko.stdout, /\[a\] failed/);
    assert.match(ko.stdout, /baton resume /);
    assert.equal((await baton(dir, ['run'])).code, 2);
    assert.equal((await baton(dir, ['run', 'ok.pipeline.yaml', '--input', 'novalue'])).code, 2);
    const json = await baton(dir, ['run', 'ok.pipeline.yaml', '--yes', '--json']);
    assert.equal(JSON.parse(json.stdout).status, 'succeeded');
  });

  it('resumes after kill -9 of the engine without re-running succeeded stages', async () => {
    const count = (id: string): string => `echo ${id} >> "$RUNS_FILE"`;
    await writePipeline(
      dir,
      'crash',
      `
name: crash
env: { RUNS_FILE: ${path.join(dir, 'executions.txt')} }
stages:
  first: { run: '${count('first')}' }
  slow:
    needs: [first]
    run: '${count('slow')}; if [ -e "$BATON_STATE/done-once" ]; then exit 0; fi; touch "$BATON_STATE/done-once"; sleep 60'
  last: { needs: [slow], run: '${count('last')}' }
`,
    );
    const first = startBaton(dir, ['run', 'crash.pipeline.yaml', '--yes']);
    await waitFor('slow to start', () => first.output().includes('[slow] started'));
    const runId = runIdIn(first.output());
    // Kill the engine once the stage is past its checkpoint and sleeping.
    const marker = path.join(dir, '.baton', 'runs', runId, 'state', 'slow', 'done-once');
    await waitFor('the checkpoint of slow', () => existsSync(marker));
    first.child.kill('SIGKILL');
    await first.done;
    const resumed = await baton(dir, ['resume', runId, '--yes']);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /skip\s+first/);
    const executions = readFileSync(path.join(dir, 'executions.txt'), 'utf8').trim().split('\n');
    assert.deepEqual(executions, ['first', 'slow', 'slow', 'last']);
    assert.deepEqual(processesOfRun(runId), []);
    for (const { file, text } of await readTree(path.join(dir, '.baton', 'runs', runId))) {
      if (file.endsWith('.json')) JSON.parse(text);
      if (file.endsWith('.jsonl'))
        text
          .trim()
          .split('\n')
          .forEach((line) => JSON.parse(line));
    }
    const status = JSON.parse((await baton(dir, ['status', runId, '--json'])).stdout);
    assert.equal(status.status, 'succeeded');
  });

  it('refuses a second run of a running pipeline, naming the owner', async () => {
    await writePipeline(dir, 'busy', 'name: busy\nstages:\n  a: { run: "sleep 60" }\n');
    const first = startBaton(dir, ['run', 'busy.pipeline.yaml', '--yes']);
    await waitFor('the first run to start', () => first.output().includes('[a] started'));
    const second = await baton(dir, ['run', 'busy.pipeline.yaml', '--yes']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`already running \\(pid ${first.child.pid}`));
    first.child.kill('SIGINT');
    const ended = await first.done;
    assert.equal(ended.code, 130);
    assert.match(ended.stdout, /baton resume/);
    const runId = runIdIn(ended.stdout);
    assert.deepEqual(processesOfRun(runId), []);
    const shown = await baton(dir, ['status', runId, '--json']);
    assert.equal(JSON.parse(shown.stdout).status, 'interrupted');
  });

  it('reclaims the lock of a killed owner and marks its run interrupted', async () => {
    await writePipeline(
      dir,
      'stale',
      'name: stale\nstages:\n  a: { run: "touch ran && sleep 60" }\n',
    );
    const first = startBaton(dir, ['run', 'stale.pipeline.yaml', '--yes']);
    // "[a] started" is printed before the start is in the event log, and the stage's
    // command runs only after (write-ahead): a kill between the two leaves a run
    // that never started. Once the command ran, the run is on record as running.
    await waitFor('the stage to run', () => existsSync(path.join(dir, 'ran')));
    const runId = runIdIn(first.output());
    first.child.kill('SIGKILL');
    await first.done;
    assert.ok(existsSync(path.join(dir, '.baton', 'locks', 'stale.lock')));
    await writePipeline(dir, 'stale', 'name: stale\nstages:\n  a: { run: "true" }\n');
    const second = await baton(dir, ['run', 'stale.pipeline.yaml', '--yes']);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout + second.stderr, /reclaimed the lock of pipeline stale/);
    const shown = await baton(dir, ['status', runId, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(JSON.parse(shown.stdout).status, 'interrupted');
    assert.deepEqual(processesOfRun(runId), []);
  });

  it('answers a prompt of a run owned by another process', async () => {
    await writePipeline(
      dir,
      'ask',
      `name: ask\nstages:\n  q: { run: 'echo "::prompt id=go,type=confirm::Go on?"; read a; echo "answer=$a" > answer.txt' }\n`,
    );
    const owner = startBaton(dir, ['run', 'ask.pipeline.yaml']);
    await waitFor('the prompt', () => owner.output().includes('baton answer'));
    const runId = runIdIn(owner.output());
    const answered = await baton(dir, ['answer', runId, 'go', 'yes']);
    assert.equal(answered.code, 0, answered.stderr);
    assert.equal((await owner.done).code, 0);
    assert.equal(readFileSync(path.join(dir, 'answer.txt'), 'utf8'), 'answer=true\n');
  });
  it('queues a second run when the overlap policy says queue', async () => {
    const order = path.join(dir, 'order.txt');
    // Each run waits for the file "release", so the first one is still running when the second starts.
    const track = `echo "start $BATON_RUN_ID" >> ${order}; while [ ! -e release ]; do sleep 0.05; done; echo "end $BATON_RUN_ID" >> ${order}`;
    await writePipeline(
      dir,
      'queued',
      `name: queued\nschedule: { cron: "0 3 * * *", overlap: queue }\nstages:\n  a: { run: '${track}' }\n`,
    );
    const first = startBaton(dir, ['run', 'queued.pipeline.yaml', '--yes']);
    await waitFor('the first run to start', () => first.output().includes('[a] started'));
    const second = startBaton(dir, ['run', 'queued.pipeline.yaml', '--yes']);
    await waitFor('the second run to queue', () =>
      /waiting for run \S+ of queued to finish/.test(second.output()),
    );
    await fs.writeFile(path.join(dir, 'release'), '');
    const [one, two] = await Promise.all([first.done, second.done]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    const lines = readFileSync(order, 'utf8').trim().split('\n');
    assert.deepEqual(
      lines.map((line) => line.split(' ')[0]),
      ['start', 'end', 'start', 'end'],
    );
  });

  it('stop from another terminal cancels the run and logs prints its output', async () => {
    await writePipeline(
      dir,
      'stoppable',
      `name: stoppable\nstages:\n  a: { run: 'echo working; sleep 60' }\n`,
    );
    const owner = startBaton(dir, ['run', 'stoppable.pipeline.yaml', '--yes']);
    await waitFor('the stage output', () => owner.output().includes('[a] working'));
    const runId = runIdIn(owner.output());
    const stopped = await baton(dir, ['stop', runId]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /Asked the owner/);
    assert.equal((await owner.done).code, 1);
    assert.deepEqual(processesOfRun(runId), []);
    const logs = await baton(dir, ['logs', runId, 'a']);
    assert.equal(logs.stdout, 'working\n');
    const runs = await baton(dir, ['runs']);
    assert.match(runs.stdout, new RegExp(`${runId}\\s+cancelled\\s+stoppable #1\\s`));
  });

  it("logs prints the run's own notes (the inputs given) before the stages' output", async () => {
    await writePipeline(
      dir,
      'greet',
      `name: greet\ninputs:\n  who: { prompt: Who? }\nstages:\n  a: { run: 'echo hello \${{ inputs.who }}' }\n`,
    );
    const run = await baton(dir, ['run', 'greet.pipeline.yaml', '--yes', '--input', 'who=Ada']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const logs = await baton(dir, ['logs', runIdIn(run.stdout)]);
    assert.equal(
      logs.stdout,
      '[baton] input `who`: `Ada`, given when the run was started in the terminal\n[a] hello Ada\n',
    );
  });

  /** A run whose stage printed `first` and waits for a `go` file, and `baton logs -f` following it. */
  async function followGatedRun(): Promise<{
    owner: ReturnType<typeof startBaton>;
    runId: string;
    follower: ReturnType<typeof startBaton>;
  }> {
    await writePipeline(
      dir,
      'gated',
      `name: gated\nstages:\n  a: { run: 'echo first; while [ ! -e go ]; do sleep 0.02; done; echo second' }\n`,
    );
    const owner = startBaton(dir, ['run', 'gated.pipeline.yaml', '--yes']);
    await waitFor('the stage output', () => owner.output().includes('[a] first'));
    const runId = runIdIn(owner.output());
    const follower = startBaton(dir, ['logs', runId, 'a', '--follow']);
    await waitFor('logs -f to print the first line', () => follower.output().includes('first'));
    return { owner, runId, follower };
  }

  it('logs -f prints a run’s output as another process writes it and ends when the run ends', async () => {
    const { owner, follower } = await followGatedRun();
    await fs.writeFile(path.join(dir, 'go'), '');
    assert.equal((await owner.done).code, 0);
    const followed = await follower.done;
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'first\nsecond\n');
  });

  it('logs -f ends, saying how to resume, when the run’s owner dies without finishing it', async () => {
    const { owner, runId, follower } = await followGatedRun();
    owner.child.kill('SIGKILL');
    await owner.done;
    const followed = await follower.done;
    assert.equal(followed.code, 1, followed.stdout + followed.stderr);
    assert.equal(followed.stdout, 'first\n');
    assert.match(followed.stderr, new RegExp(`owner is gone.*baton resume ${runId}`));
    await fs.writeFile(path.join(dir, 'go'), '');
  });

  it('list shows every pipeline file with its validation state', async () => {
    await writePipeline(
      dir,
      'good',
      'name: Good one\nstages:\n  a: { run: "true" }\n  b: { run: "true" }\n',
    );
    await writePipeline(
      dir,
      'broken',
      'name: broken\nstages:\n  a: { needs: [zz], run: "true" }\n',
    );
    await fs.mkdir(path.join(dir, 'node_modules', 'dep'), { recursive: true });
    await writePipeline(
      path.join(dir, 'node_modules', 'dep'),
      'hidden',
      'name: hidden\nstages: {}\n',
    );
    const listed = await baton(dir, ['list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /good\.pipeline\.yaml\s+valid\s+Good one \(2 stages\)/);
    assert.match(listed.stdout, /broken\.pipeline\.yaml\s+1 error/);
    assert.doesNotMatch(listed.stdout, /hidden/);
  });

  it("unlock refuses a live owner without --force and removes a dead owner's lock", async () => {
    await writePipeline(dir, 'locked', 'name: locked\nstages:\n  a: { run: "sleep 60" }\n');
    const owner = startBaton(dir, ['run', 'locked.pipeline.yaml', '--yes']);
    await waitFor('the run to start', () => owner.output().includes('[a] started'));
    const refused = await baton(dir, ['unlock', 'locked']);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, new RegExp(`locked by pid ${owner.child.pid} .*\\(alive\\)`));
    owner.child.kill('SIGKILL');
    await owner.done;
    const removed = await baton(dir, ['unlock', 'locked.pipeline.yaml']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /\(dead\)[\s\S]*Lock of locked removed/);
    assert.equal(
      (await baton(dir, ['unlock', 'locked'])).stdout,
      'Pipeline locked is not locked.\n',
    );
    await baton(dir, ['runs']);
    assert.deepEqual(processesOfRun(runIdIn(owner.output())), []);
  });

  it('keeps secret inputs and secret env out of run files and takes them again on resume', async () => {
    await writePipeline(
      dir,
      'secret',
      `
name: secret
env: { API_KEY: key-in-the-file-77 }
secrets: [API_KEY]
inputs:
  token: { prompt: Token?, type: text, secret: true }
stages:
  use:
    run: 'echo "token $BATON_INPUT_TOKEN key $API_KEY"; echo "$BATON_INPUT_TOKEN $API_KEY" > seen.txt; test -e fixed'
`,
    );
    const first = await baton(dir, [
      'run',
      'secret.pipeline.yaml',
      '--yes',
      '--input',
      'token=tok-secret-42',
    ]);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /token \*\*\* key \*\*\*/);
    const runId = runIdIn(first.stdout);
    for (const { file, text } of await readTree(path.join(dir, '.baton'))) {
      assert.ok(!text.includes('tok-secret-42'), `${file} holds the secret input`);
      assert.ok(!text.includes('key-in-the-file-77'), `${file} holds the secret env value`);
    }
    await fs.writeFile(path.join(dir, 'fixed'), '');
    const refused = await baton(dir, ['resume', runId, '--yes']);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /token is secret and never stored; give it again with --input token=/,
    );
    const resumed = await baton(dir, ['resume', runId, '--yes', '--input', 'token=tok-secret-42']);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.equal(
      readFileSync(path.join(dir, 'seen.txt'), 'utf8'),
      'tok-secret-42 key-in-the-file-77\n',
    );
    // The run's own log says the secret was given, each time, and never what it was.
    assert.equal(
      readFileSync(path.join(dir, '.baton', 'runs', runId, 'run.log'), 'utf8'),
      [
        '[baton] input `token`: a secret value, given when the run was started in the terminal',
        '[baton] input `token`: a secret value, given when the run was resumed in the terminal',
        '',
      ].join('\n'),
    );
    for (const { file, text } of await readTree(path.join(dir, '.baton')))
      assert.ok(!text.includes('tok-secret-42'), `${file} holds the secret input after the resume`);
  });

  it('keeps its memory bounded while a stage prints a lot', async () => {
    // More output than the engine may ever hold: memory must not grow with it.
    const megabytes = 250;
    await writePipeline(
      dir,
      'flood',
      `name: flood\nstages:\n  a: { run: 'head -c ${megabytes}000000 /dev/zero | tr "\\\\0" x | fold -w 100' }\n`,
    );
    const flood = startBaton(dir, ['run', 'flood.pipeline.yaml', '--yes', '--json']);
    let peakKb = 0;
    const sample = setInterval(() => {
      const status = readFileSyncOrEmpty(`/proc/${flood.child.pid}/status`);
      const rss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      if (rss !== undefined) peakKb = Math.max(peakKb, Number(rss));
    }, 20);
    const result = await flood.done;
    clearInterval(sample);
    assert.equal(result.code, 0, result.stderr);
    const runId = (JSON.parse(result.stdout) as { runId: string }).runId;
    const log = await fs.stat(path.join(dir, '.baton', 'runs', runId, 'logs', 'a.1.log'));
    assert.equal(log.size, megabytes * 1_010_000, 'every byte reached the log');
    assert.ok(peakKb > 0, 'memory was sampled');
    assert.ok(peakKb < 160 * 1024, `peak RSS ${peakKb} KiB for ${megabytes} MB of output`);
  });
});

function readFileSyncOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
