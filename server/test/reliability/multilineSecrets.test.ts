import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { waitFor } from '../helpers/waitFor';
import { baton, describeResult, runIdIn } from './harness/cli';
import { startServer, stopServer } from './harness/serverSession';
import type { ServerSession } from './harness/serverSession';

/** A PEM-like multi-line secret whose lines are long and random, so a hit is never a coincidence. */
function makePem(): { pem: string; lines: string[] } {
  const lines = [0, 1, 2].map(() => randomBytes(24).toString('hex'));
  const pem = ['-----BEGIN KEY-----', ...lines, '-----END KEY-----'].join('\n');
  return { pem, lines };
}

/**
 * One stage puts single lines of the multi-line secret where no whole secret
 * ever appears: an output, a progress message, a prompt's text and default;
 * the next stage prints the output it received.
 */
const PIPELINE = `name: pem
secrets: [PEM]
stages:
  leak:
    run: |
      L1=$(printf '%s\\n' "$PEM" | sed -n 2p)
      L2=$(printf '%s\\n' "$PEM" | sed -n 3p)
      L3=$(printf '%s\\n' "$PEM" | sed -n 4p)
      echo "key=$L1" >> "$BATON_OUTPUT"
      echo "::progress value=1,total=2::working with $L2"
      echo "::prompt id=q,type=text,default=$L3::Use $L2?"
      read -r answer
      echo "answer was $answer"
  next:
    needs: [leak]
    run: echo "next got \${{ stages.leak.outputs.key }}"
`;

function assertHidden(text: string, lines: readonly string[], where: string): void {
  for (const line of lines) assert.ok(!text.includes(line), `${where} holds a line of the secret`);
}

async function runFiles(stateDir: string, runId: string): Promise<Record<string, string>> {
  const runDir = path.join(stateDir, 'runs', runId);
  const files: Record<string, string> = {};
  for (const name of ['events.jsonl', 'run.json']) {
    files[name] = await fs.readFile(path.join(runDir, name), 'utf8');
  }
  for (const name of await fs.readdir(path.join(runDir, 'logs'))) {
    files[`logs/${name}`] = await fs.readFile(path.join(runDir, 'logs', name), 'utf8');
  }
  return files;
}

describe('reliability: the lines of a multi-line secret', function () {
  this.timeout(60_000);
  let workspace = '';
  let session: ServerSession | undefined;

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-pem-'));
    await fs.writeFile(path.join(workspace, 'pem.pipeline.yaml'), PIPELINE);
  });
  afterEach(async () => {
    if (session) await stopServer(session);
    session = undefined;
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it('never reach the run files, the terminal or the CLI views', async () => {
    const { pem, lines } = makePem();
    const run = await baton(workspace, ['run', 'pem.pipeline.yaml', '--yes'], { PEM: pem });
    assert.equal(run.code, 0, describeResult(run));
    const runId = runIdIn(run.stdout) ?? '';
    const files = await runFiles(path.join(workspace, '.baton'), runId);
    for (const [name, text] of Object.entries(files)) assertHidden(text, lines, name);
    assert.match(files['logs/next.1.log'] ?? '', /next got \*\*\*/);
    assert.match(files['events.jsonl'] ?? '', /"key":"\*\*\*"/);
    assertHidden(run.stdout + run.stderr, lines, 'the terminal');
    const status = await baton(workspace, ['status', runId, '--json'], { PEM: pem });
    assertHidden(status.stdout, lines, 'baton status --json');
  });

  it('never cross the wire: notifications, getLog, getEvents, getRun', async () => {
    const { pem, lines } = makePem();
    session = await startServer({ workspace, env: { PEM: pem } });
    const { runId } = await session.connection.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'pem',
      interactive: false,
    });
    const current = session;
    await waitFor(
      'the run to end',
      async () => {
        const state = await current.connection.sendRequest<P.GetRunResult>('baton/getRun', {
          runId,
        });
        return ['succeeded', 'failed', 'cancelled'].includes(state.status);
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    await session.connection.sendRequest('baton/getEvents', { afterSeq: 0 });
    await session.connection.sendRequest('baton/getRun', { runId, recentEvents: 1000 });
    for (const stage of ['leak', 'next'])
      await session.connection.sendRequest('baton/getLog', { runId, stage });
    const wire = session.wire().toString('utf8');
    assert.match(wire, /next got \*\*\*/, 'the masked output was sent');
    assertHidden(wire, lines, 'the wire');
    const files = await runFiles(path.join(workspace, '.baton'), runId);
    for (const [name, text] of Object.entries(files)) assertHidden(text, lines, name);
  });
});
