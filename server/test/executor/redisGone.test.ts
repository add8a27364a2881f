import * as assert from 'node:assert/strict';
import type * as P from '@baton/protocol';
import { writePipeline } from '../engine/helpers';
import { initializeServer, startServer, until } from '../rpc/serverHarness';
import type { StartedServer } from '../rpc/serverHarness';
import { useBullmqFixture } from './bullmqFixture';

/** The parameters of every notification `method` the client received. */
function paramsOf<T>(server: StartedServer, method: string): T[] {
  return server.notifications.filter((n) => n.method === method).map((n) => n.params as T);
}

// The editor's server holds Redis connections as soon as `BATON_REDIS_URL` is set. Redis
// dying must cost only the remote stages: a local pipeline's run, its prompts and the
// requests about the remote run are answered as before, not after Redis's retries.
describe('baton serve with its Redis gone', function () {
  this.timeout(60_000);
  let server: StartedServer | undefined;
  // Registered before the fixture's hooks so that the server is gone before its workspace is.
  afterEach(async () => {
    if (server !== undefined && server.child.exitCode === null) server.child.kill('SIGKILL');
    await server?.exited;
    server = undefined;
  });
  const fx = useBullmqFixture();

  it('runs a local pipeline and asks its prompt while a remote run waits for a Redis that is gone', async () => {
    await writePipeline(
      fx.dir,
      'local',
      'stages:\n  ask:\n    run: read -p "Name? " who; echo "hello $who"\n',
    );
    await writePipeline(
      fx.dir,
      'remote',
      'stages:\n  far:\n    executor: { type: bullmq, queue: nobody }\n    run: echo far\n',
    );
    server = startServer(fx.dir, { BATON_REDIS_URL: fx.redis.url });
    const { client } = server;
    await initializeServer(server, fx.dir);
    const remote = await client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'remote',
    });
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(server!, 'baton/didChangeRun').some(
          (p) => p.run.runId === remote.runId,
        ),
      20_000,
      'the remote run to be reported',
    );
    await fx.redis.stop();
    try {
      const { runId } = await client.sendRequest<P.StartRunResult>('baton/startRun', {
        pipeline: 'local',
      });
      const opened = (): P.DidOpenPromptParams | undefined =>
        paramsOf<P.DidOpenPromptParams>(server!, 'baton/didOpenPrompt').find(
          (p) => p.runId === runId,
        );
      await until(() => opened() !== undefined, 20_000, "the local stage's prompt");
      await client.sendRequest('baton/answerPrompt', {
        runId,
        promptId: opened()!.promptId,
        value: 'Ada',
      });
      await until(
        () =>
          paramsOf<P.DidChangeRunParams>(server!, 'baton/didChangeRun').some(
            (p) => p.run.runId === runId && p.run.status === 'succeeded',
          ),
        20_000,
        'the local run to succeed',
      );
      const far = await client.sendRequest<P.GetRunResult>('baton/getRun', { runId: remote.runId });
      assert.ok(
        !['succeeded', 'failed'].includes(far.status),
        `the remote run neither succeeded nor failed without Redis (it is ${far.status})`,
      );
    } finally {
      await fx.redis.restart();
    }
  });
});
