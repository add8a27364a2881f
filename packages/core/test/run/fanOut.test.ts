import * as assert from 'node:assert/strict';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const MATRIX = {
  axes: { os: ['linux', 'mac'], node: ['18', '20'] },
  include: [{ os: 'linux', node: '20', extra: 'yes' }],
  exclude: [{ os: 'mac', node: '18' }],
};

describe('run: fan-out', () => {
  it('runs a matrix stage once per combination, with its values in the environment', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('test', { matrix: MATRIX, run: 'test ${{ matrix.os }}' })]),
    );
    const effects = effectsOf(run.start(), 'spawnStage');
    assert.deepEqual(
      effects.map((e) => e.stage),
      ['test[linux,18]', 'test[linux,20,yes]', 'test[mac,20]'],
    );
    const second = effects[1];
    assert.equal(second?.command, 'test ${BATON_MATRIX_OS}');
    assert.equal(second?.env.BATON_MATRIX_OS, 'linux');
    assert.equal(second?.env.BATON_MATRIX_EXTRA, 'yes');
    assert.equal(second?.env.BATON_ITEM_INDEX, '1');
    assert.deepEqual(run.stage('test').items?.counts.running, 3);
    for (const e of effects) run.exit(e.stage, 0, { outputs: { v: e.stage } });
    assert.equal(run.status('test'), 'succeeded');
    assert.equal(
      run.stage('test').outputs.v,
      JSON.stringify(['test[linux,18]', 'test[linux,20,yes]', 'test[mac,20]']),
    );
    assert.equal(run.state.status, 'succeeded');
  });

  it('fans out over a JSON list output, and a dependant reads the outputs as a JSON list', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('each', {
          needs: ['list'],
          foreach: '${{ stages.list.outputs.papers }}',
          run: 'summarize "${{ item }}"',
        }),
        stageSpec('report', { needs: ['each'], run: 'report "${{ stages.each.outputs.words }}"' }),
      ]),
    );
    run.start();
    const units = spawned(run.exit('list', 0, { outputs: { papers: '["a/x.pdf","b:c",3]' } }));
    assert.deepEqual(units, ['each[a%2Fx.pdf]', 'each[b%3Ac]', 'each[3]']);
    const spawn = effectsOf(run.allEffects, 'spawnStage').find((e) => e.stage === 'each[b%3Ac]');
    assert.equal(spawn?.env.BATON_ITEM, 'b:c');
    run.exit('each[a%2Fx.pdf]', 0, { outputs: { words: '10' } });
    run.exit('each[b%3Ac]', 0, { outputs: { words: '20' } });
    const last = run.exit('each[3]', 0, {});
    const report = effectsOf(last, 'spawnStage')[0];
    assert.equal(report?.stage, 'report');
    assert.equal(report?.env.BATON_OUT_EACH__WORDS, '["10","20",null]');
  });

  it('fails a foreach over an output that is not a JSON list, saying so', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('each', { needs: ['list'], foreach: '${{ stages.list.outputs.papers }}' }),
      ]),
    );
    run.start();
    run.exit('list', 0, { outputs: { papers: 'a.pdf' } });
    assert.equal(run.status('each'), 'failed');
    assert.match(
      run.stage('each').reason ?? '',
      /stages\.list\.outputs\.papers is not a JSON list/,
    );
    assert.equal(run.state.status, 'failed');
  });

  it('asks the shell to list a glob and fans out over the recorded list', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('each', { foreach: 'papers/*.txt', cwd: 'data' })]),
    );
    const list = effectsOf(run.start(), 'listItems');
    assert.deepEqual(list, [
      { type: 'listItems', stage: 'each', pattern: 'papers/*.txt', cwd: 'data' },
    ]);
    const effects = run.send({
      type: 'itemsListed',
      stage: 'each',
      items: ['papers/1.txt', 'papers/2.txt'],
    });
    assert.deepEqual(spawned(effects), ['each[papers%2F1.txt]', 'each[papers%2F2.txt]']);
    assert.match(run.reject({ type: 'itemsListed', stage: 'each', items: [] }), /not waiting/);
  });

  it('skips the units not started after a failure (fail_fast), and fails the stage with counts', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('m', {
            matrix: { axes: { n: ['1', '2', '3', '4'] }, include: [], exclude: [] },
          }),
        ],
        {
          concurrency: 2,
        },
      ),
    );
    assert.deepEqual(spawned(run.start()), ['m[1]', 'm[2]']);
    assert.deepEqual(spawned(run.exit('m[1]', 1)), []);
    assert.equal(run.status('m[3]'), 'skipped');
    run.exit('m[2]');
    assert.equal(run.status('m'), 'failed');
    assert.equal(run.stage('m').reason, '1 of 4 items failed');
    assert.equal(run.state.status, 'failed');
  });

  it('lets every item finish with fail_fast: false, and goes on with continue_on_error', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('m', {
            matrix: { axes: { n: ['1', '2', '3'] }, include: [], exclude: [] },
            failFast: false,
            continueOnError: true,
          }),
          stageSpec('after', { needs: ['m'] }),
        ],
        { concurrency: 1 },
      ),
    );
    run.start();
    assert.deepEqual(spawned(run.exit('m[1]', 1)), ['m[2]']);
    run.exit('m[2]');
    assert.deepEqual(spawned(run.exit('m[3]')), ['after']);
    run.exit('after');
    assert.equal(run.status('m'), 'failed');
    assert.equal(run.state.status, 'succeeded');
  });

  it('runs at most max_parallel units of a stage at once', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('m', {
          matrix: { axes: { n: ['1', '2', '3'] }, include: [], exclude: [] },
          maxParallel: 1,
        }),
        stageSpec('other'),
      ]),
    );
    assert.deepEqual(spawned(run.start()), ['m[1]', 'other']);
    assert.deepEqual(spawned(run.exit('m[1]')), ['m[2]']);
  });

  it("judges a fanned-out stage's if: per item", () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('m', {
          matrix: { axes: { os: ['linux', 'mac'] }, include: [], exclude: [] },
          if: "matrix.os != 'mac'",
        }),
      ]),
    );
    assert.deepEqual(spawned(run.start()), ['m[linux]']);
    assert.equal(run.status('m[mac]'), 'skipped');
  });

  it('runs 2,000 items with a cost per event that does not grow with the items', () => {
    const papers = JSON.stringify(Array.from({ length: 2000 }, (_, i) => `paper-${i}.pdf`));
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('list'),
          stageSpec('each', { needs: ['list'], foreach: '${{ stages.list.outputs.papers }}' }),
          stageSpec('done', { needs: ['each'] }),
        ],
        { concurrency: 8 },
      ),
    );
    run.start();
    let live = spawned(run.exit('list', 0, { outputs: { papers } }));
    let exits = 0;
    while (live.length > 0) {
      const [next, ...rest] = live;
      live = [...rest, ...spawned(run.exit(next ?? ''))];
      exits += 1;
    }
    assert.equal(exits, 2001);
    assert.equal(run.stage('each').items?.counts.succeeded, 2000);
    assert.equal(run.state.status, 'succeeded');
  });
  it('substitutes the inputs of a glob and its cwd, and fails the stage when it cannot', () => {
    const inputs = [{ id: 'dir', prompt: 'Dir?', type: 'text' as const }];
    const run = new RunDriver(
      pipelineOf(
        [stageSpec('p', { foreach: '${{ inputs.dir }}/*.pdf', cwd: '${{ inputs.dir }}' })],
        { inputs },
      ),
      { inputs: { dir: 'data' } },
    );
    assert.deepEqual(effectsOf(run.start(), 'listItems'), [
      { type: 'listItems', stage: 'p', pattern: 'data/*.pdf', cwd: 'data' },
    ]);
    assert.equal(run.stage('p').listing, true);
    const broken = new RunDriver(
      pipelineOf([
        stageSpec('p', { foreach: '${{ inputs.nope }}/*.pdf', cwd: '${{ inputs.nah }}' }),
      ]),
    );
    assert.deepEqual(effectsOf(broken.start(), 'listItems'), []);
    assert.equal(broken.status('p'), 'failed');
    assert.equal(
      broken.stage('p').reason,
      'foreach: input "nope" has no value; input "nah" has no value',
    );
  });

  it('fails a glob stage the shell could not list, and refuses a listing of an unknown stage', () => {
    const run = new RunDriver(pipelineOf([stageSpec('p', { foreach: '*.pdf' })]));
    run.start();
    assert.equal(
      run.reject({ type: 'itemsListed', stage: 'zz', items: [] }),
      "no stage 'zz' in this run",
    );
    run.send({ type: 'itemsListed', stage: 'p', items: [], error: 'EACCES' });
    assert.equal(run.status('p'), 'failed');
    assert.equal(run.stage('p').reason, 'foreach: could not list the files: EACCES');
    assert.equal(run.stage('p').listing, undefined);
    assert.equal(run.state.status, 'failed');
  });

  it('succeeds a stage with no items at all (there is nothing to do)', () => {
    const run = new RunDriver(pipelineOf([stageSpec('p', { foreach: '*.pdf' })]));
    run.start();
    run.send({ type: 'itemsListed', stage: 'p', items: [] });
    assert.equal(run.status('p'), 'succeeded');
    assert.equal(run.stage('p').listing, undefined);
    assert.deepEqual(run.stage('p').items, {
      total: 0,
      counts: run.stage('p').items?.counts,
    });
    assert.equal(run.state.status, 'succeeded');
  });

  it('names at most ten items when a selected item is missing, or says there are none', () => {
    const failedWith = (items: string[]) => {
      const run = new RunDriver(pipelineOf([stageSpec('p', { foreach: '*.pdf' })]), {
        selection: { stages: ['p[x.pdf]'] },
      });
      run.start();
      run.send({ type: 'itemsListed', stage: 'p', items });
      assert.equal(run.status('p'), 'failed');
      return run.stage('p').reason;
    };
    const ten = Array.from({ length: 10 }, (_, i) => `f${i}`);
    const named = ten.map((f) => `p[${f}]`).join(', ');
    assert.equal(failedWith(ten), `no item 'p[x.pdf]' among the items of 'p': ${named}`);
    assert.equal(
      failedWith([...ten, 'f10', 'f11']),
      `no item 'p[x.pdf]' among the items of 'p': ${named}, … (12 in all)`,
    );
    assert.equal(failedWith([]), "no item 'p[x.pdf]' among the items of 'p': it has none");
  });

  it('names every missing item when several selected items are missing', () => {
    const run = new RunDriver(pipelineOf([stageSpec('p', { foreach: '*.pdf' })]), {
      selection: { stages: ['p[x.pdf]', 'p[a.pdf]', 'p[y.pdf]'] },
    });
    run.start();
    run.send({ type: 'itemsListed', stage: 'p', items: ['a.pdf'] });
    assert.equal(run.status('p'), 'failed');
    assert.equal(
      run.stage('p').reason,
      "no item 'p[x.pdf]', 'p[y.pdf]' among the items of 'p': p[a.pdf]",
    );
  });
  it('gives each unit the retries of its stage, and the gathering stage only its units to need', () => {
    const retry = { attempts: 2, backoffMs: 10, factor: 1, maxBackoffMs: 10, jitter: 0 };
    const run = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('each', {
          needs: ['list'],
          foreach: '${{ stages.list.outputs.l }}',
          retry,
          outputs: ['o.txt'],
          watch: ['src'],
          deps: ['a.txt'],
        }),
      ]),
    );
    run.start();
    run.exit('list', 0, { outputs: { l: '["a"]' } });
    assert.equal(run.stage('each[a]').maxAttempts, 2);
    run.exit('each[a]', 1);
    assert.equal(run.status('each[a]'), 'retrying');
    const [unit, gather] = run.state.pipeline.stages.slice(1);
    assert.deepEqual(unit?.unit, { stage: 'each', item: 'a', index: 0 });
    assert.equal(gather?.id, 'each');
    assert.deepEqual(
      { needs: gather?.needs, deps: gather?.deps, outputs: gather?.outputs, watch: gather?.watch },
      { needs: ['each[a]'], deps: [], outputs: [], watch: [] },
      'the units check the files; the gathering stage has none of its own',
    );
  });

  it('takes the selected items of each fanned-out stage from the selection', () => {
    const axes = (values: string[]) => ({ axes: { n: values }, include: [], exclude: [] });
    const run = new RunDriver(
      pipelineOf([
        stageSpec('m', { matrix: axes(['1', '2']) }),
        stageSpec('k', { matrix: axes(['x', 'y']) }),
      ]),
      { selection: { stages: ['m[2]', 'k[x]'] } },
    );
    assert.deepEqual(spawned(run.start()), ['m[2]', 'k[x]']);
    assert.equal(run.stage('m[1]').reason, 'not selected');
  });

  it('asks for a listing once, also when a restored state is scheduled again', () => {
    const run = new RunDriver(pipelineOf([stageSpec('p', { foreach: '*.pdf' }), stageSpec('q')]));
    assert.equal(effectsOf(run.start(), 'listItems').length, 1);
    run.state = JSON.parse(JSON.stringify(run.state)) as typeof run.state;
    assert.deepEqual(effectsOf(run.exit('q'), 'listItems'), []);
    assert.equal(run.stage('p').listing, true);
  });

  it('refuses a listing for a stage that is not waiting for one', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'], foreach: '*.pdf' })]),
    );
    run.start();
    assert.equal(
      run.reject({ type: 'itemsListed', stage: 'a', items: [] }),
      "stage 'a' is not waiting for its items (it is running)",
    );
    assert.equal(
      run.reject({ type: 'itemsListed', stage: 'b', items: [] }),
      "stage 'b' is not waiting for its items (it is pending)",
    );
  });
  it('promotes the stages after a fan-out that did not expand in the same pass, before starting any', () => {
    for (const foreach of ['${{ stages.a.outputs.l }}', '${{ inputs.nope }}/*', '*.pdf']) {
      const run = new RunDriver(
        pipelineOf(
          [
            stageSpec('a'),
            stageSpec('p', { needs: ['a'], foreach }),
            stageSpec('x', { needs: ['a'] }),
            stageSpec('y'),
          ],
          { concurrency: 1 },
        ),
      );
      assert.deepEqual(spawned(run.start()), ['a']);
      assert.equal(run.status('y'), 'ready');
      // x is declared before y, so it takes the free slot.
      assert.deepEqual(spawned(run.exit('a', 0, { outputs: { l: 'not a list' } })), ['x'], foreach);
    }
  });
});
