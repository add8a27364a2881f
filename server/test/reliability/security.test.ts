import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunState } from '@baton/core';
import { baton, describeResult, runIdIn } from './harness/cli';
import {
  injectionValues,
  isStageWrittenFile,
  makeSecrets,
  secretValues,
  writeEchoPipeline,
  writeInjectionPipeline,
  writeSecretsPipeline,
} from './harness/securityPipelines';
import { filesContaining, listTree } from './harness/stateFiles';

describe('reliability: security of the baton CLI', function () {
  this.timeout(60_000);
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-sec-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it('secrets never reach a log, the event log, run.json, any Baton file or the terminal', async () => {
    const secrets = makeSecrets(workspace);
    const seenFile = await writeSecretsPipeline(workspace, secrets);
    const env = { CHAOS_TOKEN: secrets.token };
    const run = await baton(
      workspace,
      ['run', 'secrets.pipeline.yaml', '--yes', '--input', `api_key=${secrets.apiKey}`],
      env,
    );
    assert.equal(run.code, 0, describeResult(run));
    const values = await secretValues(secrets);
    // The stage really had every secret, so there was something to hide.
    assert.equal((await fs.readFile(seenFile, 'utf8')).trim(), `${values.join(' ')} plain-default`);
    const runId = runIdIn(run.stdout) ?? '';
    const stateDir = path.join(workspace, '.baton');
    const hits = (await filesContaining(stateDir, values)).filter(
      (hit) => !isStageWrittenFile(hit),
    );
    assert.deepEqual(hits, []);
    const shown = [
      run,
      await baton(workspace, ['logs', runId], env),
      await baton(workspace, ['status', runId, '--json'], env),
      await baton(workspace, ['runs'], env),
    ];
    for (const result of shown) {
      for (const value of values)
        assert.ok(!(result.stdout + result.stderr).includes(value), value);
    }
    const log = await fs.readFile(path.join(stateDir, 'runs', runId, 'logs', 'leak.1.log'), 'utf8');
    assert.match(log, /stdout \*\*\* \*\*\* \*\*\*/);
  });

  it('printed text changes nothing: no outputs, answers or events from echo', async () => {
    const files = await writeEchoPipeline(workspace);
    const run = await baton(workspace, ['run', 'echoes.pipeline.yaml', '--yes']);
    assert.equal(run.code, 0, describeResult(run));
    assert.equal(await fs.readFile(files.answer, 'utf8'), 'fine\n');
    assert.equal(await fs.readFile(files.read, 'utf8'), 'good\n');
    const runId = runIdIn(run.stdout) ?? '';
    const runDir = path.join(workspace, '.baton', 'runs', runId);
    const state = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as RunState;
    assert.deepEqual(state.stages.talker?.outputs, { result: 'good' });
    const events = await fs.readFile(path.join(runDir, 'events.jsonl'), 'utf8');
    assert.ok(!events.includes('evil'), 'no printed text reached the event log');
    assert.equal(events.match(/"type":"stageExited","stage":"reader"/g)?.length, 1);
  });

  it('input values reach the shell as data: no command in an input ever runs', async () => {
    const marker = path.join(workspace, 'pwned');
    const values = injectionValues(marker);
    const literal = await writeInjectionPipeline(workspace, values.length);
    const args = values.flatMap((value, i) => ['--input', `x${i + 1}=${value}`]);
    const run = await baton(workspace, ['run', 'inject.pipeline.yaml', '--yes', ...args]);
    assert.equal(run.code, 0, describeResult(run));
    assert.deepEqual(
      (await fs.readdir(workspace)).filter((name) => name.startsWith('pwned')),
      [],
      'a command from an input ran',
    );
    assert.equal(await fs.readFile(literal, 'utf8'), values.map((v) => `${v}\n`).join(''));
  });

  it('run ids, stage ids and pipeline ids that leave the state dir are refused', async () => {
    await fs.writeFile(path.join(workspace, 'ok.pipeline.yaml'), 'stages:\n  a: { run: "true" }\n');
    const ok = await baton(workspace, ['run', 'ok.pipeline.yaml', '--yes']);
    const runId = runIdIn(ok.stdout) ?? '';
    const attempts = [
      ['status', '../../etc'],
      ['status', '/etc'],
      ['resume', '../x'],
      ['stop', '..'],
      ['logs', '../../x'],
      ['answer', '../x', 'p', 'v'],
      ['logs', runId, '../../../../etc/passwd'],
      ['logs', runId, '../run'],
      ['unlock', '../../x'],
    ];
    for (const args of attempts) {
      const result = await baton(workspace, args);
      assert.notEqual(result.code, 0, `baton ${args.join(' ')}: ${describeResult(result)}`);
      assert.match(result.stderr, /invalid|no (run|stage)|not/i, `baton ${args.join(' ')}`);
      assert.ok(!result.stdout.includes('root:'), 'nothing outside the state dir is printed');
    }
  });

  it('state files are owner-only: directories 0700, files 0600', async () => {
    await fs.writeFile(
      path.join(workspace, 'ok.pipeline.yaml'),
      'stages:\n  a: { run: "echo hi" }\n',
    );
    const ok = await baton(workspace, ['run', 'ok.pipeline.yaml', '--yes']);
    assert.equal(ok.code, 0, describeResult(ok));
    const stateDir = path.join(workspace, '.baton');
    assert.equal((await fs.stat(stateDir)).mode & 0o777, 0o700);
    const entries = await listTree(stateDir);
    assert.ok(entries.some((e) => e.path.endsWith('run.json')));
    for (const entry of entries) {
      assert.equal(
        entry.mode & 0o077,
        0,
        `${entry.path} is open to others: ${entry.mode.toString(8)}`,
      );
    }
    assert.ok(!existsSync(path.join(workspace, 'pwned')));
  });
});
