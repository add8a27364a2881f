import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../engine/helpers';
import { baton, clearRan, planOf, ranStages, writeChain } from './incrementalFixture';

describe('incremental runs (baton run, real files and processes)', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await tempDir('incr');
    file = await writeChain(dir);
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function run(...extra: string[]): Promise<string> {
    await clearRan(dir);
    const result = await baton(dir, ['run', file, '--yes', ...extra]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    return result.stdout;
  }

  it('runs everything once, then skips everything with the run it reuses', async () => {
    const plan = await planOf(dir, file);
    assert.deepEqual(
      Object.values(plan).map((u) => [u.unit, u.action, u.reason]),
      [
        ['translate', 'run', 'never ran'],
        [
          'analyze',
          'run',
          'runs after translate: skipped then if the outputs of translate come out unchanged',
        ],
        [
          'report',
          'run',
          'runs after analyze: skipped then if the outputs of analyze come out unchanged',
        ],
      ],
    );
    const first = await run();
    assert.deepEqual(ranStages(dir), ['translate', 'analyze', 'report']);
    assert.match(first, /\[translate\] started: never ran/);
    const firstRun = /run (\S+) of Lit started/.exec(first)?.[1];
    const second = await run();
    assert.deepEqual(ranStages(dir), []);
    assert.match(second, new RegExp(`\\[report\\] up to date: unchanged since run ${firstRun}`));
    const again = await planOf(dir, file);
    assert.ok(Object.values(again).every((u) => u.action === 'skip'));
    assert.equal(await fs.readFile(path.join(dir, 'out', 'report.md'), 'utf8'), '2 papers\n');
  });

  it('names the changed dep, input, command and missing output', async () => {
    await run();
    await fs.writeFile(path.join(dir, 'papers', '02.txt'), 'gamma\n');
    assert.equal((await planOf(dir, file)).translate?.reason, 'deps changed: papers/02.txt');
    await fs.writeFile(path.join(dir, 'papers', '02.txt'), 'beta\n');
    assert.equal(
      (await planOf(dir, file, ['--input', 'pillars=P1'])).analyze?.reason,
      'input pillars changed; env PILLARS changed',
    );
    await fs.rm(path.join(dir, 'out', 'report.md'));
    assert.equal((await planOf(dir, file)).report?.reason, 'output out/report.md missing');
    const edited = (await fs.readFile(path.join(dir, file), 'utf8')).replace(
      ' papers"',
      ' papers!"',
    );
    await fs.writeFile(path.join(dir, file), edited);
    assert.equal((await planOf(dir, file)).report?.reason, 'command changed');
    await run();
    assert.deepEqual(ranStages(dir), ['report']);
  });

  it('cuts off early: an upstream stage that runs again with the same outputs leaves its dependants alone', async () => {
    await run();
    // Upper-cased, "beta" and "BETA" translate alike: translate runs, its output is unchanged.
    await fs.writeFile(path.join(dir, 'papers', '02.txt'), 'BETA\n');
    const out = await run();
    assert.deepEqual(ranStages(dir), ['translate']);
    assert.match(out, /\[analyze\] up to date/);
    await fs.writeFile(path.join(dir, 'papers', '03.txt'), 'delta\n');
    const changed = await run();
    assert.deepEqual(ranStages(dir), ['translate', 'analyze', 'report']);
    assert.match(changed, /\[analyze\] started: outputs of translate changed/);
    assert.equal(await fs.readFile(path.join(dir, 'out', 'report.md'), 'utf8'), '3 papers\n');
  });

  it('selects stages, runs from a stage, and forces', async () => {
    await run('analyze');
    assert.deepEqual(ranStages(dir), ['translate', 'analyze']);
    await run();
    assert.deepEqual(ranStages(dir), ['report']);
    await run('--from', 'analyze');
    assert.deepEqual(ranStages(dir), ['analyze', 'report']);
    await run('--force', 'translate');
    assert.deepEqual(ranStages(dir), ['translate'], 'same outputs: its dependants stay up to date');
    await run('--force');
    assert.deepEqual(ranStages(dir), ['translate', 'analyze', 'report']);
    const unknown = await baton(dir, ['run', file, 'nope', '--yes']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no stage 'nope'.*translate, analyze, report/);
  });

  it('--dry-run runs nothing and starts no run', async () => {
    const result = await baton(dir, ['run', file, '--dry-run']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Plan for Lit: 3 to run, 0 up to date/);
    assert.match(result.stdout, /run\s+translate\s+never ran/);
    assert.deepEqual(ranStages(dir), []);
    const runs = await fs.readdir(path.join(dir, '.baton', 'runs')).catch(() => []);
    assert.deepEqual(runs, []);
  });

  it('always runs a stage with cache: false, and its dependants still skip when it hands on the same', async () => {
    const optedOut = (await fs.readFile(path.join(dir, file), 'utf8')).replace(
      '    deps: [papers/*.txt]\n',
      '    deps: [papers/*.txt]\n    cache: false\n',
    );
    await fs.writeFile(path.join(dir, file), optedOut);
    await run();
    await run();
    assert.deepEqual(ranStages(dir), ['translate']);
    assert.equal((await planOf(dir, file)).translate?.reason, 'always runs: cache: false');
  });

  it('baton why explains one stage; baton cache lists, prunes and clears the record', async () => {
    const before = await baton(dir, ['why', file, 'report']);
    assert.equal(before.code, 0);
    assert.match(before.stdout, /^report: run \(runs after analyze/m);
    await run();
    await fs.writeFile(path.join(dir, 'papers', '02.txt'), 'gamma\n');
    const why = await baton(dir, ['why', file, 'translate']);
    assert.match(why.stdout, /^translate: run \(deps changed: papers\/02\.txt\)$/m);
    assert.match(why.stdout, /compared with its success in run \S+/);
    await run();
    const listed = await baton(dir, ['cache', 'ls', '--json']);
    const [summary] = JSON.parse(listed.stdout) as {
      units: number;
      entries: number;
      file: string;
    }[];
    assert.equal(summary?.units, 3);
    assert.equal(summary?.entries, 5, 'report was cut off early: one entry');
    assert.equal(summary?.file, path.join(dir, file));
    assert.match((await baton(dir, ['cache', 'prune'])).stdout, /removed 2 record entries/);
    assert.equal((await planOf(dir, file)).report?.action, 'skip', 'pruning keeps the newest');
    assert.match((await baton(dir, ['cache', 'clear', file])).stdout, /cleared the record of Lit/);
    assert.equal((await planOf(dir, file)).translate?.reason, 'never ran');
  });

  it('runs a venv: stage again when its Python environment is rebuilt', async () => {
    const venv = path.join(dir, 'env');
    await fs.mkdir(path.join(venv, 'bin'), { recursive: true });
    await fs.writeFile(path.join(venv, 'pyvenv.cfg'), 'home = /usr/bin\nversion = 3.11.2\n');
    const pipeline = 'py.pipeline.yaml';
    await fs.writeFile(
      path.join(dir, pipeline),
      'name: Py\nstages:\n  fit:\n    venv: env\n    run: echo "$VIRTUAL_ENV" > fit.txt\n    outputs: [fit.txt]\n',
    );
    const first = await baton(dir, ['run', pipeline, '--yes']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(await fs.readFile(path.join(dir, 'fit.txt'), 'utf8'), `${venv}\n`);
    assert.equal((await planOf(dir, pipeline)).fit?.action, 'skip');
    await fs.writeFile(path.join(venv, 'pyvenv.cfg'), 'home = /usr/local/bin\nversion = 3.12.1\n');
    assert.equal((await planOf(dir, pipeline)).fit?.reason, 'python environment changed');
  });
});
