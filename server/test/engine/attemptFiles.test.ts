import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { attemptFiles, prepareAttemptFiles } from '../../src/engine/attempt/attemptFiles';
import type { AttemptFiles } from '../../src/engine/attempt/attemptFiles';
import { StatePaths } from '../../src/store/paths';

const RUN_ID = '20261205-100000-000-abcd';

/** Every file an attempt is promised before its command runs, and the log. */
function promisedFiles(files: AttemptFiles): string[] {
  return [
    files.outputFile,
    files.envFile,
    files.pathFile,
    files.summaryFile,
    files.savedStateFile,
    files.logFile,
  ];
}

describe('prepareAttemptFiles', () => {
  let dir: string;
  let paths: StatePaths;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-attempt-files-'));
    paths = new StatePaths(path.join(dir, 'state'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function prepare(stage: string, attempt: number): Promise<AttemptFiles> {
    const files = attemptFiles(paths, RUN_ID, stage, attempt, dir);
    const log = await prepareAttemptFiles(files, () => undefined);
    await log.close();
    return files;
  }

  it('makes every promised file owner-only, empty for the attempt, keeping the stage’s summary', async () => {
    const first = await prepare('fetch', 1);
    for (const file of promisedFiles(first)) {
      assert.equal((await fs.stat(file)).mode & 0o777, 0o600, file);
    }
    assert.equal((await fs.stat(first.stateDir)).isDirectory(), true);
    await fs.writeFile(first.summaryFile, '# kept\n');
    await fs.writeFile(first.outputFile, 'old=1\n');
    const second = await prepare('fetch', 2);
    assert.equal(await fs.readFile(second.summaryFile, 'utf8'), '# kept\n');
    assert.equal(await fs.readFile(second.outputFile, 'utf8'), '');
  });

  it('makes the directories again when they were removed after an earlier attempt', async () => {
    const first = await prepare('fetch', 1);
    await fs.rm(path.dirname(first.outputFile), { recursive: true });
    await fs.rm(first.stateDir, { recursive: true });
    const again = await prepare('fetch', 2);
    for (const file of promisedFiles(again)) await fs.access(file);
    assert.equal((await fs.stat(again.stateDir)).isDirectory(), true);
  });

  it('rejects, naming the path, when a file stands where a directory must be', async () => {
    const first = await prepare('fetch', 1);
    const blocked = attemptFiles(paths, RUN_ID, 'other', 1, dir);
    await fs.writeFile(blocked.stateDir, 'not a directory');
    await assert.rejects(
      prepareAttemptFiles(blocked, () => undefined),
      (error: Error) => error.message.includes(blocked.stateDir),
    );
    await fs.access(first.outputFile);
  });
});
