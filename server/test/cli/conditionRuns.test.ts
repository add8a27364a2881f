import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readTree, tempDir, writePipeline } from '../engine/helpers';

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

/** Runs `baton` in `cwd` to its end. */
function baton(
  cwd: string,
  args: readonly string[],
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

/** The stages of the one run's `run.json` in `dir`. */
async function stagesOfRun(
  dir: string,
): Promise<Record<string, { status: string; reason?: string }>> {
  const files = await readTree(path.join(dir, '.baton', 'runs'));
  const checkpoint = files.find((f) => path.basename(f.file) === 'run.json');
  assert.ok(checkpoint, 'no run.json');
  return (JSON.parse(checkpoint.text) as { stages: Record<string, { status: string }> }).stages;
}

describe('baton run with if: conditions', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir('conditions');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs an if: failure() cleanup after a failed stage and skips the rest with reasons', async () => {
    await writePipeline(
      dir,
      'p',
      [
        'stages:',
        '  build: { run: "touch built && exit 3" }',
        '  test: { needs: [build], run: "touch tested" }',
        '  cleanup: { needs: [test], if: failure(), run: "rm built && touch cleaned" }',
        '  report: { needs: [test], if: always() && success(), run: "touch reported" }',
        '',
      ].join('\n'),
    );
    const result = await baton(dir, ['run', 'p.pipeline.yaml', '--yes']);
    assert.equal(result.code, 1, result.out);
    assert.ok(existsSync(path.join(dir, 'cleaned')), result.out);
    assert.ok(!existsSync(path.join(dir, 'built')));
    assert.ok(!existsSync(path.join(dir, 'tested')));
    assert.ok(!existsSync(path.join(dir, 'reported')));
    const stages = await stagesOfRun(dir);
    assert.equal(stages.build?.status, 'failed');
    assert.equal(stages.cleanup?.status, 'succeeded');
    assert.equal(stages.test?.status, 'skipped');
    assert.equal(stages.report?.status, 'skipped');
    assert.equal(
      stages.report?.reason,
      'not run: its condition is false (if: always() && success())',
    );
  });

  it('baton validate reports a bad condition at its position', async () => {
    await writePipeline(
      dir,
      'bad',
      ['stages:', '  a:', '    run: "true"', "    if: inputs.mode = 'x'", ''].join('\n'),
    );
    const result = await baton(dir, ['validate', 'bad.pipeline.yaml']);
    assert.equal(result.code, 2);
    assert.match(
      result.out,
      /^bad\.pipeline\.yaml:4:21: error: stages\.a\.if: write "==" to compare.*\[bad-condition\]$/m,
    );
  });
});
