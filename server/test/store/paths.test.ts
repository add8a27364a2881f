import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  assertPipelineId,
  assertRunId,
  assertStageId,
  resolveStateDir,
  StatePaths,
} from '../../src/store/paths';
import { RunStore } from '../../src/store/runStore';
import { StoreError } from '../../src/store/storeError';
import { makeTempDir } from './helpers';

const RUN = '20261121-110616-123-k3f9';

const BAD_SEGMENTS = [
  '',
  '.',
  '..',
  '../x',
  'a/../../b',
  'a/b',
  'a\\b',
  '.hidden',
  'c:evil',
  'tab\there',
  'nul\u0000byte',
  'x'.repeat(129),
];

function assertBadId(action: () => unknown, kind: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof StoreError, 'a StoreError');
    assert.equal(error.code, 'EBADID');
    assert.match(error.message, new RegExp(`invalid ${kind}`));
    return true;
  });
}

describe('store paths', () => {
  it('lays out a run under runs/<runId>', () => {
    const paths = new StatePaths('/state');
    assert.equal(paths.checkpointFile(RUN), `/state/runs/${RUN}/run.json`);
    assert.equal(paths.eventLogFile(RUN), `/state/runs/${RUN}/events.jsonl`);
    assert.equal(paths.stageLogFile(RUN, 'build', 2), `/state/runs/${RUN}/logs/build.2.log`);
    assert.equal(paths.stageStateDir(RUN, 'build'), `/state/runs/${RUN}/state/build`);
    assert.equal(paths.stageOutputFile(RUN, 'build', 1), `/state/runs/${RUN}/outputs/build.1.env`);
    assert.equal(paths.stageSummaryFile(RUN, 'build'), `/state/runs/${RUN}/summary/build.md`);
    assert.equal(paths.ownerFile(RUN), `/state/runs/${RUN}/owner.json`);
    assert.equal(paths.inboxDir(RUN), `/state/runs/${RUN}/inbox`);
    assert.equal(paths.pipelineLockFile('review v2'), '/state/locks/review v2.lock');
  });

  it('rejects run ids that are not YYYYMMDD-HHMMSS-mmm-xxxx, naming them', () => {
    for (const bad of ['../../etc', `${RUN}/..`, `${RUN}x`, '20261121-110616-123-K3F9', '', 42]) {
      assertBadId(() => assertRunId(bad), 'run id');
    }
    assert.throws(() => new StatePaths('/s').runDir('../x'), /invalid run id "\.\.\/x"/);
  });

  it('rejects stage and pipeline ids that could leave their directory', () => {
    for (const bad of BAD_SEGMENTS) {
      assertBadId(() => assertStageId(bad), 'stage id');
      assertBadId(() => assertPipelineId(bad), 'pipeline id');
    }
    const paths = new StatePaths('/s');
    assert.throws(() => paths.stageLogFile(RUN, '../../x', 1), /invalid stage id "\.\.\/\.\.\/x"/);
    assert.throws(() => paths.pipelineLockFile('../x'), /invalid pipeline id/);
    assert.throws(() => paths.stageLogFile(RUN, 'ok', 0), /invalid attempt 0/);
  });

  it('accepts ordinary ids with dots, dashes, spaces and non-ASCII letters', () => {
    for (const good of ['build', 'fetch-data', 'step_2', 'v1.2', 'my pipeline', 'überprüfung']) {
      assertStageId(good);
      assertPipelineId(good);
    }
  });

  it('refuses bad ids in the run store before touching the disk', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const store = new RunStore(path.join(dir, 'state'));
      await assert.rejects(store.createRun('../escape'), /invalid run id/);
      await assert.rejects(store.stageStateDir(RUN, '../../escape'), /invalid stage id/);
      await assert.rejects(store.acquirePipelineLock('../escape', RUN), /invalid pipeline id/);
      assert.equal(existsSync(path.join(dir, 'escape')), false);
      assert.equal(existsSync(path.join(dir, 'state')), false);
    } finally {
      cleanup();
    }
  });

  it('picks --state-dir, then $BATON_STATE_DIR, then <workspace>/.baton', () => {
    const env = { BATON_STATE_DIR: 'from-env' };
    assert.equal(resolveStateDir({ workspace: '/w', stateDir: '/x', env }), '/x');
    assert.equal(resolveStateDir({ workspace: '/w', env }), '/w/from-env');
    assert.equal(resolveStateDir({ workspace: '/w', env: {} }), '/w/.baton');
  });
});
