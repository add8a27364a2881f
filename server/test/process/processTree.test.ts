import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { adoptedSince } from '../../src/process/adoptedProcesses';
import {
  childrenOf,
  descendantsOf,
  groupExists,
  groupMembers,
  isProcessAlive,
  listProcesses,
  parseStat,
  processesWithEnvironmentEntry,
  processStartTime,
  processTreeSnapshot,
  readProcess,
  subtreesOf,
} from '../../src/process/processTree';
import { trackEscapees } from '../../src/process/escapeeTracker';
import { killStageTree } from '../../src/process/treeKiller';
import { waitFor, withDeadline } from '../helpers/waitFor';
import { makeTempDir, readPids, survivors, testEnv } from './stageFixture';

describe('processTree', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const groups: number[] = [];

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(async () => {
    for (const pgid of groups.splice(0)) {
      await killStageTree(
        { pgid, leaderPid: pgid, leaderStartTime: undefined, escapees: () => [] },
        { graceMs: 100 },
      );
    }
    temp.dispose();
  });

  /** Starts `command` detached (its own group), recording it for clean-up. */
  function startGroup(command: string, env: Record<string, string> = {}): number {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: temp.dir,
      env: testEnv(env),
      detached: true,
      stdio: 'ignore',
    });
    assert.ok(child.pid);
    groups.push(child.pid);
    return child.pid;
  }

  it('parses stat lines whose executable name contains spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    const info = parseStat(`42 (a) b (c)) ${fields.join(' ')}`);
    assert.ok(info);
    assert.equal(info.pid, 42);
    assert.equal(info.name, 'a) b (c)');
    assert.equal(info.state, 'S');
    assert.equal(info.ppid, 4);
    assert.equal(info.pgid, 5);
    assert.equal(info.sid, 6);
    assert.equal(info.cpuSeconds, (14 + 15) / 100);
    assert.equal(info.startTime, 22);
    assert.equal(info.rssKb, 24 * 4);
    assert.equal(parseStat('garbage'), undefined);
  });

  it('reads this process', () => {
    const self = readProcess(process.pid);
    assert.ok(self);
    assert.equal(self.ppid, process.ppid);
    assert.ok(listProcesses().some((p) => p.pid === process.pid));
    assert.equal(readProcess(2 ** 22 + 1), undefined);
  });

  it('finds descendants, group members and a diagnosis snapshot of a real tree', async () => {
    const inner = join(temp.dir, 'inner');
    const outer = join(temp.dir, 'outer');
    const leader = startGroup(`(sleep 301 & echo $! > ${inner}; wait) & echo $! > ${outer}; wait`);
    const [subshell] = await readPids(outer, 1);
    const [sleeper] = await readPids(inner, 1);
    assert.ok(subshell && sleeper);
    const descendants = descendantsOf(leader).map((p) => p.pid);
    assert.ok(descendants.includes(subshell.pid) && descendants.includes(sleeper.pid));
    const subtree = subtreesOf([leader])?.map((p) => p.pid);
    assert.deepEqual(
      subtree?.sort((a, b) => a - b),
      [leader, subshell.pid, sleeper.pid].sort((a, b) => a - b),
    );
    const members = groupMembers(leader)
      .map((p) => p.pid)
      .sort((a, b) => a - b);
    assert.deepEqual(
      members,
      [leader, subshell.pid, sleeper.pid].sort((a, b) => a - b),
    );
    // The pid is known as soon as the shell forked; the command line changes once it execs
    // sleep, and its resident size counts only once the new program's pages are touched.
    const snapshot = await waitFor('sleep to show in the snapshot', () => {
      const entries = processTreeSnapshot(leader);
      const sleep = entries.find((p) => p.pid === sleeper.pid && p.command === 'sleep 301');
      return sleep !== undefined && sleep.rssKb > 0 && entries;
    });
    assert.equal(snapshot[0]?.pid, leader);
    const sleepEntry = snapshot.find((p) => p.pid === sleeper.pid);
    assert.equal(sleepEntry?.command, 'sleep 301');
    assert.equal(sleepEntry?.pgid, leader);
    assert.ok((sleepEntry?.rssKb ?? 0) > 0);
  });

  it('tells a live process from a reused pid and from a dead one', async () => {
    const pids = join(temp.dir, 'pids');
    startGroup(`sleep 302 & echo $! >> ${pids}; wait`);
    const [sleeper] = await readPids(pids, 1);
    assert.ok(sleeper);
    assert.equal(processStartTime(sleeper.pid), sleeper.startTime);
    assert.equal(isProcessAlive(sleeper.pid), true);
    assert.equal(isProcessAlive(sleeper.pid, sleeper.startTime), true);
    assert.equal(isProcessAlive(sleeper.pid, sleeper.startTime + 1), false);
    process.kill(sleeper.pid, 'SIGKILL');
    await waitFor('the sleeper to die', () => !isProcessAlive(sleeper.pid, sleeper.startTime));
  });

  it('finds processes by an environment entry, even after they left the group', async () => {
    const pids = join(temp.dir, 'pids');
    startGroup(`setsid sleep 303 & echo $! >> ${pids}; wait`, { MARK_FOR_TEST: temp.dir });
    const [escapee] = await readPids(pids, 1);
    assert.ok(escapee);
    const found = processesWithEnvironmentEntry(`MARK_FOR_TEST=${temp.dir}`, process.pid);
    assert.ok(found.some((p) => p.pid === escapee.pid));
    assert.deepEqual(processesWithEnvironmentEntry(`MARK_FOR_TEST=${temp.dir}x`, process.pid), []);
    process.kill(escapee.pid, 'SIGKILL');
  });

  it('tracks escapees while their parent lives and kills them after the parent is gone', async () => {
    const pids = join(temp.dir, 'pids');
    const leader = startGroup(
      `setsid sh -c 'sleep 304 & wait' & echo $! >> ${pids}; exec sleep 305`,
    );
    const [escapee] = await readPids(pids, 1);
    assert.ok(escapee);
    const leaderStart = processStartTime(leader);
    const tracking = trackEscapees(leader, leader, 20);
    try {
      // The escapee's own child (the sleep) is found through the escapee.
      await waitFor(
        'the escapee and its child to be tracked',
        () => tracking.escapees().length >= 2,
      );
      const tracked = tracking.escapees();
      process.kill(leader, 'SIGKILL');
      await waitFor('the leader to die', () => !isProcessAlive(leader));
      const result = await withDeadline(
        'kill',
        killStageTree(
          {
            pgid: leader,
            leaderPid: leader,
            leaderStartTime: leaderStart,
            escapees: () => tracked,
          },
          { graceMs: 2000 },
        ),
      );
      assert.deepEqual(result.survivors, []);
      assert.deepEqual(survivors(tracked), []);
    } finally {
      tracking.stop();
    }
  });

  it('lists the children of a process and tells whether a group exists', async () => {
    const pids = join(temp.dir, 'pids');
    const leader = startGroup(`sleep 307 & echo $! >> ${pids}; wait`);
    const [sleeper] = await readPids(pids, 1);
    assert.ok(sleeper);
    assert.ok(childrenOf(process.pid)?.includes(leader));
    assert.ok(childrenOf(leader)?.includes(sleeper.pid));
    assert.equal(groupExists(leader), true);
    await killStageTree(
      { pgid: leader, leaderPid: leader, leaderStartTime: undefined, escapees: () => [] },
      { graceMs: 1000 },
    );
    await waitFor('the group to be gone or only zombies', () =>
      groupMembers(leader).every((p) => p.state === 'Z'),
    );
  });

  it('finds orphans adopted by an ancestor after their parent exited', async () => {
    const pids = join(temp.dir, 'pids');
    const leader = startGroup(`setsid sleep 308 & echo $! >> ${pids}`);
    const leaderStart = processStartTime(leader);
    assert.ok(leaderStart !== undefined);
    const [orphan] = await readPids(pids, 1);
    assert.ok(orphan);
    await waitFor('the shell to exit', () => !isProcessAlive(leader));
    const adopted = await waitFor('the orphan to be adopted', () =>
      adoptedSince(leaderStart)?.find((p) => p.pid === orphan.pid),
    );
    assert.notEqual(adopted.ppid, leader);
    assert.equal(
      adoptedSince(orphan.startTime + 1)?.some((p) => p.pid === orphan.pid),
      false,
    );
    process.kill(orphan.pid, 'SIGKILL');
  });

  it('counts its own children as no orphans (they are the running stages, not adopted)', () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      assert.ok(child.pid !== undefined);
      const start = processStartTime(child.pid);
      assert.ok(start !== undefined);
      assert.equal(
        adoptedSince(start)?.some((p) => p.pid === child.pid),
        false,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
