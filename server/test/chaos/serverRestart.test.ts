import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { waitFor } from '../helpers/waitFor';
import { runIdIn, startBaton } from '../reliability/harness/cli';
import { isRefusedBySelf } from '../reliability/harness/serverCampaign';
import { startServer, stopServer } from '../reliability/harness/serverSession';
import { describeChaos } from './chaosReport';

const ROUNDS = 10;

/**
 * A client that resumes an interrupted run right after `initialize` (the
 * extension's "resume" after a window reload). Fails today: the new server's
 * own start-up recovery holds the run's owner lock, and `baton/resumeRun` is
 * refused with LockHeld naming the server itself (docs/reliability.md).
 */
describeChaos('chaos: resume right after a server starts', function () {
  this.timeout(120_000);
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
      'stages:\n  a: { run: "echo started; sleep 0.5" }\n  b: { needs: [a], run: "true" }\n',
    );
    for (let round = 0; round < ROUNDS; round++) {
      const owner = startBaton(workspace, ['run', 'slow.pipeline.yaml', '--yes']);
      await waitFor('the stage to start', () => owner.output().includes('[a] started'));
      const runId = runIdIn(owner.output()) ?? '';
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
        await waitFor('the resumed run to end', async () => {
          const run = await session.connection.sendRequest<P.GetRunResult>('baton/getRun', {
            runId,
          });
          return run.status === 'succeeded';
        });
      } finally {
        await stopServer(session);
      }
    }
  });
});
