import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { useEngineFixture, writePipeline } from './helpers';

describe('Engine: a stage in a Python virtual environment (venv:)', function () {
  this.timeout(30_000);
  const fixture = useEngineFixture('venv');

  it("runs the stage with the venv active: VIRTUAL_ENV, and the venv's python first on PATH", async () => {
    // A real venv, made by Debian's Python (the script that installs the test
    // dependencies installs python3-venv); no pip needed to prove activation.
    execFileSync('/usr/bin/python3', [
      '-m',
      'venv',
      '--without-pip',
      path.join(fixture.dir, '.venv'),
    ]);
    await fs.mkdir(path.join(fixture.dir, 'sub'));
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: venv
venv: .venv
stages:
  py:
    cwd: sub
    run: |
      python -c 'import sys; print("prefix=" + sys.prefix)' >> "$BATON_OUTPUT"
      echo "virtual_env=$VIRTUAL_ENV" >> "$BATON_OUTPUT"
  plain: { run: 'echo "virtual_env=$VIRTUAL_ENV" >> "$BATON_OUTPUT"', venv: false }
`,
    );
    const engine = fixture.newEngine();
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    const venv = path.join(fixture.dir, '.venv');
    assert.deepEqual(state.stages.py?.outputs, { prefix: venv, virtual_env: venv });
    assert.deepEqual(state.stages.plain?.outputs, { virtual_env: '' });
  });

  it('fails the stage before its command runs when the folder is missing or not a venv', async () => {
    await fs.mkdir(path.join(fixture.dir, 'not-a-venv'));
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: venv
stages:
  missing: { run: touch ran-missing, venv: .venv }
  plain: { run: touch ran-plain, venv: not-a-venv }
`,
    );
    const engine = fixture.newEngine();
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'failed');
    const state = await engine.getRunState(handle.runId);
    assert.match(
      state.stages.missing?.reason ?? '',
      /could not start: venv .*\.venv does not exist/,
    );
    assert.match(
      state.stages.plain?.reason ?? '',
      /not-a-venv is not a Python virtual environment \(it has no pyvenv\.cfg/,
    );
    const left = await fs.readdir(fixture.dir);
    assert.ok(!left.includes('ran-missing') && !left.includes('ran-plain'), 'a command ran');
  });
});
