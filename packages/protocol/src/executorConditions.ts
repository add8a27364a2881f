/**
 * What holds a remote attempt up, and how every client says it (the CLI's
 * live line and `baton status`, the editor's stage rows): one wording,
 * defined once.
 */

/**
 * Why a running remote attempt is held up, as its executor reports it: its
 * job waits on `queue` and no worker listens there, or the executor (Redis)
 * has been unreachable since `since` (epoch ms). Shown as
 * `executorConditionText` gives it; absent while nothing holds the attempt up.
 */
export type ExecutorCondition =
  | { readonly kind: 'noWorker'; readonly queue: string }
  | {
      readonly kind: 'unreachable';
      /** The executor, for people: `bullmq at redis://host:6379` (never a password). */
      readonly executor: string;
      readonly since: number;
    };

/**
 * `queued on gpu: no worker`, or `executor unreachable since 14:03:07` (the
 * time in the client's local time zone, as `timeOfDay` gives it; by default
 * the host's `HH:MM:SS`).
 */
export function executorConditionText(
  condition: ExecutorCondition,
  timeOfDay: (epochMs: number) => string = localTimeOfDay,
): string {
  switch (condition.kind) {
    case 'noWorker':
      return `queued on ${condition.queue}: no worker`;
    case 'unreachable':
      return `executor unreachable since ${timeOfDay(condition.since)}`;
    default: {
      const never: never = condition;
      return String(never);
    }
  }
}

/** `HH:MM:SS` in the local time zone, as clients say when an executor became unreachable. */
export function localTimeOfDay(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
