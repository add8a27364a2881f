import * as assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startBaton } from '../helpers/batonProcess';
import { processesOfRun, readTree, tempDir, waitFor, writePipeline } from '../engine/helpers';

/** The stage states of the one run in `dir`. */
async function stagesOfRun(dir: string): Promise<Record<string, { status: string }>> {
  const files = await readTree(path.join(dir, '.baton', 'runs'));
  const checkpoint = files.find((f) => path.basename(f.file) === 'run.json');
  assert.ok(checkpoint, 'no run.json');
  return (JSON.parse(checkpoint.text) as { stages: Record<string, { status: string }> }).stages;
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

/** Stages forked by the engine, and started by the stage spawner (BATON_SPAWNER=1). */
for (const spawner of ['0', '1']) {
  const how = spawner === '1' ? 'through the stage spawner' : 'stages forked by the engine';
  describe(`baton run with foreach and matrix (${how})`, function () {
    this.timeout(90000);
    let dir: string;

    beforeEach(async () => {
      dir = await tempDir('fanout');
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it("fans out over a glob and hands the items' outputs on as a JSON list", async () => {
      await fs.mkdir(path.join(dir, 'papers'));
      await fs.writeFile(path.join(dir, 'papers', 'a.txt'), 'one two\n');
      await fs.writeFile(path.join(dir, 'papers', 'b c.txt'), 'one two three\n');
      await writePipeline(
        dir,
        'p',
        `concurrency: 2
stages:
  each:
    foreach: "papers/*.txt"
    run: |
      echo "words=$(wc -w < "$BATON_ITEM" | tr -d ' ')" >> "$BATON_OUTPUT"
      echo "$BATON_ITEM_INDEX \${{ item }}" >> seen.txt
  sizes:
    matrix: { size: [small, large] }
    run: echo "\${{ matrix.size }} $BATON_MATRIX_SIZE" >> sizes.txt
  report:
    needs: [each, sizes]
    run: echo "\${{ stages.each.outputs.words }}" > report.txt
`,
      );
      const run = startBaton(dir, ['run', 'p.pipeline.yaml', '--yes'], { BATON_SPAWNER: spawner });
      assert.equal(await run.done, 0, run.output());
      assert.deepEqual(lines(path.join(dir, 'seen.txt')).sort(), [
        '0 papers/a.txt',
        '1 papers/b c.txt',
      ]);
      assert.deepEqual(lines(path.join(dir, 'sizes.txt')).sort(), ['large large', 'small small']);
      assert.equal(readFileSync(path.join(dir, 'report.txt'), 'utf8').trim(), '["2","3"]');
      const stages = await stagesOfRun(dir);
      assert.equal(stages['each[papers%2Fa.txt]']?.status, 'succeeded');
      assert.equal(stages['sizes[small]']?.status, 'succeeded');
      assert.equal(stages.each?.status, 'succeeded');
    });

    it('resumes a dynamic foreach after kill -9 with the recorded items, running no succeeded item again', async () => {
      await writePipeline(
        dir,
        'p',
        `concurrency: 2
stages:
  list:
    run: |
      echo list >> list.txt
      echo 'items=["a","b","c","d","e","f"]' >> "$BATON_OUTPUT"
  each:
    needs: list
    foreach: \${{ stages.list.outputs.items }}
    run: |
      echo "$BATON_ITEM" >> ran.txt
      if [ "$BATON_ITEM" = c ]; then while [ ! -e go ]; do sleep 0.05; done; fi
      echo "$BATON_ITEM" >> done.txt
`,
      );
      const first = startBaton(dir, ['run', 'p.pipeline.yaml', '--yes'], {
        BATON_SPAWNER: spawner,
      });
      await waitFor('item c to block while the others finish', () => {
        const done = lines(path.join(dir, 'done.txt'));
        return lines(path.join(dir, 'ran.txt')).includes('c') && done.length >= 3;
      });
      const runId = /run (\d{8}-\d{6}-\d{3}-[a-z0-9]{4})/.exec(first.output())?.[1] ?? '';
      first.child.kill('SIGKILL');
      await first.done;
      // What the event log says succeeded before the kill; an item that finished
      // but whose exit was not logged yet was in flight, and may run again.
      const logged = lines(path.join(dir, '.baton', 'runs', runId, 'events.jsonl')).map(
        (line) => JSON.parse(line) as { type: string; stage?: string; exitCode?: number },
      );
      const doneBefore = logged
        .filter((e) => e.type === 'stageExited' && e.exitCode === 0 && e.stage?.startsWith('each['))
        .map((e) => (e.stage ?? '').slice('each['.length, -1));
      assert.ok(doneBefore.length >= 2, JSON.stringify(logged));
      await waitFor('the blocked item to end', () => processesOfRun(runId).length === 0, 10000);
      await fs.writeFile(path.join(dir, 'go'), '');
      const resumed = startBaton(dir, ['resume', runId, '--yes'], { BATON_SPAWNER: spawner });
      assert.equal(await resumed.done, 0, resumed.output());
      assert.deepEqual(lines(path.join(dir, 'list.txt')), ['list']);
      const done = lines(path.join(dir, 'done.txt'));
      assert.deepEqual([...new Set(done)].sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
      for (const item of doneBefore) {
        assert.equal(done.filter((d) => d === item).length, 1, `${item} ran twice`);
      }
      const stages = await stagesOfRun(dir);
      assert.equal(stages.each?.status, 'succeeded');
    });
  });
}
