import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import type { RunState } from '@baton/core';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { waitFor } from '../helpers/waitFor';
import { runIdIn, startBaton } from '../reliability/harness/cli';
import { isRefusedBySelf } from '../reliability/harness/serverCampaign';
import { startServer, stopServer } from '../reliability/harness/serverSession';
import { describeChaos } from './chaosReport';

const ROUNDS = 40;

/** A stage's status in the run's `run.json`, or undefined while there is none. */
function stageStatusOnDisk(workspace: string, runId: string, stage: string): string | undefined {
  try {
    const file = path.join(workspace, '.baton', 'runs', runId, 'run.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as RunState;
    return state.stages[stage]?.status;
  } catch {
    return undefined;
  }
}

/**
 * A client that resumes an interrupted run right after `initialize` (the
 * extension's "resume" after a window reload). Fails today: the new server's
 * own start-up recovery holds the run's owner lock, and `baton/resumeRun` is
 * refused with LockHeld naming the server itself (docs/reliability.md).
 */
describeChaos('chaos: resume right after a server starts', function () {
  this.timeout(300_000);
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-restart-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it(`baton/resumeRun sent at once after initialize is never refused by the server itself (${ROUNDS} rounds)`, async () => {
    await fs.writeFile(
      path.join(workspace, 'slow.pipeline.yaml'),
      // The first attempt leaves a process that ignores SIGTERM, so the new server's
      // recovery has something to reap (and holds the run's owner lock meanwhile).
      `stages:\n  a: { run: 'if [ -e "$BATON_STATE/once" ]; then exit 0; fi; touch "$BATON_STATE/once"; trap "" TERM; echo armed; sleep 30' }\n  b: { needs: [a], run: "true" }\n`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      const owner = startBaton(workspace, ['run', 'slow.pipeline.yaml', '--yes']);
      // Wait for the stage's own line, printed after it made its `once` file: the
      // CLI's "[a] started" comes before that, and a kill then made the resumed
      // attempt take the `sleep 30` path.
      await waitFor('the stage to make its once file', () => owner.output().includes('armed'));
      const runId = runIdIn(owner.output()) ?? '';
      // Kill only once the start is on disk (a kill before that is chaos/crashEarly.test.ts).
      await waitFor(
        'the start to be recorded',
        () => stageStatusOnDisk(workspace, runId, 'a') === 'running',
      );
      owner.child.kill('SIGKILL');
      await owner.done;
      const session = await startServer({ workspace });
      try {
        await session.connection
          .sendRequest<P.ResumeRunResult>('baton/resumeRun', { runId })
          .catch((error: unknown) => {
            assert.ok(
              !isRefusedBySelf(error, session),
              `round ${round}: refused by the server's own lock`,
            );
            throw error;
          });
        const run = await waitFor(
          'the resumed run to end',
          async () => {
            const snapshot = await session.connection.sendRequest<P.GetRunResult>('baton/getRun', {
              runId,
            });
            return ['succeeded', 'failed', 'cancelled'].includes(snapshot.status)
              ? snapshot
              : false;
          },
          { timeoutMs: 30_000 },
        ).catch(async (error: unknown) => {
          const snapshot = await session.connection.sendRequest('baton/getRun', { runId });
          throw new Error(`round ${round}: ${String(error)}: ${JSON.stringify(snapshot)}`);
        });
        assert.equal(run.status, 'succeeded', JSON.stringify(run.stages));
      } finally {
        await stopServer(session);
      }
    }
  });
});
