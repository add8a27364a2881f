import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StageAnnotation } from '../../src/engine/engineEvents';
import { readTree, useEngineFixture, writePipeline } from './helpers';

/**
 * GitHub's own toolkit, `@actions/core` (ESM only): found by walking up from
 * this file, since a stage's script lives in a temporary folder that no
 * `node_modules` is above.
 */
function actionsCoreUrl(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', '@actions', 'core', 'lib', 'core.js');
    if (existsSync(file)) return pathToFileURL(file).href;
  }
  throw new Error('@actions/core is not installed: run npm ci (it is a devDependency of server)');
}

/** A stage written for GitHub Actions, unchanged: every call goes through the toolkit. */
const PRODUCE = (core: string): string => `
import * as core from ${JSON.stringify(core)};
const seen = core.getState('tries');
const tries = seen === '' ? 1 : Number(seen) + 1;
core.saveState('tries', String(tries));
if (tries === 1) {
  console.log('first attempt fails on purpose');
  process.exit(1);
}
core.setOutput('greeting', 'hello');
core.setOutput('notes', 'line one\\nline two = still two');
core.setOutput('tries_seen', seen);
core.setSecret('tok-' + '5ecret');
console.log('token is tok-' + '5ecret');
core.exportVariable('TOOL_MODE', 'fast');
core.exportVariable('API_TOKEN', 'tok-' + '5ecret');
core.addPath(process.cwd() + '/tools');
core.error('bad value', { file: 'src/model.py', startLine: 3, startColumn: 5, title: 'Check' });
await core.summary.addHeading('Report').addRaw('all good').write();
`;

/** A later stage: what the first exported reaches it as variables and on PATH. */
const CONSUME = `
test "$TOOL_MODE" = fast && echo "mode=$TOOL_MODE" >> "$GITHUB_OUTPUT"
test "$API_TOKEN" = "tok-5ecret" && echo "token_ok=yes" >> "$GITHUB_OUTPUT"
echo "tool=$(hello-tool)" >> "$GITHUB_OUTPUT"
`;

describe("Engine: stages written with GitHub's toolkit (@actions/core)", function () {
  this.timeout(30_000);
  const fixture = useEngineFixture('github-toolkit');

  it("turns outputs, exported variables, PATH, state, summary, annotations and secrets into Baton's", async () => {
    const engine = fixture.newEngine();
    const annotations: StageAnnotation[] = [];
    engine.on('annotation', ({ annotation }) => annotations.push(annotation));
    await fs.writeFile(path.join(fixture.dir, 'produce.mjs'), PRODUCE(actionsCoreUrl()));
    await fs.writeFile(path.join(fixture.dir, 'consume.sh'), CONSUME);
    await fs.mkdir(path.join(fixture.dir, 'tools'));
    await fs.writeFile(path.join(fixture.dir, 'tools', 'hello-tool'), '#!/bin/sh\necho found\n', {
      mode: 0o755,
    });
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: toolkit
stages:
  produce: { run: node produce.mjs, retry: { attempts: 2, backoff: 10ms } }
  consume: { run: sh consume.sh, needs: [produce] }
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    assert.deepEqual(state.stages.produce?.outputs, {
      greeting: 'hello',
      notes: 'line one\nline two = still two',
      tries_seen: '1',
    });
    assert.deepEqual(state.stages.consume?.outputs, {
      mode: 'fast',
      token_ok: 'yes',
      tool: 'found',
    });
    assert.deepEqual(state.stages.produce?.exported, {
      env: { TOOL_MODE: 'fast', API_TOKEN: '***' },
      path: [path.join(fixture.dir, 'tools')],
    });
    const error = annotations.find((a) => a.level === 'error');
    assert.deepEqual(
      { file: error?.file, line: error?.line, column: error?.column, message: error?.message },
      { file: 'src/model.py', line: 3, column: 5, message: 'bad value' },
    );
    const summary = await fs.readFile(
      engine.files.stageSummaryFile(handle.runId, 'produce'),
      'utf8',
    );
    assert.match(summary, /<h1>Report<\/h1>\s*all good/);
    for (const { file: written, text } of await readTree(
      path.join(fixture.dir, '.baton', 'runs', handle.runId),
    )) {
      // The saved state is the stage's own store, as $BATON_STATE is; no secret was saved in it.
      assert.ok(!text.includes('5ecret'), `${written} shows the secret`);
    }
  });

  for (const secret of [false, true]) {
    const which = secret ? 'a secret one runs its stage again' : 'from the event log';
    it(`gives a resumed run the same exported variables and PATH (${which})`, async () => {
      const produce = [
        'echo run >> produced.txt',
        'echo "TOOL_MODE=fast" >> "$GITHUB_ENV"',
        'echo "$PWD/tools" >> "$GITHUB_PATH"',
        ...(secret
          ? [
              'echo "::add-mask::tok-5ecret"',
              'printf "API_TOKEN<<EOF\\ntok-5ecret\\nEOF\\n" >> "$GITHUB_ENV"',
            ]
          : []),
      ].join('; ');
      const consume = [
        'test -f ok',
        'echo "mode=$TOOL_MODE" >> "$GITHUB_OUTPUT"',
        'echo "tool=$(hello-tool)" >> "$GITHUB_OUTPUT"',
        ...(secret ? ['test "$API_TOKEN" = tok-5ecret'] : []),
      ].join(' && ');
      await fs.writeFile(path.join(fixture.dir, 'produce.sh'), produce);
      await fs.writeFile(path.join(fixture.dir, 'consume.sh'), consume);
      await fs.mkdir(path.join(fixture.dir, 'tools'));
      await fs.writeFile(path.join(fixture.dir, 'tools', 'hello-tool'), '#!/bin/sh\necho found\n', {
        mode: 0o755,
      });
      const file = await writePipeline(
        fixture.dir,
        'p',
        'name: resume\nstages:\n  produce: { run: sh produce.sh }\n  consume: { run: sh consume.sh, needs: [produce] }\n',
      );
      const first = await fixture.newEngine().startRun({ file, interactive: false });
      assert.equal(await first.finished, 'failed');
      await fs.writeFile(path.join(fixture.dir, 'ok'), '');
      const engine = fixture.newEngine();
      const resumed = await engine.resumeRun(first.runId, { interactive: false });
      assert.equal(await resumed.finished, 'succeeded');
      const state = await engine.getRunState(first.runId);
      assert.deepEqual(state.stages.consume?.outputs, { mode: 'fast', tool: 'found' });
      const produced = await fs.readFile(path.join(fixture.dir, 'produced.txt'), 'utf8');
      assert.equal(produced, secret ? 'run\nrun\n' : 'run\n');
    });
  }
  it("resolves a relative $GITHUB_PATH line against the writing stage's directory", async () => {
    // The writer runs in tools-home/, the reader in elsewhere/: "bin" means tools-home/bin.
    await fs.mkdir(path.join(fixture.dir, 'tools-home', 'bin'), { recursive: true });
    await fs.mkdir(path.join(fixture.dir, 'elsewhere'));
    await fs.writeFile(
      path.join(fixture.dir, 'tools-home', 'bin', 'hello-tool'),
      '#!/bin/sh\necho found\n',
      {
        mode: 0o755,
      },
    );
    const file = await writePipeline(
      fixture.dir,
      'p',
      [
        'name: relative-path',
        'stages:',
        '  add: { cwd: tools-home, run: \'echo bin >> "$GITHUB_PATH"\' }',
        '  use: { cwd: elsewhere, needs: [add], run: \'echo "tool=$(hello-tool)" >> "$GITHUB_OUTPUT"\' }',
        '',
      ].join('\n'),
    );
    const engine = fixture.newEngine();
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    const state = await engine.getRunState(handle.runId);
    assert.deepEqual(state.stages.use?.outputs, { tool: 'found' });
  });
});
