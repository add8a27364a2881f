/** Formats a duration in milliseconds as `850ms`, `12s`, `4m 05s` or `2h 03m`. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (totalMinutes < 60) return `${totalMinutes}m ${pad2(seconds)}s`;
  return `${Math.floor(totalMinutes / 60)}h ${pad2(totalMinutes % 60)}m`;
}

/** Formats an epoch-ms time as local `HH:MM:SS`, with the date in front when it is not `now`'s day. */
export function formatClock(epochMs: number, now: number): string {
  const at = new Date(epochMs);
  const time = `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
  const today = new Date(now);
  const sameDay =
    at.getFullYear() === today.getFullYear() &&
    at.getMonth() === today.getMonth() &&
    at.getDate() === today.getDate();
  if (sameDay) return time;
  return `${at.getFullYear()}-${pad2(at.getMonth() + 1)}-${pad2(at.getDate())} ${time}`;
}

/** How long something has run: from `startedAt` to `endedAt`, or to `now` while it still runs. */
export function elapsed(
  startedAt: number | undefined,
  endedAt: number | undefined,
  now: number,
): number | undefined {
  if (startedAt === undefined) return undefined;
  return (endedAt ?? now) - startedAt;
}

/** Time left until `deadline`, as `52s left`, `4m 10s left`, or `time is up`. */
export function formatTimeLeft(deadline: number, now: number): string {
  const left = deadline - now;
  if (left <= 0) return 'time is up';
  return `${formatDuration(Math.ceil(left / 1000) * 1000)} left`;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}

/** A byte count for people: `512 B`, `3.2 KiB`, `41 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${units[unit]}`;
}
