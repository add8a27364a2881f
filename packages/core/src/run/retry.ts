import type { RetryPolicy } from '../pipeline/model';
import type { KillReason } from './state';

/**
 * The wait before the attempt after `failedAttempt` (1-based):
 * `min(maxBackoff, backoff × factor^(failedAttempt-1))`, then multiplied by the
 * jitter factor `1 + jitter × (2 × random - 1)`, so with jitter 0.2 the delay
 * lands within ±20%, and capped at `maxBackoff` again: the pipeline format
 * calls `max_backoff` a cap on the wait, and jitter must not break it.
 * `random` in [0, 1) comes from the event, never from the core; out-of-range
 * `jitter` and `random` are clamped (a non-finite `random` counts as 0.5).
 * Never negative; whole milliseconds, rounded to the nearest.
 */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: number): number {
  const exponent = Math.max(0, failedAttempt - 1);
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * policy.factor ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const unit = Number.isFinite(random) ? Math.min(1, Math.max(0, random)) : 0.5;
  const spread = 1 + jitter * (2 * unit - 1);
  return Math.max(0, Math.min(policy.maxBackoffMs, Math.round(base * spread)));
}

/** How an attempt ended, as far as the retry decision cares. */
export interface AttemptFailure {
  readonly exitCode?: number;
  /** Set when the core itself asked for the kill. */
  readonly killed?: KillReason;
}

/**
 * Whether a failed attempt may be retried under `policy`. With `onExitCodes`
 * set, only those exit codes are retried (a signal, timeout or spawn error is
 * not); without it every failure is. An unanswered prompt is never retried: the
 * next attempt would ask the same question nobody can answer.
 */
export function isRetryable(policy: RetryPolicy, failure: AttemptFailure): boolean {
  if (failure.killed === 'unanswered' || failure.killed === 'cancel') return false;
  if (policy.onExitCodes === undefined) return true;
  if (failure.killed !== undefined || failure.exitCode === undefined) return false;
  return policy.onExitCodes.includes(failure.exitCode);
}
