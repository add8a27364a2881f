import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunState } from '@baton/core';
import type { Engine } from '../../src/engine/engine';
import type { RunHandle } from '../../src/engine/engine';
import { processesOfRun, useEngineFixture, waitFor, writePipeline } from './helpers';
import { StatePaths } from '../../src/store/paths';

const FINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

describe('Engine: what listeners see, resume, stop and hang diagnosis', function () {
  this.timeout(30000);
  const fixture = useEngineFixture('engine-fixes');
  const newEngine = (): Engine => fixture.newEngine();

  it('has let go of the locks when listeners hear a run finished, so a retry starts at once', async () => {
    const engine = newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      'name: again\nstages:\n  a: { run: "exit 1" }\n',
    );
    const resumed: Promise<RunHandle>[] = [];
    engine.on('runFinished', ({ runId }) => {
      if (resumed.length === 0) resumed.push(engine.resumeRun(runId, { interactive: false }));
    });
    const first = await engine.startRun({ file, interactive: false });
    assert.equal(await first.finished, 'failed');
    assert.equal(resumed.length, 1);
    assert.equal(await (await resumed[0])?.finished, 'failed');
  });

  it('announces the final state only once the locks are free, so the next run starts at once', async () => {
    const engine = newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      'name: again\nstages:\n  a: { run: "true" }\n',
    );
    const started: Promise<RunHandle>[] = [];
    engine.on('runChanged', ({ state }) => {
      if (FINAL.has(state.status) && started.length === 0)
        started.push(engine.startRun({ file, interactive: false }));
    });
    const first = await engine.startRun({ file, interactive: false });
    assert.equal(await first.finished, 'succeeded');
    assert.equal(started.length, 1);
    assert.equal(await (await started[0])?.finished, 'succeeded');
  });

  it('a stop right after a resume cancels the run and leaves no process', async () => {
    const engine = newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: stopme\nstages:\n  a: { run: 'if [ -e "$BATON_STATE/once" ]; then sleep 30; fi; touch "$BATON_STATE/once"; exit 1' }\n  b: { needs: [a], run: 'sleep 30' }\n`,
    );
    const first = await engine.startRun({ file, interactive: false });
    assert.equal(await first.finished, 'failed');
    const resumed = await engine.resumeRun(first.runId, { interactive: false });
    assert.equal(await engine.stopRun(first.runId, 'test'), 'stopping');
    assert.equal(await resumed.finished, 'cancelled');
    assert.deepEqual(processesOfRun(first.runId), []);
  });

  it('announces the state holding a prompt before the prompt itself', async () => {
    const engine = newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: ask\nstages:\n  q: { run: 'echo "::prompt id=go,type=confirm::Go on?"; read a' }\n`,
    );
    let lastState: RunState | undefined;
    const seen: { seq: number; stateSeq: number; listed: boolean }[] = [];
    engine.on('runChanged', ({ state }) => (lastState = state));
    engine.on('promptOpened', ({ runId, seq, prompt }) => {
      seen.push({
        seq,
        stateSeq: lastState?.seq ?? -1,
        listed: lastState?.prompts[prompt.id] !== undefined,
      });
      void engine.answerPrompt(runId, prompt.id, { value: true }, 'test');
    });
    const handle = await engine.startRun({ file, interactive: true });
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(seen.length, 1);
    assert.ok(seen[0]?.listed, 'the prompt is in the last announced state');
    assert.equal(seen[0]?.stateSeq, seen[0]?.seq);
  });

  it('opens the event log of a resumed run checking seqs from where the run stands', async () => {
    const engine = newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      'name: seqs\nstages:\n  a: { run: "exit 1" }\n',
    );
    const first = await engine.startRun({ file, interactive: false });
    assert.equal(await first.finished, 'failed');
    const before = await engine.getRunState(first.runId);
    const opened: (number | undefined)[] = [];
    // The store is the engine's own; this test watches how the engine opens the event log.
    const store = engine['store'];
    const open = store.openEventLog.bind(store);
    store.openEventLog = (runId, options) => {
      opened.push(options?.lastSeq);
      return open(runId, options);
    };
    const resumed = await engine.resumeRun(first.runId, { interactive: false });
    assert.equal(await resumed.finished, 'failed');
    assert.deepEqual(opened, [before.seq]);
  });

  it('records a hang diagnosis in the event log, and the log replays to the run state', async () => {
    const engine = newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: idle\nstages:\n  quiet: { run: 'echo "last words"; sleep 60', idle_timeout: 400ms }\n`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'failed');
    const { events } = await engine.files.readEvents(handle.runId);
    const diagnosed = events.find((event) => event.type === 'stageDiagnosed');
    assert.ok(diagnosed?.type === 'stageDiagnosed', 'a stageDiagnosed event was logged');
    assert.deepEqual(diagnosed.diagnosis.lastLines, ['last words']);
    assert.ok(diagnosed.diagnosis.processes.some((p) => /sleep 60/.test(p.command)));
    assert.ok(diagnosed.diagnosis.processes.every((p) => Number.isFinite(p.cpuSeconds)));
    const state = await engine.getRunState(handle.runId);
    assert.deepEqual(state.stages['quiet']?.lastDiagnosis, diagnosed.diagnosis);
    const seqs = events.map((event) => event.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, index) => index + 1),
    );
  });

  it('recovery brings a checkpoint that lags the events up to date, so listings show the run finished', async () => {
    const engine = newEngine();
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: lag\nstages:\n  a: { run: 'touch running; while [ ! -e go ]; do sleep 0.05; done' }\n`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    const { runId } = handle;
    await waitFor('the stage to run', () => existsSync(path.join(fixture.dir, 'running')));
    await waitFor(
      'a checkpoint of the running stage',
      async () => (await engine.files.readCheckpoint(runId)).stages['a']?.status === 'running',
    );
    const paths = new StatePaths(engine.files.stateDir);
    const checkpointFile = paths.checkpointFile(runId);
    const lagging = await fs.readFile(checkpointFile);
    // The history entry written with that checkpoint (an active run's: before it).
    const laggingEntry = await fs.readFile(paths.historyFile(runId));
    await fs.writeFile(path.join(fixture.dir, 'go'), '');
    assert.equal(await handle.finished, 'succeeded');
    // As if the owner had died after logging the run's end, before its last checkpoint
    // (and so before the stopped history entry, which is written after the checkpoint).
    await fs.writeFile(checkpointFile, lagging);
    await fs.writeFile(paths.historyFile(runId), laggingEntry);
    await newEngine().recoverInterruptedRuns();
    const listed = await engine.files.listRuns();
    assert.deepEqual(
      listed.map((listing) => ('state' in listing ? listing.state.status : listing.error)),
      ['succeeded'],
    );
    assert.equal((await engine.getRunState(runId)).status, 'succeeded');
    const entry = JSON.parse(await fs.readFile(paths.historyFile(runId), 'utf8')) as {
      status: string;
    };
    assert.equal(entry.status, 'succeeded', 'recovery settles the history entry too');
  });
});
