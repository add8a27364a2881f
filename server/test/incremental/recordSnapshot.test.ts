import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../engine/helpers';
import { contentHash } from '../../src/incremental/fileHasher';
import type { RecordEntry } from '../../src/incremental/recordEntry';
import { RECORD_VERSION } from '../../src/incremental/recordEntry';
import { RecordStore } from '../../src/incremental/recordStore';

function entry(unit: string, n: number, runId = `run-${n}`): RecordEntry {
  return {
    version: RECORD_VERSION,
    unit,
    fingerprint: contentHash(`${unit}-${n}`),
    parts: { command: 'c', cwd: 'w', env: {}, inputs: {}, upstream: {}, deps: {} },
    runId,
    attempt: 1,
    at: n,
    outputs: {},
    digest: 'd',
    files: {},
  };
}

describe("the record's snapshot of entries", () => {
  let dir: string;
  let store: RecordStore;
  let pipelineDir: string;
  const snapshotFile = (): string => path.join(pipelineDir, 'entries.snapshot');
  const runIdOf = (unit: string, n: number): string | undefined => {
    const found = store.read(
      pipelineDir,
      unit,
      entry(unit, n).fingerprint,
      store.snapshotOf(pipelineDir),
    );
    return found.kind === 'found' ? found.entry.runId : found.kind;
  };

  /** Rewrites the snapshot with each unit's entry changed by `edit`, under a correct checksum. */
  async function plant(edit: (entry: Record<string, unknown>) => void): Promise<void> {
    const stored = await fs.readFile(snapshotFile(), 'utf8');
    const body = JSON.parse(stored.slice(stored.indexOf('\n') + 1)) as {
      units: Record<string, { entry: Record<string, unknown> }>;
    };
    for (const item of Object.values(body.units)) edit(item.entry);
    const text = JSON.stringify(body);
    await fs.writeFile(snapshotFile(), `${contentHash(text)}\n${text}`);
  }

  /** Reads `a` and `b` through a snapshot, which is then saved. */
  async function snapshotAB(): Promise<void> {
    const snapshot = store.snapshotOf(pipelineDir);
    for (const unit of ['a', 'b'])
      store.read(pipelineDir, unit, entry(unit, 1).fingerprint, snapshot);
    await snapshot.save();
  }

  beforeEach(async () => {
    dir = await tempDir('snapshot');
    store = new RecordStore(dir);
    pipelineDir = store.pipelineDir('p', path.join(dir, 'p.pipeline.yaml'));
    await store.write(pipelineDir, entry('a', 1));
    await store.write(pipelineDir, entry('b', 1));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves an entry whose file is unchanged from the snapshot', async () => {
    await snapshotAB();
    // The planted run id shows the snapshot, not the file, answered.
    await plant((e) => (e.runId = 'planted'));
    assert.equal(runIdOf('a', 1), 'planted');
    assert.equal(runIdOf('b', 1), 'planted');
  });

  it('reads the file of an entry written again, and finds a pruned or cleared one absent', async () => {
    await snapshotAB();
    await plant((e) => (e.runId = 'planted'));
    await store.write(pipelineDir, entry('a', 1, 'run-again'));
    assert.equal(runIdOf('a', 1), 'run-again');
    store.prune(0);
    assert.equal(runIdOf('b', 1), 'absent');
    await store.write(pipelineDir, entry('b', 1));
    await snapshotAB();
    store.clear(pipelineDir);
    assert.equal(runIdOf('a', 1), 'absent');
  });

  it('never serves an entry the snapshot holds for another unit or fingerprint', async () => {
    await snapshotAB();
    await plant((e) => {
      e.runId = 'planted';
      e.unit = 'other';
    });
    assert.equal(runIdOf('a', 1), 'run-1');
    await snapshotAB();
    await plant((e) => {
      e.runId = 'planted';
      e.fingerprint = contentHash('another');
    });
    assert.equal(runIdOf('a', 1), 'run-1');
  });

  it('falls back to the entry files when the snapshot is damaged, torn, of another version or missing', async () => {
    await snapshotAB();
    const good = await fs.readFile(snapshotFile(), 'utf8');
    const damaged = [
      good.replace('run-1', 'run-9'),
      good.slice(0, good.length / 2),
      'not json',
      `${contentHash('{"version":2}')}\n{"version":2}`,
    ];
    for (const text of damaged) {
      await fs.writeFile(snapshotFile(), text);
      assert.equal(runIdOf('a', 1), 'run-1', text);
    }
    await fs.rm(snapshotFile());
    assert.equal(runIdOf('b', 1), 'run-1');
    // Reading through a snapshot writes a sound one again.
    await snapshotAB();
    await plant((e) => (e.runId = 'planted'));
    assert.equal(runIdOf('b', 1), 'planted');
  });
});
