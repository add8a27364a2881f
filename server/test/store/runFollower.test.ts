import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoggedEvent } from '@baton/core';
import type { FollowedLog } from '../../src/store/runFollower';
import { RunFollower } from '../../src/store/runFollower';
import { StatePaths } from '../../src/store/paths';
import { waitFor } from '../helpers/waitFor';

const RUN = '20260101-000000-000-abcd';

function eventLine(seq: number): string {
  return `${JSON.stringify({ type: 'stageProgress', stage: 'a', attempt: 1, progress: {}, at: seq, seq })}\n`;
}

describe('RunFollower', () => {
  let dir: string;
  let paths: StatePaths;
  let follower: RunFollower | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-follower-'));
    paths = new StatePaths(dir);
    await fs.mkdir(paths.logsDir(RUN), { recursive: true });
  });
  afterEach(async () => {
    await follower?.close();
    follower = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  function follow(options: ConstructorParameters<typeof RunFollower>[2]) {
    const events: LoggedEvent[] = [];
    const logs: FollowedLog[] = [];
    follower = new RunFollower(paths, RUN, options);
    follower.on('event', (event) => events.push(event));
    follower.on('log', (log) => logs.push(log));
    return { events, logs, follower };
  }

  it('reports the events after a seq, then each new one as it is written, once and in order', async () => {
    await fs.writeFile(paths.eventLogFile(RUN), eventLine(1) + eventLine(2) + eventLine(3));
    const { events, follower: f } = follow({ afterSeq: 2, logsFrom: 'start' });
    await f.ready();
    await waitFor('event 3', () => events.length === 1);
    // A torn line is held until its end arrives.
    const four = eventLine(4);
    await fs.appendFile(paths.eventLogFile(RUN), four.slice(0, 10));
    await fs.appendFile(paths.eventLogFile(RUN), four.slice(10) + eventLine(5));
    await waitFor('events 4 and 5', () => events.length === 3);
    assert.deepEqual(
      events.map((event) => event.seq),
      [3, 4, 5],
    );
    assert.equal(f.lastSeq, 5);
  });

  it("reports the run's own log apart from the stages', from its end when asked", async () => {
    await fs.writeFile(paths.runLogFile(RUN), '[baton] input `a`: `1`, given\n');
    const notes: { text: string; offset: number }[] = [];
    const { logs, follower: f } = follow({ afterSeq: 0, logsFrom: 'end' });
    f.on('runLog', (note) => notes.push(note));
    await f.ready();
    await fs.appendFile(paths.runLogFile(RUN), '[baton] input `b`: answered `2` in the terminal\n');
    await waitFor('the new note', () => notes.length === 1);
    assert.deepEqual(notes, [
      { text: '[baton] input `b`: answered `2` in the terminal\n', offset: 30 },
    ]);
    assert.deepEqual(logs, []);
  });

  it('reports log bytes with their offsets, line endings kept, from new attempts too', async () => {
    await fs.writeFile(paths.stageLogFile(RUN, 'a', 1), 'old\n');
    const { logs, follower: f } = follow({ afterSeq: 0, logsFrom: 'end' });
    await f.ready();
    await fs.appendFile(paths.stageLogFile(RUN, 'a', 1), 'one\r\ntwo\n');
    await fs.writeFile(paths.stageLogFile(RUN, 'b', 2), 'héllo\n');
    await waitFor('three lines', () => logs.length === 3);
    const byFile = (stage: string): FollowedLog[] => logs.filter((log) => log.stage === stage);
    assert.deepEqual(byFile('a'), [
      { stage: 'a', attempt: 1, text: 'one\r\n', offset: 4 },
      { stage: 'a', attempt: 1, text: 'two\n', offset: 9 },
    ]);
    assert.deepEqual(byFile('b'), [{ stage: 'b', attempt: 2, text: 'héllo\n', offset: 0 }]);
  });

  it('reads every log from its start, and only one stage’s when asked', async () => {
    await fs.writeFile(paths.stageLogFile(RUN, 'a', 1), 'a1\n');
    await fs.writeFile(paths.stageLogFile(RUN, 'b', 1), 'b1\n');
    const { logs, follower: f } = follow({ afterSeq: 0, logsFrom: 'start', stage: 'b' });
    await f.ready();
    await f.close();
    follower = undefined;
    assert.deepEqual(logs, [{ stage: 'b', attempt: 1, text: 'b1\n', offset: 0 }]);
  });
});
