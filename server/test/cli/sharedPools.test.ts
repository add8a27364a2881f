import * as assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startBaton } from '../helpers/batonProcess';
import { processesOfRun, tempDir, waitFor, writePipeline } from '../engine/helpers';

function runIdIn(text: string): string {
  return /run (\d{8}-\d{6}-\d{3}-[a-z0-9]{4})/.exec(text)?.[1] ?? '';
}

/** Every stage log of every run in `dir`, joined (runs write other files meanwhile, so only logs are read). */
async function allLogs(dir: string): Promise<string> {
  const runs = path.join(dir, '.baton', 'runs');
  const texts: string[] = [];
  for (const run of existsSync(runs) ? await fs.readdir(runs) : []) {
    const logs = path.join(runs, run, 'logs');
    for (const name of existsSync(logs) ? await fs.readdir(logs) : []) {
      texts.push(await fs.readFile(path.join(logs, name), 'utf8'));
    }
  }
  return texts.join('\n');
}

const HOLDER = `pools: { gpu: 1 }
stages:
  train:
    resources: { gpu: 1 }
    run: |
      touch train-started
      while [ ! -e release ]; do sleep 0.05; done
`;

const WAITER = `pools: { gpu: 1, other: 2 }
stages:
  infer:
    resources: { gpu: 1, other: 1 }
    run: touch infer-ran
`;

/** The folder of the run whose pipeline has the stage `infer`. */
async function waiterRunDir(dir: string): Promise<string> {
  const runs = path.join(dir, '.baton', 'runs');
  for (const run of await fs.readdir(runs)) {
    const text = await fs.readFile(path.join(runs, run, 'run.json'), 'utf8').catch(() => '');
    if (text.includes('"infer"')) return path.join(runs, run);
  }
  throw new Error('no run of the waiter');
}

/** How many stages wait in the pool queue now. */
function ticketCount(dir: string): number {
  const queue = path.join(dir, '.baton', 'pools', '.queue');
  return existsSync(queue) ? readdirSync(queue).filter((n) => n.endsWith('.ticket')).length : 0;
}

/** A pipeline whose one stage takes the gpu and appends its name to `order`. */
function appender(name: string, extra = ''): string {
  return `pools: { gpu: 1 }
stages:
  ${name}:
    resources: { gpu: 1 }${extra}
    run: echo ${name} >> order
`;
}

describe('resource pools shared by two processes', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir('pools');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('makes the second pipeline wait, saying for whom, until the first gives the slot back', async () => {
    await writePipeline(dir, 'holder', HOLDER);
    await writePipeline(dir, 'waiter', WAITER);
    const holder = startBaton(dir, ['run', 'holder.pipeline.yaml', '--yes']);
    await waitFor('train to start', () => existsSync(path.join(dir, 'train-started')));
    const waiter = startBaton(dir, ['run', 'waiter.pipeline.yaml', '--yes']);
    const holderRun = runIdIn(holder.output());
    const reason = `waiting for pool gpu: held by run ${holderRun} stage train`;
    await waitFor('the waiter to say why it waits', () => waiter.output().includes(reason));
    assert.match(waiter.output(), /\[infer\] waiting for pool gpu: held by run/);
    // Its stage waits in a status of its own, the reason is in its event log, and it has no log yet.
    const waiterRun = await waiterRunDir(dir);
    const state = JSON.parse(await fs.readFile(path.join(waiterRun, 'run.json'), 'utf8')) as {
      stages: Record<string, { status: string }>;
    };
    assert.equal(state.stages['infer']?.status, 'waitingForPool');
    const events = await fs.readFile(path.join(waiterRun, 'events.jsonl'), 'utf8');
    assert.ok(
      events.includes(`"type":"slotsWaiting","stage":"infer","attempt":1,"reason":"${reason}"`),
    );
    assert.equal(await allLogs(dir), '');
    assert.ok(!existsSync(path.join(dir, 'infer-ran')));
    await fs.writeFile(path.join(dir, 'release'), '');
    assert.equal(await holder.done, 0, holder.output());
    assert.equal(await waiter.done, 0, waiter.output());
    assert.ok(existsSync(path.join(dir, 'infer-ran')));
  });

  it('reclaims the slot of a process killed with -9', async () => {
    await writePipeline(dir, 'holder', HOLDER);
    await writePipeline(dir, 'waiter', WAITER);
    const holder = startBaton(dir, ['run', 'holder.pipeline.yaml', '--yes']);
    await waitFor('train to start', () => existsSync(path.join(dir, 'train-started')));
    const holderRun = runIdIn(holder.output());
    holder.child.kill('SIGKILL');
    await holder.done;
    const waiter = startBaton(dir, ['run', 'waiter.pipeline.yaml', '--yes']);
    assert.equal(await waiter.done, 0, waiter.output());
    assert.ok(existsSync(path.join(dir, 'infer-ran')));
    const slot = path.join(dir, '.baton', 'pools', 'gpu', 'slot-0.lock');
    assert.ok(!existsSync(slot) || !readFileSync(slot, 'utf8').includes(holderRun));
    // The orphaned stage of the killed engine is ended by the resume's reaper; end it here.
    for (const pid of processesOfRun(holderRun)) process.kill(pid, 'SIGKILL');
  });

  it('serves waiters in order of arrival, across processes', async () => {
    await writePipeline(dir, 'holder', HOLDER);
    await writePipeline(dir, 'first', appender('first'));
    await writePipeline(dir, 'second', appender('second'));
    const holder = startBaton(dir, ['run', 'holder.pipeline.yaml', '--yes']);
    await waitFor('train to start', () => existsSync(path.join(dir, 'train-started')));
    const first = startBaton(dir, ['run', 'first.pipeline.yaml', '--yes']);
    await waitFor('the first waiter to queue', () => ticketCount(dir) === 1);
    const second = startBaton(dir, ['run', 'second.pipeline.yaml', '--yes']);
    await waitFor('the second waiter to queue', () => ticketCount(dir) === 2);
    await waitFor('the second to say it is behind the first', () =>
      /waiting for pool gpu: 1 stage ahead in the queue, first run \S+ stage first/.test(
        second.output(),
      ),
    );
    await fs.writeFile(path.join(dir, 'release'), '');
    assert.equal(await holder.done, 0, holder.output());
    assert.equal(await first.done, 0, first.output());
    assert.equal(await second.done, 0, second.output());
    assert.equal(await fs.readFile(path.join(dir, 'order'), 'utf8'), 'first\nsecond\n');
    assert.equal(ticketCount(dir), 0);
  });

  it('reclaims the ticket of a waiter killed with -9, so the next one is served', async () => {
    await writePipeline(dir, 'holder', HOLDER);
    await writePipeline(dir, 'first', appender('first'));
    await writePipeline(dir, 'second', appender('second'));
    const holder = startBaton(dir, ['run', 'holder.pipeline.yaml', '--yes']);
    await waitFor('train to start', () => existsSync(path.join(dir, 'train-started')));
    const first = startBaton(dir, ['run', 'first.pipeline.yaml', '--yes']);
    await waitFor('the first waiter to queue', () => ticketCount(dir) === 1);
    const second = startBaton(dir, ['run', 'second.pipeline.yaml', '--yes']);
    await waitFor('the second waiter to queue', () => ticketCount(dir) === 2);
    first.child.kill('SIGKILL');
    await first.done;
    await fs.writeFile(path.join(dir, 'release'), '');
    assert.equal(await holder.done, 0, holder.output());
    assert.equal(await second.done, 0, second.output());
    assert.equal(await fs.readFile(path.join(dir, 'order'), 'utf8'), 'second\n');
    assert.equal(ticketCount(dir), 0, 'the dead ticket was removed');
  });

  it('starts the timeout when the stage runs, not while it waits for the pool', async () => {
    await writePipeline(dir, 'holder', HOLDER);
    await writePipeline(dir, 'first', appender('first', '\n    timeout: 2s'));
    const holder = startBaton(dir, ['run', 'holder.pipeline.yaml', '--yes']);
    await waitFor('train to start', () => existsSync(path.join(dir, 'train-started')));
    const waiter = startBaton(dir, ['run', 'first.pipeline.yaml', '--yes']);
    await waitFor('the waiter to queue', () => waiter.output().includes('waiting for pool gpu'));
    // The pool stays taken for longer than the waiter's timeout.
    const since = Date.now();
    await waitFor('more than the timeout to pass', () => Date.now() - since > 2500);
    await fs.writeFile(path.join(dir, 'release'), '');
    assert.equal(await holder.done, 0, holder.output());
    assert.equal(await waiter.done, 0, waiter.output());
    assert.equal(await fs.readFile(path.join(dir, 'order'), 'utf8'), 'first\n');
  });
});
