import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { printCachedPlan, plainDryRunOf } from '../../src/cli/cachedDryRun';
import type { CliContext } from '../../src/cli/cliContext';
import { plannedRun } from '../../src/cli/plannedRun';
import { Engine } from '../../src/engine/engine';
import { PlanCache } from '../../src/incremental/planCache';
import type { PlanRequest } from '../../src/incremental/planCache';
import { StatWitness } from '../../src/incremental/statWitness';
import { captureTerminal } from '../cli/captureTerminal';
import { tempDir } from '../engine/helpers';
import { baton, writeChain } from './incrementalFixture';

const BUILD = 'test-build';

/*
 * Kept plans against real files, a real record made by real `baton run`
 * processes, and the real engine. A kept plan must never outlive a change:
 * each test changes one thing the plan depended on and requires a miss and a
 * plan equal to the full check's. Files changed right after they were
 * written may keep their stat within the clock's resolution, which the
 * two-second racy window guards against in real use; these tests turn the
 * window off (0) and make each change alter a size, an inode or a folder.
 */
describe('kept dry-run plans (planCache, real files and runs)', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;
  let stateDir: string;
  let context: CliContext;

  beforeEach(async () => {
    dir = await tempDir('plans');
    file = await writeChain(dir);
    stateDir = path.join(dir, 'state');
    context = { terminal: captureTerminal(), cwd: dir, env: { PATH: '/usr/bin' }, buildId: BUILD };
    await runForReal();
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function runForReal(...extra: string[]): Promise<void> {
    const result = await baton(dir, ['--state-dir', stateDir, 'run', file, '--yes', ...extra]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  }

  function request(changes: Partial<PlanRequest> = {}): PlanRequest {
    return { cwd: dir, file, inputs: {}, selection: {}, env: context.env, ...changes };
  }

  const engine = (): Engine => new Engine({ stateDir, buildId: BUILD });

  /** The plan through the cache (kept for next time), with the racy window off. */
  async function planThroughCache(inputs = {}): Promise<unknown> {
    const asked = { file: path.join(dir, file), inputs, selection: {} };
    return plannedRun({ ...context, cwd: '/' }, engine(), stateDir, asked, 0);
  }

  /** Makes and keeps the plan, then requires that it is served from the cache. */
  async function keepPlan(): Promise<void> {
    const witness = new StatWitness(Date.now(), 0);
    const plan = await engine().planRun({ file: path.join(dir, file), witness });
    assert.equal(witness.refused, undefined);
    await new PlanCache(stateDir, BUILD).write(request(), plan, witness);
    assert.deepEqual(kept(), plan);
  }

  const kept = (changes: Partial<PlanRequest> = {}) =>
    new PlanCache(stateDir, BUILD).read(request(changes));

  /** The full check's plan, which the cache must agree with. */
  const fresh = () => engine().planRun({ file: path.join(dir, file) });

  async function reasonsAfterMiss(): Promise<Record<string, string>> {
    assert.equal(kept(), undefined, 'the kept plan outlived a change');
    const plan = await fresh();
    return Object.fromEntries(plan.units.map((unit) => [unit.unit, unit.reason]));
  }

  it('serves an unchanged plan, equal to the full check, through the CLI path and the small entry', async () => {
    const full = await fresh();
    assert.ok(full.units.every((unit) => unit.action === 'skip'));
    // The first dry run checks in full and keeps the plan; the second is served from it.
    assert.deepEqual(await planThroughCache(), full);
    assert.deepEqual(await planThroughCache(), full);
    const argv = ['--state-dir', stateDir, 'run', path.join(dir, file), '-n', '--json'];
    const terminal = captureTerminal();
    assert.equal(printCachedPlan(argv, BUILD, { ...context, cwd: '/', terminal }), true);
    assert.deepEqual(JSON.parse(terminal.out.join('')), full);
    // Another build never uses it.
    assert.equal(printCachedPlan(argv, 'other-build', { ...context, cwd: '/', terminal }), false);
  });

  it('misses once a dep changes', async () => {
    await keepPlan();
    await fs.appendFile(path.join(dir, 'papers', '01.txt'), 'more\n');
    assert.equal((await reasonsAfterMiss()).translate, 'deps changed: papers/01.txt');
  });

  it('misses once a new file matches a deps glob', async () => {
    await keepPlan();
    await fs.writeFile(path.join(dir, 'papers', '03.txt'), 'gamma\n');
    assert.equal((await reasonsAfterMiss()).translate, 'deps changed: papers/03.txt');
  });

  it('misses once an output is deleted', async () => {
    await keepPlan();
    await fs.rm(path.join(dir, 'out', 'report.md'));
    assert.equal((await reasonsAfterMiss()).report, 'output out/report.md missing');
  });

  it("misses once an env value in the pipeline changes, or one of Baton's own variables", async () => {
    await keepPlan();
    assert.equal(
      kept({ env: { ...context.env, BATON_REDIS_URL: 'redis://elsewhere' } }),
      undefined,
    );
    // The rest of the environment never enters a plan (stage env comes from the pipeline file).
    assert.notEqual(kept({ env: { ...context.env, OLDPWD: '/elsewhere' } }), undefined);
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    await fs.writeFile(path.join(dir, file), text.replace('PILLARS: "', 'PILLARS: "p-'));
    assert.equal((await reasonsAfterMiss()).analyze, 'env PILLARS changed');
  });

  it('misses for other inputs, another selection or another build', async () => {
    await keepPlan();
    assert.equal(kept({ inputs: { pillars: 'P1' } }), undefined);
    assert.equal(kept({ selection: { force: true } }), undefined);
    assert.equal(new PlanCache(stateDir, 'other-build').read(request()), undefined);
  });

  it('stores no input value, nor a plain hash of one', async () => {
    const secret = 'hunter2-input-value';
    await planThroughCache({ pillars: secret });
    const plans = path.join(stateDir, 'plans');
    const [name] = await fs.readdir(plans);
    const text = await fs.readFile(path.join(plans, name ?? ''), 'utf8');
    assert.ok(!text.includes(secret));
    assert.ok(!text.includes(createHash('sha256').update(secret).digest('hex')));
  });

  it('misses once another run changed the record', async () => {
    await keepPlan();
    // An entry written again is a new file renamed into place, as RecordStore.write does.
    const units = path.join(stateDir, 'cache');
    const [pipelineDir] = (await fs.readdir(units, { withFileTypes: true })).filter((e) =>
      e.isDirectory(),
    );
    const translate = path.join(units, pipelineDir?.name ?? '', 'units', 'translate');
    const [entry] = await fs.readdir(translate);
    const entryFile = path.join(translate, entry ?? '');
    await fs.writeFile(`${entryFile}.new`, await fs.readFile(entryFile));
    await fs.rename(`${entryFile}.new`, entryFile);
    assert.equal(kept(), undefined);
    // A real run that records a stage again.
    await keepPlan();
    await runForReal('--force', 'report');
    assert.equal(kept(), undefined);
    const plan = await fresh();
    assert.ok(plan.units.every((unit) => unit.action === 'skip'));
  });

  it('misses once the record is cleared', async () => {
    await keepPlan();
    const cleared = await baton(dir, ['--state-dir', stateDir, 'cache', 'clear']);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.equal((await reasonsAfterMiss()).translate, 'never ran');
  });

  it('misses when the kept file is damaged', async () => {
    await keepPlan();
    const plans = path.join(stateDir, 'plans');
    for (const name of await fs.readdir(plans)) {
      const text = await fs.readFile(path.join(plans, name), 'utf8');
      await fs.writeFile(path.join(plans, name), text.replace('"skip"', '"run"'));
    }
    assert.equal(kept(), undefined);
  });

  it('keeps nothing that the racy window, a glob walk or a fan-out listing cannot vouch for', async () => {
    // Written a moment ago: a change within the clock's resolution might not show in their stat.
    const racy = new StatWitness();
    await engine().planRun({ file: path.join(dir, file), witness: racy });
    assert.match(racy.refused ?? '', /changed less than 2000 ms before the check/);
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    await fs.writeFile(
      path.join(dir, file),
      text.replace('deps: [papers/*.txt]', 'deps: ["**/*.txt"]'),
    );
    const walked = new StatWitness(Date.now(), 0);
    await engine().planRun({ file: path.join(dir, file), witness: walked });
    assert.match(walked.refused ?? '', /needs a glob walk/);
    await fs.writeFile(
      path.join(dir, 'each.pipeline.yaml'),
      'name: Each\nstages:\n  each:\n    foreach: \'papers/*.txt\'\n    run: cat "$BATON_ITEM"\n    deps: [papers/*.txt]\n',
    );
    const fanned = new StatWitness(Date.now(), 0);
    await engine().planRun({ file: path.join(dir, 'each.pipeline.yaml'), witness: fanned });
    assert.match(fanned.refused ?? '', /fans out over items listed at run time/);
  });

  it('answers only plain dry runs in the small entry', () => {
    assert.deepEqual(plainDryRunOf(['run', 'p.yaml', '-n']), { file: 'p.yaml', json: false });
    assert.deepEqual(plainDryRunOf(['--state-dir', 's', 'run', '--dry-run', 'p.yaml', '--json']), {
      stateDir: 's',
      file: 'p.yaml',
      json: true,
    });
    assert.deepEqual(plainDryRunOf(['--state-dir=s', 'run', 'p.yaml', '-n']), {
      stateDir: 's',
      file: 'p.yaml',
      json: false,
    });
    for (const argv of [
      ['run', 'p.yaml'],
      ['run', 'p.yaml', 'stage', '-n'],
      ['run', 'p.yaml', '-n', '--input', 'a=b'],
      ['run', 'p.yaml', '-n', '--force'],
      ['run', 'p.yaml', '-nj'],
      ['--redis', 'redis://x', 'run', 'p.yaml', '-n'],
      ['why', 'p.yaml', 'stage', '-n'],
      ['run', '-n', '--', 'p.yaml'],
    ]) {
      assert.equal(plainDryRunOf(argv), undefined, argv.join(' '));
    }
  });
});
