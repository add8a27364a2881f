import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../engine/helpers';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

describe('baton output larger than a pipe holds', function () {
  this.timeout(60000);

  it('prints the whole --json plan of a large pipeline before exiting', async () => {
    const dir = await tempDir('large-output');
    try {
      const lines = ['name: Large', 'stages:'];
      for (let index = 0; index < 1500; index++) {
        lines.push(`  stage${index}:`, `    run: echo ${'x'.repeat(40)}`);
        lines.push(`    outputs: [out/stage${index}.txt]`);
      }
      await fs.writeFile(path.join(dir, 'large.pipeline.yaml'), `${lines.join('\n')}\n`);
      // A reader that starts late: the pipe fills, and the rest waits in baton's own buffer.
      const command = `"$0" "$1" --state-dir .state run large.pipeline.yaml -n --json | { sleep 0.5; cat; }`;
      const result = await promisify(execFile)('sh', ['-c', command, process.execPath, BIN], {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
      });
      // More than the 64 KB a pipe holds, so a process that exits early cuts it off.
      assert.ok(result.stdout.length > 65536, `only ${result.stdout.length} characters`);
      const plan = JSON.parse(result.stdout) as { units: unknown[] };
      assert.equal(plan.units.length, 1500);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
