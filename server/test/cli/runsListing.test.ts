import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runsCommand } from '../../src/cli/commands/runsCommand';
import { writeGeneratedRuns } from '../helpers/generatedRuns';
import { makeTempDir } from '../store/helpers';
import { captureTerminal } from './captureTerminal';

describe('baton runs: the history, paged from the runs’ entries', function () {
  this.timeout(60000);
  let dir: string;
  let cleanup: () => void;
  let ids: string[];

  before(async () => {
    ({ dir, cleanup } = makeTempDir('baton-runs-'));
    ids = await writeGeneratedRuns(dir, 450, ['alpha', 'beta']);
  });

  after(() => cleanup());

  async function runs(options: {
    limit?: number;
    all?: boolean;
    pipeline?: string;
    json?: boolean;
  }) {
    const terminal = captureTerminal();
    const code = await runsCommand(
      { terminal, cwd: dir, env: {} },
      { stateDir: dir, json: false, limit: 20, all: false, ...options },
    );
    assert.equal(code, 0, terminal.err.join('\n'));
    return terminal;
  }

  it("shows each run's display name and number, newest first, --limit of them", async () => {
    const { out } = await runs({ limit: 3 });
    assert.equal(out.length, 3);
    assert.match(out[0]!, new RegExp(`^${ids.at(-1)!}\\s+succeeded\\s+Pipeline beta #225\\s`));
    assert.match(out[1]!, /Pipeline alpha #225\s.*\s2\d\dms\s*$/);
  });

  it('lists every run with --all, through as many pages as it takes', async () => {
    const { out } = await runs({ all: true });
    assert.deepEqual(
      out.map((line) => line.split(' ')[0]),
      [...ids].reverse(),
    );
  });

  it("lists one pipeline's runs with --pipeline, as JSON with their durations", async () => {
    const { out } = await runs({ pipeline: 'beta', limit: 300, json: true });
    const parsed = JSON.parse(out.join('\n')) as {
      runs: { runId: string; pipelineId: string; durationMs: number }[];
    };
    assert.equal(parsed.runs.length, 225);
    assert.ok(parsed.runs.every((run) => run.pipelineId === 'beta' && run.durationMs >= 200));
  });

  it('warns on stderr about a damaged entry and still lists the run right', async () => {
    const runId = ids.at(-2)!;
    await fs.writeFile(path.join(dir, 'runs', runId, 'history.json'), '[]');
    const terminal = await runs({ limit: 2 });
    assert.match(terminal.out[1]!, new RegExp(`^${runId}\\s+succeeded\\s+Pipeline alpha #225`));
    assert.match(
      terminal.err.join('\n'),
      new RegExp(`history entry of run ${runId} is damaged \\(it is not a JSON object\\)`),
    );
  });
});
