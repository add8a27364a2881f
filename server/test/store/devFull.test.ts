/**
 * Disk full without a mount: the store's files are symlinks to /dev/full, the
 * kernel device whose every write fails with ENOSPC. This runs the real
 * writers against a real ENOSPC on any Linux machine, unprivileged
 * containers included, so disk-full coverage never depends on being allowed
 * to mount a tmpfs (the tmpfs tests add partial writes and recovery).
 */
import type { LoggedEvent } from '@baton/core';
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EventLogWriter } from '../../src/store/eventLog';
import { LogWriter } from '../../src/store/logWriter';
import { StoreError } from '../../src/store/storeError';
import { skipOrFailWithout } from '../helpers/capability';
import { makeTempDir } from './helpers';

const DEV_FULL = '/dev/full';

function event(seq: number): LoggedEvent {
  return { seq, type: 'cancelRequested', at: 1_000 + seq, reason: `event ${seq}` };
}

function isEnospcFor(file: RegExp, action: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError, String(error));
    assert.equal(error.code, 'ENOSPC');
    assert.match(error.message, new RegExp(`^no space left on device while ${action} `));
    assert.match(error.message, file);
    return true;
  };
}

describe('store on a full disk without a mount (/dev/full)', () => {
  let dir: string;
  let cleanup: () => void;
  before(function () {
    if (!existsSync(DEV_FULL)) {
      skipOrFailWithout(this, `${DEV_FULL}`, 'run the tests on Linux with a standard /dev');
    }
  });
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  async function fullFile(name: string): Promise<string> {
    const file = path.join(dir, name);
    await fs.symlink(DEV_FULL, file);
    return file;
  }

  it('event log: flush rejects with a plain ENOSPC StoreError, reports it once and keeps the events', async () => {
    const file = await fullFile('events.jsonl');
    const errors: StoreError[] = [];
    const writer = await EventLogWriter.open(file, { onError: (e) => errors.push(e) });
    writer.append(event(1));
    writer.append(event(2));
    await assert.rejects(writer.flush(), isEnospcFor(/events\.jsonl/, 'appending to'));
    assert.equal(errors.length, 1, 'onError is told of the failure exactly once');
    assert.equal(errors[0]?.code, 'ENOSPC');
    assert.equal(writer.lastError?.code, 'ENOSPC');
    // The events stay queued for a retry once space is back, not silently dropped.
    assert.equal(
      writer.pendingBytes,
      JSON.stringify(event(1)).length + JSON.stringify(event(2)).length + 2,
    );
    await writer.close().catch(() => undefined);
  });

  it('stage log: flush rejects with a plain ENOSPC StoreError and onError hears of it', async () => {
    const file = await fullFile('stage.log');
    const errors: StoreError[] = [];
    const writer = await LogWriter.open(file, { onError: (e) => errors.push(e) });
    assert.equal(writer.write('some output\n'), true);
    await assert.rejects(writer.flush(), isEnospcFor(/stage\.log/, 'writing log'));
    assert.ok(errors.length >= 1, 'onError is told of the failure');
    assert.equal(writer.lastError?.code, 'ENOSPC');
    await writer.close().catch(() => undefined);
  });
});
