import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { createLogger } from '../../src/rpc/logger';
import { PipelineCatalog } from '../../src/workspace/pipelineCatalog';

const pipeline = (name: string): string => `name: ${name}\nstages:\n  a:\n    run: "true"\n`;

describe('PipelineCatalog', () => {
  let dir: string;
  let catalog: PipelineCatalog;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-catalog-'));
    catalog = new PipelineCatalog(
      [dir],
      createLogger(() => undefined),
    );
  });
  afterEach(async () => {
    await catalog.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reports files added or edited between the first scan and the watcher being ready', async () => {
    await fs.writeFile(path.join(dir, 'one.pipeline.yaml'), pipeline('One'));
    assert.deepEqual(
      (await catalog.scan()).map((p) => p.name),
      ['One'],
    );
    // Changes made before watch() starts raise no watcher event (ignoreInitial).
    await fs.writeFile(path.join(dir, 'one.pipeline.yaml'), pipeline('One edited'));
    await fs.writeFile(path.join(dir, 'two.pipeline.yaml'), pipeline('Two'));
    const changes: P.WirePipeline[][] = [];
    await catalog.watch((pipelines) => changes.push(pipelines));
    assert.deepEqual(
      changes.at(-1)?.map((p) => p.name),
      ['One edited', 'Two'],
    );
    assert.deepEqual(
      catalog.list().map((p) => p.name),
      ['One edited', 'Two'],
    );
  });

  it('reports an edit made between the first scan and the watcher being ready', async () => {
    await fs.writeFile(path.join(dir, 'one.pipeline.yaml'), pipeline('One'));
    await catalog.scan();
    await fs.writeFile(path.join(dir, 'one.pipeline.yaml'), pipeline('Renamed'));
    const changes: P.WirePipeline[][] = [];
    await catalog.watch((pipelines) => changes.push(pipelines));
    assert.deepEqual(
      changes.map((list) => list.map((p) => p.name)),
      [['Renamed']],
    );
  });
});
