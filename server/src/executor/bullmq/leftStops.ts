/**
 * Stops an earlier orchestrator kept on disk whose courier is gone: the
 * machine restarted, or somebody killed it, while Redis was away. An
 * orchestrator that starts later with the same Redis configured starts a
 * courier for each of them again, so a kept stop still reaches its worker
 * without anyone running `baton deliver-stops` by hand. A courier holds a
 * lock next to its stop (`<job>.courier.lock`): a live one is left alone,
 * and two couriers never deliver the same stop.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ownerLiveness, snapshotLock } from '../../store/lockOwner';

const STOP_SUFFIX = '.json';

/** The lock a courier holds while it delivers the stop in `stopFile`. */
export function courierLockOf(stopFile: string): string {
  return `${stopFile.slice(0, -STOP_SUFFIX.length)}.courier.lock`;
}

/**
 * Every kept stop under `runsDir` (`<run>/stops/<job>.json`) whose courier
 * is not alive; runs without a `stops` folder cost one failed `readdir`.
 */
export async function stopsWithoutCourier(runsDir: string): Promise<string[]> {
  const runs = await fs.readdir(runsDir).catch(() => [] as string[]);
  const perRun = await Promise.all(
    runs.map(async (run) => {
      const dir = path.join(runsDir, run, 'stops');
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      return names.filter((name) => name.endsWith(STOP_SUFFIX)).map((name) => path.join(dir, name));
    }),
  );
  const files = perRun.flat();
  const alive = await Promise.all(files.map((file) => courierAlive(file)));
  return files.filter((_, index) => !alive[index]);
}

/** Whether a live process holds the courier lock of `stopFile`. */
async function courierAlive(stopFile: string): Promise<boolean> {
  const snapshot = await snapshotLock(courierLockOf(stopFile)).catch(() => undefined);
  if (snapshot?.owner === undefined) return false;
  return ownerLiveness(snapshot.owner).alive;
}
