import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { Engine } from '../../src/engine/engine';
import { createLogger } from '../../src/rpc/logger';
import { PipelineCatalog } from '../../src/workspace/pipelineCatalog';
import { RunTracker } from '../../src/rpc/service/runTracker';
import { Scheduler } from '../../src/workspace/scheduler';

const EVERY_MINUTE = `name: Minutely
schedule:
  cron: '* * * * *'
stages:
  a:
    run: "true"
`;

describe('Scheduler', function () {
  this.timeout(20000);
  let workspace = '';
  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-scheduler-'));
    writeFileSync(path.join(workspace, 'minutely.pipeline.yaml'), EVERY_MINUTE);
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  async function setUp(nowOffsetMs: number): Promise<{
    shown: P.ShowMessageParams[];
    scheduler: Scheduler;
    pipelines: P.WirePipeline[];
    engine: Engine;
  }> {
    const engine = new Engine({ stateDir: path.join(workspace, '.baton') });
    const handle = await engine.startRun({
      file: path.join(workspace, 'minutely.pipeline.yaml'),
      interactive: false,
    });
    assert.equal(await handle.finished, 'succeeded');
    const logger = createLogger(() => undefined);
    const pipelines = await new PipelineCatalog([workspace], logger).scan();
    const shown: P.ShowMessageParams[] = [];
    const connection = {
      logger,
      notify: async (method: string, params: unknown) => {
        if (method === 'window/showMessage') shown.push(params as P.ShowMessageParams);
      },
    } as unknown as ConstructorParameters<typeof Scheduler>[2];
    const tracker = new RunTracker(connection as never, false, Date.now);
    const scheduler = new Scheduler(engine, tracker, connection, () => Date.now() + nowOffsetMs);
    return { shown, scheduler, pipelines, engine };
  }

  it('reports a time missed while no server ran, and does not replay it', async () => {
    const { shown, scheduler, pipelines, engine } = await setUp(10 * 60_000);
    await scheduler.arm(pipelines);
    scheduler.dispose();
    assert.equal(shown.length, 1);
    assert.match(
      shown[0]?.message ?? '',
      /Minutely: the scheduled run due at .* was missed while no Baton server ran/,
    );
    assert.equal(
      (await engine.files.listRuns({})).length,
      1,
      'no run was started for the missed time',
    );
  });

  it('reports nothing when no scheduled time passed since the last run', async () => {
    const { shown, scheduler, pipelines } = await setUp(0);
    await scheduler.arm(pipelines);
    scheduler.dispose();
    assert.deepEqual(shown, []);
  });
});
