import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import { useEngineFixture, waitFor, writePipeline } from './helpers';

/** A chain of `count` stages running `run`, each needing the one before. */
function chain(count: number, run: string): string {
  const lines = ['name: chain', 'stages:'];
  for (let index = 0; index < count; index++) {
    lines.push(`  s${index}:`, `    run: ${JSON.stringify(run)}`);
    if (index > 0) lines.push(`    needs: [s${index - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('Engine: what a stage finds when its command starts', function () {
  this.timeout(30000);
  const fixture = useEngineFixture('stage-start');

  it('finds its own start in the event log (write-ahead), stage after stage', async () => {
    const engine = fixture.newEngine();
    // Exits 9 unless the run's events.jsonl already holds this attempt's stageStarted.
    const check =
      'grep -q "\\"type\\":\\"stageStarted\\",\\"stage\\":\\"$BATON_STAGE\\",\\"attempt\\":$BATON_ATTEMPT," "$BATON_RUN_DIR/events.jsonl" || exit 9';
    const file = await writePipeline(fixture.dir, 'p', chain(8, check));
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
  });

  it('finds its state directory, an empty output file and the summary directory made', async () => {
    const engine = fixture.newEngine();
    const check =
      'test -d "$BATON_STATE" && test -f "$BATON_OUTPUT" && ! test -s "$BATON_OUTPUT" && test -d "$(dirname "$BATON_SUMMARY")" || exit 9';
    const file = await writePipeline(fixture.dir, 'p', chain(4, check));
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
  });

  it('reads outputs only where a stage wrote some, also when it removed its output file', async () => {
    const engine = fixture.newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      [
        'name: outputs',
        'stages:',
        '  silent: { run: "true" }',
        '  writer: { needs: [silent], run: "echo answer=42 >> \\"$BATON_OUTPUT\\"" }',
        '  remover: { needs: [writer], run: "rm \\"$BATON_OUTPUT\\"" }',
        '',
      ].join('\n'),
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    const { stages } = await engine.getRunState(handle.runId);
    assert.deepEqual(stages.silent?.outputs ?? {}, {});
    assert.deepEqual(stages.writer?.outputs, { answer: '42' });
    assert.deepEqual(stages.remover?.outputs ?? {}, {});
    const logs = await fs.readdir(path.join(fixture.dir, '.baton', 'runs', handle.runId, 'logs'));
    assert.deepEqual(logs.sort(), ['remover.1.log', 'silent.1.log', 'writer.1.log']);
  });

  it('logs what the shell prints before the gate opens (a command line that does not parse)', async () => {
    const engine = fixture.newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      'name: broken\nstages:\n  s: { run: "if" }\n',
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'failed');
    const log = await fs.readFile(
      path.join(fixture.dir, '.baton', 'runs', handle.runId, 'logs', 's.1.log'),
      'utf8',
    );
    assert.match(log, /Syntax error/);
  });

  it('runs nothing of a stage whose files cannot be made, and fails it saying why', async () => {
    const engine = fixture.newEngine();
    const marker = path.join(fixture.dir, 'ran');
    // The first stage puts a file where the second stage's state directory belongs.
    const file = await writePipeline(
      fixture.dir,
      'p',
      [
        'name: blocked',
        'stages:',
        '  a: { run: \'touch "$BATON_RUN_DIR/state/b"\' }',
        `  b: { needs: [a], run: 'touch ${marker}' }`,
        '',
      ].join('\n'),
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'failed');
    const { stages } = await engine.getRunState(handle.runId);
    assert.match(JSON.stringify(stages.b), /could not prepare the stage's files/);
    await assert.rejects(fs.access(marker));
  });

  it('is announced started only once the events before its start are in the log', async () => {
    const engine = fixture.newEngine();
    const file = await writePipeline(fixture.dir, 'p', chain(5, 'true'));
    const missing: string[] = [];
    // The check runs in the callback: count its runs, or a callback that never
    // fires (no stageStarted events at all) would pass it.
    const checked: string[] = [];
    engine.on('event', ({ runId, event }) => {
      if (event.type !== 'stageStarted') return;
      checked.push(event.stage);
      const log = path.join(fixture.dir, '.baton', 'runs', runId, 'events.jsonl');
      const logged = readFileSync(log, 'utf8').trim().split('\n').length;
      // Every event before this one (seq - 1 of them) is already written.
      if (logged < event.seq - 1) missing.push(`${event.stage}: ${logged} of ${event.seq - 1}`);
    });
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(checked.length, 5, `one check per stage start, saw ${checked.join(', ')}`);
    assert.deepEqual(missing, []);
  });

  it('starts every stage of a run from the environment as it was when the run started', async () => {
    const env: Record<string, string | undefined> = { ...process.env, GREETING: 'before' };
    const engine = new Engine({ stateDir: path.join(fixture.dir, '.baton'), baseEnv: env });
    const file = await writePipeline(
      fixture.dir,
      'p',
      [
        'name: env',
        'stages:',
        '  a: { run: \'echo "$GREETING" > a.txt; while [ ! -e go ]; do sleep 0.01; done\' }',
        '  b: { needs: [a], run: \'echo "$GREETING" > b.txt\' }',
        '',
      ].join('\n'),
    );
    const handle = await engine.startRun({ file, interactive: false });
    await waitFor(
      'stage a',
      async () =>
        (await fs.readFile(path.join(fixture.dir, 'a.txt'), 'utf8').catch(() => '')) !== '',
    );
    env.GREETING = 'after';
    await fs.writeFile(path.join(fixture.dir, 'go'), '');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await fs.readFile(path.join(fixture.dir, 'b.txt'), 'utf8'), 'before\n');
  });
});
