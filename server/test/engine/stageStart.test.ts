import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { useEngineFixture, writePipeline } from './helpers';

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
});
